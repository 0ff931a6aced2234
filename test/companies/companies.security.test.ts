/** Companies under attack: other tenants' ids on every route, viewers writing, malformed ids. */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  auditOf,
  createCompanyThroughForm,
  crmSnapshot,
  insertContact,
  insertField,
  insertTag,
  sendPairs,
} from "./helpers";

function everyRoute(id: number | string) {
  return [
    [`/app/companies/${id}`, "GET", undefined],
    [`/app/companies/${id}/edit`, "GET", undefined],
    [`/app/companies/${id}`, "POST", { name: "Taken over", domain: "evil.example" }],
    [`/app/companies/${id}`, "DELETE", undefined],
    [`/app/companies/${id}/delete`, "GET", undefined],
    [`/app/companies/${id}/delete`, "POST", {}],
    [`/app/companies/${id}/notes`, "POST", { body: "Sneaky note" }],
  ] as const;
}

describe("companies across tenants", () => {
  it("answers 404 to another tenant's company on every route, shows nothing of it, and changes nothing", async () => {
    const a = await newTenant("Alpha Companies");
    const b = await newTenant("Beta Companies");
    const field = await insertField(a.tenantId, "company", "Secret field");
    const tag = await insertTag(a.tenantId, "Secret tag");
    const id = await createCompanyThroughForm(a.cookie, {
      name: "Alpha Secret Inc",
      domain: "alpha-secret.example",
      tag_ids: String(tag),
      [`cf_${field}`]: "classified",
    });
    await insertContact(a.tenantId, "Alpha", "Employee", { id, name: "Alpha Secret Inc" });
    expect(
      (await send(`/app/companies/${id}/notes`, { cookie: a.cookie, form: { body: "Alpha's note" } })).status,
    ).toBe(303);
    const before = { a: await crmSnapshot(a.tenantId), b: await crmSnapshot(b.tenantId) };

    for (const [path, method, form] of everyRoute(id)) {
      for (const headers of [{}, { "HX-Request": "true" }] as Record<string, string>[]) {
        const res = await send(path, { cookie: b.cookie, method, form, headers });
        expect(res.status, `${method} ${path}`).toBe(404);
        const html = await res.text();
        for (const secret of ["Alpha Secret", "alpha-secret", "classified", "Alpha's note", "Alpha Employee"])
          expect(html, `${method} ${path}`).not.toContain(secret);
      }
    }
    // B's list, search and dashboard never show it either; the beacon refuses it.
    for (const path of ["/app/companies", "/app/companies?q=alpha", `/app/companies?tag=${tag}`, "/app"]) {
      const html = await textOf(path, { cookie: b.cookie });
      expect(html, path).not.toContain("Alpha Secret");
    }
    expect((await send("/app/recent", { cookie: b.cookie, form: { type: "company", id: String(id) } })).status).toBe(
      404,
    );
    // B cannot attach A's tag or fill A's field on its own company.
    const own = await sendPairs("/app/companies", b.cookie, [
      ["name", "Beta Own"],
      ["tag_ids", String(tag)],
    ]);
    expect(own.status).toBe(422);
    expect(
      (
        await sendPairs("/app/companies", b.cookie, [
          ["name", "Beta Own"],
          [`cf_${field}`, "x"],
        ])
      ).status,
    ).toBe(422);

    expect(await crmSnapshot(a.tenantId)).toEqual(before.a);
    expect(await crmSnapshot(b.tenantId)).toEqual(before.b);
  });

  it("malformed and unknown ids are 404s, never errors", async () => {
    const a = await newTenant("Malformed");
    for (const id of ["0", "-1", "abc", "1.5", "99999999999999999999", "1%20OR%201=1", "999999999"]) {
      for (const [path, method, form] of everyRoute(id)) {
        expect((await send(path, { cookie: a.cookie, method, form })).status, `${method} ${path}`).toBe(404);
      }
    }
  });
});

describe("companies and roles", () => {
  it("lets viewers read, refuses them every write with 403 written to the audit trail, and changes nothing", async () => {
    const owner = await newTenant("Viewer Companies");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Look Dont Touch" });
    const list = await send("/app/companies", { cookie: viewer.cookie });
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("Look Dont Touch");
    expect(listHtml).not.toContain('href="/app/companies/new"');
    const show = await send(`/app/companies/${id}`, { cookie: viewer.cookie });
    expect(show.status).toBe(200);
    const showHtml = await show.text();
    expect(showHtml).not.toContain(`/app/companies/${id}/edit`);
    expect(showHtml).not.toContain("hx-delete");

    const before = await crmSnapshot(owner.tenantId);
    const writes = [
      ["/app/companies/new", "GET", undefined],
      ["/app/companies", "POST", { name: "Viewer Co" }],
      ...everyRoute(id).filter(([, method, form]) => method !== "GET" || form !== undefined),
      [`/app/companies/${id}/edit`, "GET", undefined],
      [`/app/companies/${id}/delete`, "GET", undefined],
    ] as const;
    const refused = writes.filter(([path, method]) => !(method === "GET" && path === `/app/companies/${id}`));
    for (const [path, method, form] of refused) {
      expect((await send(path, { cookie: viewer.cookie, method, form })).status, `${method} ${path}`).toBe(403);
    }
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    const denied = await auditOf(owner.tenantId, "permission.denied");
    expect(denied).toHaveLength(refused.length);
    expect(denied.map((d) => d.target_label)).toContain("POST /app/companies");
    expect(denied.map((d) => d.target_label)).toContain("DELETE /app/companies/:id");
  });
});
