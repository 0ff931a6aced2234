/** Workspace settings under attack: other tenants' tags and fields, members and viewers. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf, crmSnapshot, insertField, insertTag } from "../companies/helpers";

describe("settings across tenants", () => {
  it("answers 404 to another tenant's tag and field ids, shows nothing of them, and changes nothing", async () => {
    const a = await newTenant("Settings A");
    const b = await newTenant("Settings B");
    const tag = await insertTag(a.tenantId, "Alpha secret tag");
    const field = await insertField(a.tenantId, "company", "Alpha secret field");
    const before = { a: await crmSnapshot(a.tenantId), b: await crmSnapshot(b.tenantId) };
    const attempts = [
      [`/app/settings/tags/${tag}`, "POST", { name: "Hijacked", color: "red" }],
      [`/app/settings/tags/${tag}/delete`, "GET", undefined],
      [`/app/settings/tags/${tag}/delete`, "POST", {}],
      [`/app/settings/fields/${field}/delete`, "GET", undefined],
      [`/app/settings/fields/${field}/delete`, "POST", {}],
      [`/app/settings/fields/${field}/edit`, "GET", undefined],
      [`/app/settings/fields/${field}`, "POST", { name: "Hijacked" }],
      [`/app/settings/fields/${field}/move`, "POST", { direction: "up" }],
    ] as const;
    for (const [path, method, form] of attempts) {
      const res = await send(path, { cookie: b.cookie, method, form });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain("Alpha secret");
    }
    for (const path of ["/app/settings/tags", "/app/settings/fields", "/app/companies/new"]) {
      expect(await textOf(path, { cookie: b.cookie }), path).not.toContain("Alpha secret");
    }
    for (const id of ["0", "abc", "99999999999999999999"]) {
      expect((await send(`/app/settings/tags/${id}/delete`, { cookie: b.cookie, form: {} })).status).toBe(404);
      expect((await send(`/app/settings/fields/${id}/delete`, { cookie: b.cookie, form: {} })).status).toBe(404);
      expect((await send(`/app/settings/fields/${id}/edit`, { cookie: b.cookie })).status).toBe(404);
      expect((await send(`/app/settings/fields/${id}`, { cookie: b.cookie, form: { name: "X" } })).status).toBe(404);
    }
    expect(await crmSnapshot(a.tenantId)).toEqual(before.a);
    expect(await crmSnapshot(b.tenantId)).toEqual(before.b);
  });
});

describe("settings and roles", () => {
  it("refuses members and viewers on every workspace settings route with 403, audited, and changes nothing", async () => {
    const owner = await newTenant("Settings Roles");
    const tag = await insertTag(owner.tenantId, "Existing");
    const field = await insertField(owner.tenantId, "contact", "Existing field");
    const routes = [
      ["/app/settings/tags", "GET", undefined],
      ["/app/settings/tags", "POST", { name: "New", color: "blue" }],
      [`/app/settings/tags/${tag}`, "POST", { name: "Renamed", color: "red" }],
      [`/app/settings/tags/${tag}/delete`, "GET", undefined],
      [`/app/settings/tags/${tag}/delete`, "POST", {}],
      ["/app/settings/fields", "GET", undefined],
      ["/app/settings/fields", "POST", { entity: "company", name: "New", kind: "text" }],
      [`/app/settings/fields/${field}/delete`, "GET", undefined],
      [`/app/settings/fields/${field}/delete`, "POST", {}],
      [`/app/settings/fields/${field}/edit`, "GET", undefined],
      [`/app/settings/fields/${field}`, "POST", { name: "Renamed" }],
      [`/app/settings/fields/${field}/move`, "POST", { direction: "down" }],
      ["/app/settings/workspace", "GET", undefined],
      ["/app/settings/workspace", "POST", { default_region: "GB", company_name: "Taken" }],
    ] as const;
    const before = await crmSnapshot(owner.tenantId);
    const tenantBefore = await env.DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(owner.tenantId).first();
    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(owner.tenantId, role);
      for (const [path, method, form] of routes)
        expect((await send(path, { cookie: user.cookie, method, form })).status, `${role} ${method} ${path}`).toBe(403);
    }
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    expect(await env.DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(owner.tenantId).first()).toEqual(
      tenantBefore,
    );
    expect(await auditOf(owner.tenantId, "permission.denied")).toHaveLength(routes.length * 2);
  });
});
