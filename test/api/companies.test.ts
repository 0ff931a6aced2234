/** /api/v1/companies as a client sees it: CRUD through the app's services, isolation, validation, scopes. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Company = { id: number; name: string; domain: string | null; custom_fields: Record<string, { value: string }> };

async function created(key: string, json: unknown): Promise<Company> {
  const res = await api("/companies", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  expect(res.headers.get("Location")).toMatch(/^\/api\/v1\/companies\/\d+$/);
  return (await res.json()) as Company;
}

describe("API companies", () => {
  it("create, list by name prefix, update in part (renaming its contacts' copy), and delete keeping the contacts", async () => {
    const owner = await newTenant("Co Crud");
    const key = await makeKey(owner.cookie);
    await env.DB.prepare(
      "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, 'company', 'Employees', 'employees', 'number', NULL, 0, 0)",
    )
      .bind(owner.tenantId)
      .run();
    const company = await created(key, {
      name: "Analytical Engines",
      domain: "https://www.Analytical.example/about",
      size: "11-50",
      custom_fields: { Employees: 12.5 },
    });
    expect(company).toMatchObject({ domain: "analytical.example", custom_fields: { Employees: { value: "12.5" } } });
    // A tag whose id is no company's: each record reads its own tags, not the tag with its id.
    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Partner', 'partner', 'blue', 0) RETURNING id",
    )
      .bind(owner.tenantId)
      .first<number>("id");
    const babbage = await created(key, { name: "Babbage & Co", tag_ids: [tag!] });
    expect(babbage).toMatchObject({ tags: [{ id: tag, name: "Partner" }] });
    expect(await (await api(`/companies/${company.id}`, { key })).json()).toMatchObject({ tags: [] });
    const prefix = (await (await api("/companies?q=anal", { key })).json()) as { data: Company[] };
    expect(prefix.data.map((c) => c.name)).toEqual(["Analytical Engines"]);

    const contact = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: "Ada", company_id: company.id },
    });
    const contactId = ((await contact.json()) as { id: number }).id;
    const renamed = await api(`/companies/${company.id}`, {
      key,
      method: "PATCH",
      json: { name: "Difference Engines" },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      name: "Difference Engines",
      size: "11-50",
      domain: "analytical.example",
    });
    expect(await (await api(`/contacts/${contactId}`, { key })).json()).toMatchObject({
      company: { id: company.id, name: "Difference Engines" },
    });

    expect((await api(`/companies/${company.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/companies/${company.id}`, { key })).status).toBe(404);
    expect(await (await api(`/contacts/${contactId}`, { key })).json()).toMatchObject({ company: null });
  });

  it("a sync by updated_since sees the contacts and deals a company's rename, delete and restore changed", async () => {
    const owner = await newTenant("Sync Co");
    const key = await makeKey(owner.cookie);
    const company = await created(key, { name: "Globex" });
    const contact = (await (
      await api("/contacts", { key, method: "POST", json: { first_name: "Hank", company_id: company.id } })
    ).json()) as { id: number };
    const deal = (await (
      await api("/deals", { key, method: "POST", json: { name: "Globex deal", company_id: company.id } })
    ).json()) as { id: number };
    const changedSince = async (since: number) => {
      const q = `?updated_since=${encodeURIComponent(new Date(since).toISOString())}`;
      const ids = async (path: string) =>
        ((await (await api(`${path}${q}`, { key })).json()) as { data: { id: number }[] }).data.map((r) => r.id);
      return { contacts: await ids("/contacts"), deals: await ids("/deals") };
    };
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

    await tick();
    let since = Date.now();
    await tick();
    expect(
      (await api(`/companies/${company.id}`, { key, method: "PATCH", json: { name: "Globex Corp" } })).status,
    ).toBe(200);
    expect((await changedSince(since)).contacts).toEqual([contact.id]);

    await tick();
    since = Date.now();
    await tick();
    expect((await api(`/companies/${company.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect(await changedSince(since)).toEqual({ contacts: [contact.id], deals: [deal.id] });

    await tick();
    since = Date.now();
    await tick();
    const item = (await env.DB.prepare("SELECT id FROM trash_items WHERE tenant_id = ? AND kind = 'company'")
      .bind(owner.tenantId)
      .first<{ id: number }>())!;
    expect((await send(`/app/trash/${item.id}/restore`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await changedSince(since)).toEqual({ contacts: [contact.id], deals: [deal.id] });
  });

  it("answers another workspace's ids with 404, never lists them, and refuses bad input field by field", async () => {
    const a = await newTenant("Co Iso A");
    const b = await newTenant("Co Iso B");
    const keyA = await makeKey(a.cookie);
    const keyB = await makeKey(b.cookie);
    const reader = await makeKey(b.cookie, { scope: "read" });
    const theirs = await created(keyA, { name: "Hidden Holdings" });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`/companies/${theirs.id}`, {
        key: keyB,
        method,
        json: method === "PATCH" ? { name: "X" } : undefined,
      });
      expect(res.status, method).toBe(404);
    }
    expect(await (await api("/companies?q=hidden", { key: keyB })).text()).not.toContain("Hidden");
    const bad = await api("/companies", {
      key: keyB,
      method: "POST",
      json: { name: "", domain: "not a domain", size: "huge", custom_fields: { Nope: 1 } },
    });
    expect(bad.status).toBe(422);
    expect(((await problemOf(bad)).errors ?? []).map((e) => e.field).sort()).toEqual(["size"]);
    const checked = await api("/companies", {
      key: keyB,
      method: "POST",
      json: { name: "", custom_fields: { Nope: 1 } },
    });
    expect(((await problemOf(checked)).errors ?? []).map((e) => e.field).sort()).toEqual([
      "custom_fields.Nope",
      "name",
    ]);
    const domain = await api("/companies", { key: keyB, method: "POST", json: { name: "Ok", domain: "not a domain" } });
    expect(((await problemOf(domain)).errors ?? []).map((e) => e.field)).toEqual(["domain"]);
    expect((await api("/companies", { key: reader, method: "POST", json: { name: "Y" } })).status).toBe(403);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM companies WHERE tenant_id = ?").bind(b.tenantId).first("n"),
    ).toBe(0);
  });
});
