/** The contacts routes under attack: other workspaces' ids, other workspaces' data in search, and low roles. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import {
  createContact,
  insertCompany,
  insertContacts,
  insertTag,
  listedIds,
  newTenant,
  post,
  tenantState,
} from "./contact-helpers";

async function twoWorkspaces() {
  const a = await newTenant("Alpha Contacts");
  const b = await newTenant("Beta Contacts");
  const tag = await insertTag(a.tenantId, "Alpha VIP");
  const company = await insertCompany(a.tenantId, "Alpha Industries");
  const aContact = await createContact(a.cookie, {
    first_name: "Secret",
    last_name: "Alphason",
    emails: ["secret@alpha.example"],
    phones: ["(415) 555-0111"],
    tag_ids: String(tag),
    company_id: String(company),
  });
  await post(`/app/contacts/${aContact}/notes`, a.cookie, { body: "Confidential alpha note" });
  const bTag = await insertTag(b.tenantId, "Beta VIP");
  const bContact = await createContact(b.cookie, {
    first_name: "Open",
    last_name: "Betason",
    emails: ["open@beta.example"],
  });
  return { a, b, aContact, bContact, tag, bTag, company };
}

describe("another workspace's contacts", () => {
  it("answers 404 on every contacts route for another workspace's contact id, and changes nothing", async () => {
    const { a, b, aContact } = await twoWorkspaces();
    const before = await tenantState(a.tenantId);
    const attempts: [string, string, Record<string, string | string[]> | null][] = [
      ["GET", `/app/contacts/${aContact}`, null],
      ["GET", `/app/contacts/${aContact}/edit`, null],
      ["GET", `/app/contacts/${aContact}/delete`, null],
      ["POST", `/app/contacts/${aContact}`, { first_name: "Hijacked", emails: ["hijack@beta.example"] }],
      ["POST", `/app/contacts/${aContact}/delete`, {}],
      ["DELETE", `/app/contacts/${aContact}`, null],
      ["POST", `/app/contacts/${aContact}/notes`, { body: "Injected note" }],
    ];
    for (const [method, path, form] of attempts) {
      const res = form
        ? await post(path, b.cookie, form)
        : await send(path, {
            method,
            cookie: b.cookie,
            headers: method === "DELETE" ? { "HX-Request": "true", "HX-Target": `contact-${aContact}` } : {},
          });
      expect(res.status, `${method} ${path}`).toBe(404);
      const body = await res.text();
      for (const secret of ["Alphason", "secret@alpha.example", "Confidential", "Alpha Industries"])
        expect(body, `${method} ${path}`).not.toContain(secret);
    }
    expect(await tenantState(a.tenantId)).toEqual(before);
  });

  it("bulk actions with another workspace's ids change nothing of theirs", async () => {
    const { a, b, aContact, bContact, tag, bTag } = await twoWorkspaces();
    const before = await tenantState(a.tenantId);
    // Tagging their contact with our tag, untagging their tag, deleting their contact.
    const tagged = await post("/app/contacts/bulk", b.cookie, {
      action: "tag",
      tag_id: String(bTag),
      ids: [String(aContact), String(bContact)],
    });
    expect(tagged.headers.get("Location")).toBe("/app/contacts?notice=tagged&n=1"); // only their own contact
    const theirTag = await post("/app/contacts/bulk", b.cookie, {
      action: "untag",
      tag_id: String(tag),
      ids: String(aContact),
    });
    expect(theirTag.status).toBe(422); // their tag is not a tag here
    const confirm = await post("/app/contacts/bulk", b.cookie, { action: "delete", ids: String(aContact) });
    expect(confirm.status).toBe(422);
    expect(await confirm.text()).not.toContain("Alphason");
    const deleted = await post("/app/contacts/bulk", b.cookie, {
      action: "delete",
      confirm: "1",
      ids: String(aContact),
    });
    expect(deleted.headers.get("Location")).toBe("/app/contacts?notice=bulk_deleted&n=0");
    expect(await tenantState(a.tenantId)).toEqual(before);
    expect((await tenantState(b.tenantId)).contactTags.map((r) => [r.contact_id, r.tag_id])).toEqual([
      [bContact, bTag],
    ]);
  });

  it("search, filters, duplicate warnings and cursors never reach another workspace's contacts", async () => {
    const { a, b, tag, company, bContact } = await twoWorkspaces();
    await insertContacts(a.tenantId, 60, { prefix: "Alphabulk" });
    for (const q of ["secret", "alphason", "alpha", "5550111", "confidential", "alphabulk", "alpha industries"]) {
      const page = await textOf(`/app/contacts?q=${encodeURIComponent(q)}`, { cookie: b.cookie });
      expect(listedIds(page), q).toEqual([]);
      const fragment = await textOf(`/app/contacts?q=${encodeURIComponent(q)}`, {
        cookie: b.cookie,
        headers: { "HX-Request": "true", "HX-Target": "contact-results" },
      });
      expect(listedIds(fragment), q).toEqual([]);
    }
    expect(listedIds(await textOf(`/app/contacts?tag=${tag}`, { cookie: b.cookie }))).toEqual([]);
    const byCompany = await textOf(`/app/contacts?company=${company}`, { cookie: b.cookie });
    expect(listedIds(byCompany)).toEqual([]);
    expect(byCompany).not.toContain("Alpha Industries");
    // A's cursor, replayed by B, pages through B's contacts only.
    const aFirst = await textOf("/app/contacts", { cookie: a.cookie });
    const next = aFirst.match(/<a href="([^"]+)" rel="next"/)![1]!.replace(/&amp;/g, "&");
    for (const id of listedIds(await textOf(next, { cookie: b.cookie }))) expect(id).toBe(bContact);
    // B typing A's email or phone is not told that A has it.
    const check = await post("/app/contacts/check-duplicates", b.cookie, {
      emails: "secret@alpha.example",
      phones: "(415) 555-0111",
    });
    expect(await check.text()).toBe("");
    const created = await post("/app/contacts", b.cookie, {
      first_name: "Mine",
      emails: "secret@alpha.example",
      phones: "(415) 555-0111",
    });
    expect(created.status).toBe(303);
    // And A sees none of B's.
    expect(listedIds(await textOf("/app/contacts?q=betason", { cookie: a.cookie }))).toEqual([]);
  });
});

describe("roles", () => {
  it("a viewer reads, gets 403 on every write route, and each refusal is in the audit trail", async () => {
    const { a, aContact, tag } = await twoWorkspaces();
    const viewer = await memberOf(a.tenantId, "viewer");
    const viewerId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(viewer.email)
      .first<{ id: string }>())!.id;
    expect((await send("/app/contacts", { cookie: viewer.cookie })).status).toBe(200);
    expect((await send(`/app/contacts/${aContact}`, { cookie: viewer.cookie })).status).toBe(200);
    const before = await tenantState(a.tenantId);

    const writes: [string, string, string, Record<string, string> | null][] = [
      ["GET /app/contacts/new", "GET", "/app/contacts/new", null],
      ["POST /app/contacts", "POST", "/app/contacts", { first_name: "Sneaky" }],
      [
        "POST /app/contacts/check-duplicates",
        "POST",
        "/app/contacts/check-duplicates",
        { emails: "secret@alpha.example" },
      ],
      [
        "POST /app/contacts/bulk",
        "POST",
        "/app/contacts/bulk",
        { action: "delete", confirm: "1", ids: String(aContact) },
      ],
      ["GET /app/contacts/:id/edit", "GET", `/app/contacts/${aContact}/edit`, null],
      ["POST /app/contacts/:id", "POST", `/app/contacts/${aContact}`, { first_name: "Renamed" }],
      ["DELETE /app/contacts/:id", "DELETE", `/app/contacts/${aContact}`, null],
      ["GET /app/contacts/:id/delete", "GET", `/app/contacts/${aContact}/delete`, null],
      ["POST /app/contacts/:id/delete", "POST", `/app/contacts/${aContact}/delete`, {}],
    ];
    for (const [label, method, path, form] of writes) {
      const res = form ? await post(path, viewer.cookie, form) : await send(path, { method, cookie: viewer.cookie });
      expect(res.status, label).toBe(403);
    }
    const bulkTag = await post("/app/contacts/bulk", viewer.cookie, {
      action: "tag",
      tag_id: String(tag),
      ids: String(aContact),
    });
    expect(bulkTag.status).toBe(403);
    expect(await tenantState(a.tenantId)).toEqual(before);
    const denied = await env.DB.prepare(
      "SELECT target_label FROM audit_log WHERE tenant_id = ? AND actor_user_id = ? AND action = 'permission.denied' ORDER BY id",
    )
      .bind(a.tenantId, viewerId)
      .all<{ target_label: string }>();
    expect(denied.results.map((r) => r.target_label)).toEqual([
      ...writes.map(([label]) => label),
      "POST /app/contacts/bulk",
    ]);
  });
});
