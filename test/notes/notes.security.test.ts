/** Notes under attack: other tenants' notes and records, low roles, malformed ids. */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf, createCompanyThroughForm, crmSnapshot, insertContact } from "../companies/helpers";
import { companyWithNote, noteRoutes } from "./helpers";

describe("notes across tenants", () => {
  it("answers 404 to another tenant's note on every route, and changes nothing", async () => {
    const a = await newTenant("Notes A");
    const b = await newTenant("Notes B");
    const { noteId } = await companyWithNote(a, "A's company", "A's secret note");
    const before = { a: await crmSnapshot(a.tenantId), b: await crmSnapshot(b.tenantId) };
    for (const [path, method, form] of noteRoutes(noteId, "B was here")) {
      for (const headers of [{}, { "HX-Request": "true" }] as Record<string, string>[]) {
        const res = await send(path, { cookie: b.cookie, method, form, headers });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.text()).not.toContain("secret");
      }
    }
    expect(await crmSnapshot(a.tenantId)).toEqual(before.a);
    expect(await crmSnapshot(b.tenantId)).toEqual(before.b);
  });

  it("answers 404 to a note on another tenant's company or contact, and writes nothing", async () => {
    const a = await newTenant("Subjects A");
    const b = await newTenant("Subjects B");
    const company = await createCompanyThroughForm(a.cookie, { name: "Theirs" });
    const contact = await insertContact(a.tenantId, "Their", "Contact");
    const before = { a: await crmSnapshot(a.tenantId), b: await crmSnapshot(b.tenantId) };
    for (const path of [
      `/app/companies/${company}/notes`,
      `/app/contacts/${contact}/notes`,
      "/app/companies/999999999/notes",
      "/app/contacts/0/notes",
      "/app/companies/abc/notes",
      "/app/contacts/1e3/notes",
    ]) {
      const res = await send(path, { cookie: b.cookie, form: { body: "Sneaky" } });
      expect(res.status, path).toBe(404);
    }
    expect(await crmSnapshot(a.tenantId)).toEqual(before.a);
    expect(await crmSnapshot(b.tenantId)).toEqual(before.b);
  });

  it("malformed note ids are 404s, never errors", async () => {
    const a = await newTenant("Ids");
    for (const id of ["0", "-1", "1.5", "abc", "99999999999999999999", "1%20OR%201=1"]) {
      expect((await send(`/app/notes/${id}/edit`, { cookie: a.cookie })).status, id).toBe(404);
      expect((await send(`/app/notes/${id}`, { cookie: a.cookie, form: { body: "x" } })).status, id).toBe(404);
    }
  });
});

describe("notes and roles", () => {
  it("refuses viewers on every note route with 403, writes the refusal to the audit trail, and changes nothing", async () => {
    const owner = await newTenant("Viewer Notes");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const { company, noteId } = await companyWithNote(owner, "Read only", "Owner's note");
    const contact = await insertContact(owner.tenantId, "Read", "Only");
    const before = await crmSnapshot(owner.tenantId);
    const attempts = [
      [`/app/companies/${company}/notes`, "POST", { body: "viewer" }],
      [`/app/contacts/${contact}/notes`, "POST", { body: "viewer" }],
      ...noteRoutes(noteId, "viewer"),
    ] as const;
    for (const [path, method, form] of attempts)
      expect((await send(path, { cookie: viewer.cookie, method, form })).status, `${method} ${path}`).toBe(403);
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    expect((await auditOf(owner.tenantId, "permission.denied")).length).toBe(attempts.length);
  });
});
