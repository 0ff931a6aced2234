/**
 * /api/v1/contacts as a client sees it: auth (missing, malformed, unknown, revoked and expired keys; a
 * browser's cookie; a key on a page of the app), scopes, another workspace's ids, validation as
 * problem+json, and create, read, list, update and delete through the same services as the app.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { ContactSchema } from "../../src/routes/api/schemas";
import { api, makeKey, problemOf } from "./helpers";

type Contact = { id: number; emails: string[]; first_name: string; source: string; tags: { id: number }[] };

async function created(key: string, json: unknown): Promise<Contact> {
  const res = await api("/contacts", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Contact;
}

describe("API authentication", () => {
  it("wants a key: none, a malformed or unknown one, a revoked or expired one are 401 problems", async () => {
    const owner = await newTenant("Auth Co");
    const key = await makeKey(owner.cookie);
    const none = await api("/contacts");
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect((await problemOf(none)).code).toBe("missing_api_key");
    expect((await problemOf(await api("/contacts", { key: "ct_live_short" }))).code).toBe("invalid_api_key");
    const unknown = `ct_live_${"A".repeat(43)}`;
    expect((await problemOf(await api("/contacts", { key: unknown }))).code).toBe("invalid_api_key");
    // Another scheme is not a bearer key.
    const basic = await api("/contacts", { headers: { Authorization: `Basic ${key}` } });
    expect((await problemOf(basic)).code).toBe("missing_api_key");

    await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE tenant_id = ?")
      .bind(Date.now() - 1, owner.tenantId)
      .run();
    expect((await problemOf(await api("/contacts", { key }))).code).toBe("expired_api_key");
    await env.DB.prepare("UPDATE api_keys SET expires_at = NULL, revoked_at = ? WHERE tenant_id = ?")
      .bind(Date.now(), owner.tenantId)
      .run();
    expect((await problemOf(await api("/contacts", { key }))).code).toBe("revoked_api_key");
    // Nothing refused was audited as a use.
    const uses = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'api_key.used'",
    )
      .bind(owner.tenantId)
      .first("n");
    expect(uses).toBe(0);
  });

  it("never accepts the session cookie, and the app's pages never accept a key", async () => {
    const owner = await newTenant("Cookie Co");
    const key = await makeKey(owner.cookie);
    const withCookie = await api("/contacts", { cookie: owner.cookie });
    expect(withCookie.status).toBe(401);
    expect(withCookie.headers.get("Set-Cookie")).toBeNull();
    const write = await api("/contacts", { cookie: owner.cookie, method: "POST", json: { first_name: "Eve" } });
    expect(write.status).toBe(401);
    // A key on the app is no session: the login page.
    const page = await send("/app/contacts", { headers: { Authorization: `Bearer ${key}` } });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toMatch(/^\/login/);
    const form = await send("/app/contacts", {
      headers: { Authorization: `Bearer ${key}` },
      form: { first_name: "Eve" },
    });
    expect(form.status).toBe(303);
    expect(form.headers.get("Location")).toMatch(/^\/login/);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(0);
  });

  it("lets a read key only read", async () => {
    const owner = await newTenant("Scope Co");
    const writer = await makeKey(owner.cookie, { scope: "read_write" });
    const reader = await makeKey(owner.cookie, { scope: "read" });
    const contact = await created(writer, { first_name: "Ada" });
    expect((await api(`/contacts/${contact.id}`, { key: reader })).status).toBe(200);
    for (const [method, path] of [
      ["POST", "/contacts"],
      ["PATCH", `/contacts/${contact.id}`],
      ["DELETE", `/contacts/${contact.id}`],
    ] as const) {
      const res = await api(path, {
        key: reader,
        method,
        json: method === "DELETE" ? undefined : { first_name: "Bob" },
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await problemOf(res)).code).toBe("insufficient_scope");
    }
    expect(((await (await api(`/contacts/${contact.id}`, { key: reader })).json()) as Contact).first_name).toBe("Ada");
  });
});

describe("API contacts", () => {
  it("create, read, update in part, and delete, as the app does", async () => {
    const owner = await newTenant("Crud Co");
    const key = await makeKey(owner.cookie);
    const contact = await created(key, {
      first_name: " Ada ",
      last_name: "Lovelace",
      emails: ["ADA@Example.com"],
      phones: ["+44 20 7123 4567"],
    });
    expect(contact).toMatchObject({ first_name: "Ada", emails: ["ada@example.com"], source: "api" });
    const read = (await (await api(`/contacts/${contact.id}`, { key })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ last_name: "Lovelace", phones: ["+442071234567"], display_name: "Ada Lovelace" });
    expect(read.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const patched = await api(`/contacts/${contact.id}`, { key, method: "PATCH", json: { job_title: "Analyst" } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      job_title: "Analyst",
      last_name: "Lovelace",
      emails: ["ada@example.com"],
    });
    // The same timeline as a change in the app.
    const activity = await env.DB.prepare(
      "SELECT kind FROM activities WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ? ORDER BY id",
    )
      .bind(owner.tenantId, contact.id)
      .all<{ kind: string }>();
    expect(activity.results.map((r) => r.kind)).toEqual(["created", "updated"]);
    const counter = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first("contacts");
    expect(counter).toBe(1);

    expect((await api(`/contacts/${contact.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/contacts/${contact.id}`, { key })).status).toBe(404);
    // In the trash, as a deletion in the app.
    const trashed = await env.DB.prepare(
      "SELECT count(*) AS n FROM trash_items WHERE tenant_id = ? AND kind = 'contact' AND record_id = ?",
    )
      .bind(owner.tenantId, contact.id)
      .first("n");
    expect(trashed).toBe(1);
  });

  it("lists by keyset with limit, filters and updated_since", async () => {
    const owner = await newTenant("List Co");
    const key = await makeKey(owner.cookie);
    const ids: number[] = [];
    for (const name of ["Ada", "Grace", "Linus", "Margaret", "Alan"])
      ids.push((await created(key, { first_name: name })).id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/contacts?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key });
      const page = (await res.json()) as { data: Contact[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const search = (await (await api("/contacts?q=marg", { key })).json()) as { data: Contact[] };
    expect(search.data.map((c) => c.first_name)).toEqual(["Margaret"]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(
      ((await (await api(`/contacts?updated_since=${later}`, { key })).json()) as { data: unknown[] }).data,
    ).toEqual([]);
    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'VIP', 'vip', 'blue', 0) RETURNING id",
    )
      .bind(owner.tenantId)
      .first<number>("id");
    await api(`/contacts/${ids[1]}`, { key, method: "PATCH", json: { tag_ids: [tag] } });
    const tagged = (await (await api(`/contacts?tag=${tag}`, { key })).json()) as { data: Contact[] };
    expect(tagged.data.map((c) => c.id)).toEqual([ids[1]]);
    expect(tagged.data[0]!.tags).toEqual([{ id: tag, name: "VIP" }]);
    expect(await (await api("/tags", { key })).json()).toEqual({ data: [{ id: tag, name: "VIP", color: "blue" }] });
  });

  it("answers another workspace's ids with 404 and never lists them", async () => {
    const a = await newTenant("Iso A");
    const b = await newTenant("Iso B");
    const keyA = await makeKey(a.cookie);
    const keyB = await makeKey(b.cookie);
    const theirs = await created(keyA, { first_name: "Secret", emails: ["secret@example.com"] });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`/contacts/${theirs.id}`, {
        key: keyB,
        method,
        json: method === "PATCH" ? { first_name: "X" } : undefined,
      });
      expect(res.status, method).toBe(404);
      expect((await problemOf(res)).code).toBe("not_found");
    }
    const list = await (await api("/contacts?q=secret", { key: keyB })).text();
    expect(list).not.toContain("secret@example.com");
    expect(await (await api("/contacts", { key: keyB })).text()).not.toContain("Secret");
    // Their tag and company cannot be attached either.
    const bad = await api("/contacts", { key: keyB, method: "POST", json: { first_name: "Y", company_id: 999999999 } });
    expect((await problemOf(bad)).errors?.map((e) => e.field)).toEqual(["company_id"]);
    expect(((await (await api(`/contacts/${theirs.id}`, { key: keyA })).json()) as Contact).first_name).toBe("Secret");
  });

  it("refuses bad input with problem+json naming each field, and writes nothing", async () => {
    const owner = await newTenant("Valid Co");
    const key = await makeKey(owner.cookie);
    const malformed = await api("/contacts", { key, method: "POST", body: "{not json" });
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).code).toBe("malformed_json");
    const notJson = await api("/contacts", {
      key,
      method: "POST",
      body: "first_name=x",
      headers: { "Content-Type": "text/plain" },
    });
    expect(notJson.status).toBe(415);
    expect((await problemOf(notJson)).code).toBe("unsupported_media_type");

    const huge = await api("/contacts", { key, method: "POST", json: { first_name: "x".repeat(300 * 1024) } });
    expect(huge.status).toBe(413);
    expect((await problemOf(huge)).code).toBe("payload_too_large");

    const typed = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: 5, fist_name: "x", emails: "a@b.c" },
    });
    expect(typed.status).toBe(422);
    const typedProblem = await problemOf(typed);
    expect(typedProblem.code).toBe("validation_failed");
    expect(typedProblem.errors?.map((e) => e.field).sort()).toEqual(["emails", "first_name", "fist_name"]);

    const checked = await api("/contacts", {
      key,
      method: "POST",
      json: { emails: ["ok@example.com", "not an email"], phones: ["12"], custom_fields: { Nope: "x" } },
    });
    expect(checked.status).toBe(422);
    expect((await problemOf(checked)).errors?.map((e) => e.field).sort()).toEqual([
      "custom_fields.Nope",
      "emails[1]",
      "phones[0]",
    ]);
    expect((await problemOf(await api("/contacts", { key, method: "POST", json: {} }))).errors?.[0]?.field).toBe(
      "first_name",
    );
    expect((await problemOf(await api("/contacts?limit=500", { key }))).errors?.[0]?.field).toBe("limit");
    expect((await problemOf(await api("/contacts?cursor=nonsense", { key }))).errors?.[0]?.field).toBe("cursor");
    expect((await problemOf(await api("/contacts/abc", { key }))).code).toBe("not_found");
    expect((await problemOf(await api("/nothing-here", { key }))).code).toBe("not_found");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(0);
  });
});

describe("API contact records", () => {
  it("carry every field exactly, the same in the list as on their own", async () => {
    const owner = await newTenant("Fields Co");
    const key = await makeKey(owner.cookie);
    const q = (sql: string, ...binds: unknown[]) => env.DB.prepare(sql).bind(...binds);
    const fieldIds: number[] = [];
    for (const [name, kind, position] of [
      ["Tier", "text", 1],
      ["Renewal", "date", 0],
    ] as const)
      fieldIds.push(
        (await q(
          "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'contact', ?, ?, ?, ?, 0) RETURNING id",
          owner.tenantId,
          name,
          name.toLowerCase(),
          kind,
          position,
        ).first<number>("id"))!,
      );
    const tagIds: number[] = [];
    for (const name of ["Zeta", "Alpha"])
      tagIds.push(
        (await q(
          "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, ?, ?, 'blue', 0) RETURNING id",
          owner.tenantId,
          name,
          name.toLowerCase(),
        ).first<number>("id"))!,
      );
    const company = (await (
      await api("/companies", { key, method: "POST", json: { name: "Analytical Engines" } })
    ).json()) as { id: number };
    const full = await created(key, {
      first_name: "Ada",
      last_name: "Lovelace",
      emails: ["ada@example.com", "countess@example.com"],
      phones: ["+44 20 7123 4567", "+44 20 7946 0000"],
      job_title: "Analyst",
      company_id: company.id,
      address: "12 St James's Square, London",
      tag_ids: tagIds,
      custom_fields: { Tier: 'gold "quoted"', Renewal: "2027-01-31" },
    });
    const byEmail = await created(key, { emails: ["only@example.com"] });
    const ownerId = await q("SELECT id FROM users WHERE email = ?", owner.email).first<string>("id");
    await q(
      "UPDATE contacts SET owner_id = ?, created_at = 1733400000999, updated_at = 1733400001000 WHERE tenant_id = ? AND id = ?",
      ownerId,
      owner.tenantId,
      full.id,
    ).run();

    const one = (await (await api(`/contacts/${full.id}`, { key })).json()) as Contact;
    expect(one).toEqual({
      id: full.id,
      first_name: "Ada",
      last_name: "Lovelace",
      display_name: "Ada Lovelace",
      emails: ["ada@example.com", "countess@example.com"],
      phones: ["+442071234567", "+442079460000"],
      job_title: "Analyst",
      company: { id: company.id, name: "Analytical Engines" },
      address: "12 St James's Square, London",
      source: "api",
      tags: [
        { id: tagIds[1], name: "Alpha" },
        { id: tagIds[0], name: "Zeta" },
      ],
      owner_id: ownerId,
      owner: owner.email,
      custom_fields: { Renewal: { kind: "date", value: "2027-01-31" }, Tier: { kind: "text", value: 'gold "quoted"' } },
      created_at: "2024-12-05T12:00:00.999Z",
      updated_at: "2024-12-05T12:00:01.000Z",
      last_activity_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    const list = (await (await api("/contacts", { key })).json()) as { data: Contact[]; next_cursor: null };
    expect(list).toEqual({ data: [one, expect.objectContaining({ id: byEmail.id })], next_cursor: null });
    expect(list.data[1]).toMatchObject({
      display_name: "only@example.com",
      company: null,
      tags: [],
      custom_fields: {},
      phones: [],
      owner: null,
    });
    // A contact with neither name nor email (as an import can leave one) is named by its number.
    await q("DELETE FROM contact_emails WHERE tenant_id = ? AND contact_id = ?", owner.tenantId, byEmail.id).run();
    await q(
      "UPDATE contacts SET primary_email = NULL WHERE tenant_id = ? AND id = ?",
      owner.tenantId,
      byEmail.id,
    ).run();
    const bare = (await (await api(`/contacts/${byEmail.id}`, { key })).json()) as Contact;
    expect(bare).toMatchObject({ display_name: `Contact #${byEmail.id}`, emails: [] });
    for (const record of [one, bare]) expect(ContactSchema.strict().safeParse(record).success).toBe(true);
  });
});
