/**
 * Erasing contacts on request: every trace of them goes (a walk over every table of the schema), the
 * suppression list keeps only a keyed hash, and a later import skips the person. What an admin, a
 * member, another workspace and the database see.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import { createContact, insertCustomField, insertTag, newTenant, post } from "../contacts/contact-helpers";
import { importFile, job } from "../import/helpers";
import { dealWithPeople } from "../deals/helpers";

/** Every table of the database, but SQLite's and D1's own and the FTS index's shadow tables. */
async function tables(): Promise<string[]> {
  const rows = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE '%_fts_%'",
  ).all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

/** The rows of any table that mention one of `needles` (names, addresses) in any column. */
async function rowsMentioning(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables()) {
    const rows = (await env.DB.prepare(`SELECT * FROM "${table}"`).all()).results;
    for (const row of rows) {
      const text = JSON.stringify(row).toLowerCase();
      for (const n of needles) if (text.includes(n.toLowerCase())) found.push(`${table}: ${text.slice(0, 200)}`);
    }
  }
  return found;
}

/**
 * The rows that refer to a contact by id: every column that can hold one (found from the schema:
 * contact_id, a subject or entity of type contact, a custom value of a contact field, the search
 * index's rowid, a recently-viewed entry).
 */
async function rowsReferring(tenantId: string, id: number): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables()) {
    const cols = (
      await env.DB.prepare("SELECT name FROM pragma_table_info(?)").bind(table).all<{ name: string }>()
    ).results.map((c) => c.name);
    const checks: string[] = [];
    if (table === "contacts") checks.push("id = ?1");
    if (cols.includes("contact_id")) checks.push("contact_id = ?1");
    if (cols.includes("subject_type") && cols.includes("subject_id"))
      checks.push("(subject_type = 'contact' AND subject_id = ?1)");
    if (cols.includes("entity_type") && cols.includes("entity_id"))
      checks.push("(entity_type = 'contact' AND entity_id = ?1)");
    if (table === "custom_field_values")
      checks.push("(entity_id = ?1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'contact'))");
    if (table === "contacts_fts") checks.push("rowid = ?1");
    if (checks.length === 0) continue;
    const n = await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${checks.join(" OR ")}`)
      .bind(id)
      .first<{ n: number }>();
    if (n!.n > 0) found.push(`${table}: ${n!.n}`);
  }
  // The audit trail may say that contact #id was erased (that is the point of it), and nothing more.
  const audit = await env.DB.prepare(
    "SELECT target_label, detail FROM audit_log WHERE tenant_id = ? AND target_type = 'contact'",
  )
    .bind(tenantId)
    .all<{ target_label: string | null }>();
  for (const a of audit.results)
    if (a.target_label && !/^Contact #\d+$|^\d+ contacts \(bulk\)$/.test(a.target_label))
      found.push(`audit_log: ${a.target_label}`);
  return found;
}

/** A contact with something in every table a contact can reach: made by an import, then given more. */
async function richContact(
  t: { cookie: string; tenantId: string },
  name: { first: string; last: string },
  email: string,
) {
  const imported = await importFile(
    t.cookie,
    `First Name,Last Name,Email,Phone\n${name.first},${name.last},${email},+14155550188\n`,
  );
  expect(imported.result.status).toBe("done");
  const contact = await env.DB.prepare("SELECT contact_id AS id FROM contact_emails WHERE tenant_id = ? AND email = ?")
    .bind(t.tenantId, email)
    .first<{ id: number }>();
  const id = contact!.id;
  expect(
    await env.DB.prepare(
      "SELECT count(*) AS n FROM import_records WHERE tenant_id = ? AND entity_type = 'contact' AND entity_id = ?",
    )
      .bind(t.tenantId, id)
      .first("n"),
  ).toBe(1);
  const field = await insertCustomField(t.tenantId, "Tier", "text");
  const tag = await insertTag(t.tenantId, "VIP");
  const edit = await post(`/app/contacts/${id}`, t.cookie, {
    first_name: name.first,
    last_name: name.last,
    emails: [email, `second.${email}`],
    phones: ["+14155550188"],
    job_title: "Chief of Things",
    address: `1 ${name.last} Street`,
    tag_ids: String(tag),
    [`cf_${field}`]: `gold ${name.last}`,
    company_id: "",
    owner_id: "",
    new_tag: "",
    version: String(
      (await env.DB.prepare("SELECT updated_at FROM contacts WHERE id = ?").bind(id).first<{ updated_at: number }>())!
        .updated_at,
    ),
  });
  expect(edit.status).toBe(303);
  expect(
    (await post(`/app/contacts/${id}/notes`, t.cookie, { body: `Met ${name.first} ${name.last} at the fair` })).status,
  ).toBeLessThan(400);
  expect(
    (await send("/app/recent", { cookie: t.cookie, form: { type: "contact", id: String(id) } })).status,
  ).toBeLessThan(400);
  // A deal they are added to through its form (its timeline names them): erasing them takes them off it and
  // out of that entry, and the deal stays.
  const deal = await dealWithPeople(t.cookie, t.tenantId, "Fair stand", [{ id, role: "Champion" }]);
  expect(await textOf(`/app/deals/${deal}`, { cookie: t.cookie })).toContain(`${name.first} ${name.last} (Champion)`);
  expect(await rowsReferring(t.tenantId, id)).toContain("deal_contacts: 1");
  return id;
}

describe("erasing a contact from its page", () => {
  it("asks first, then leaves no row anywhere that refers to them, and can suppress them without keeping their address", async () => {
    const t = await newTenant("Erase Co");
    const name = { first: "Quillon", last: "Vandersnoot" };
    const email = "quillon.vandersnoot@example.com";
    const id = await richContact(t, name, email);
    const keep = await createContact(t.cookie, { first_name: "Keep", last_name: "Me", emails: "keep.me@example.com" });

    const page = await send(`/app/contacts/${id}`, { cookie: t.cookie });
    expect(await page.text()).toContain(`href="/app/contacts/${id}/erase"`);
    const confirm = await send(`/app/contacts/${id}/erase`, { cookie: t.cookie });
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain("Erase Quillon Vandersnoot?");
    expect(confirmHtml).toContain('name="suppress"');
    // Opening the confirmation erased nothing.
    expect(await rowsReferring(t.tenantId, id)).not.toHaveLength(0);

    const res = await send(`/app/contacts/${id}/erase`, { cookie: t.cookie, form: { suppress: "1" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/contacts?notice=erased");

    expect(await rowsReferring(t.tenantId, id)).toEqual([]);
    expect(
      await rowsMentioning([name.first, name.last, email, `second.${email}`, "gold Vandersnoot", "5550188"]),
    ).toEqual([]);
    expect(
      await env.DB.prepare("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?")
        .bind('"quillon"')
        .all()
        .then((r) => r.results),
    ).toEqual([]);
    expect((await send(`/app/contacts/${id}`, { cookie: t.cookie })).status).toBe(404);
    expect((await send(`/app/contacts/${keep}`, { cookie: t.cookie })).status).toBe(200);
    expect(
      await env.DB.prepare("SELECT name FROM deals WHERE tenant_id = ?")
        .bind(t.tenantId)
        .all()
        .then((r) => r.results),
    ).toEqual([{ name: "Fair stand" }]);

    // The audit trail says it was erased, by id, suppressed.
    const entry = await env.DB.prepare(
      "SELECT action, target_label, detail FROM audit_log WHERE tenant_id = ? AND action = 'record.erased'",
    )
      .bind(t.tenantId)
      .first<{ target_label: string; detail: string }>();
    expect(entry).toMatchObject({ target_label: `Contact #${id}` });
    expect(JSON.parse(entry!.detail)).toEqual({ suppressed: true });

    // The suppression list: two keyed hashes (both addresses), no address.
    const list = (
      await env.DB.prepare("SELECT * FROM suppressions WHERE tenant_id = ?")
        .bind(t.tenantId)
        .all<Record<string, unknown>>()
    ).results;
    expect(list).toHaveLength(2);
    for (const row of list) {
      expect(Object.keys(row).sort()).toEqual(["created_at", "email_hash", "tenant_id"]);
      expect(row.email_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(row)).not.toContain("quillon");
      expect(JSON.stringify(row)).not.toContain("example.com");
    }
  });

  it("makes a later import skip the suppressed person (whatever the case and spaces of the address), and import the others", async () => {
    const t = await newTenant("Suppress Co");
    const id = await createContact(t.cookie, {
      first_name: "Ottoline",
      last_name: "Brackwater",
      emails: "ottoline@example.com",
    });
    expect((await send(`/app/contacts/${id}/erase`, { cookie: t.cookie, form: { suppress: "1" } })).status).toBe(303);

    const csv =
      "First Name,Last Name,Email\nOttoline,Brackwater, OTTOLINE@Example.com \nFresh,Face,fresh.face@example.com\n";
    const { id: importId, preview, result } = await importFile(t.cookie, csv);
    expect(preview.new_count).toBe(1);
    expect(result.status).toBe("done");
    expect((await job(importId)).created_count).toBe(1);
    expect(await rowsMentioning(["ottoline", "brackwater"])).toEqual([]);
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM contact_emails WHERE tenant_id = ? AND email = 'fresh.face@example.com'",
      )
        .bind(t.tenantId)
        .first("n"),
    ).toBe(1);

    // Another workspace's list is its own: the same address imports there.
    const other = await newTenant("Other Co");
    const elsewhere = await importFile(other.cookie, csv);
    expect(elsewhere.preview.new_count).toBe(2);

    // Taken off the list (they asked to be kept again), the address imports again.
    const removed = await send("/app/settings/privacy/suppressions/remove", {
      cookie: t.cookie,
      form: { email: "ottoline@example.com" },
    });
    expect(removed.status).toBe(303);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id = ?").bind(t.tenantId).first("n"),
    ).toBe(0);
    const again = await importFile(t.cookie, csv);
    expect(again.preview.new_count).toBe(1); // Fresh Face is there already: unchanged
    expect((await job(again.id)).created_count).toBe(1);
  });

  it("without the suppression box, erases without suppressing", async () => {
    const t = await newTenant("No Suppress Co");
    const id = await createContact(t.cookie, { first_name: "Plain", emails: "plain.erase@example.com" });
    expect((await send(`/app/contacts/${id}/erase`, { cookie: t.cookie, form: {} })).status).toBe(303);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id = ?").bind(t.tenantId).first("n"),
    ).toBe(0);
    expect(await rowsReferring(t.tenantId, id)).toEqual([]);
  });
});

describe("erasing contacts in bulk", () => {
  it("confirms with the names, then erases exactly the selected contacts completely", async () => {
    const t = await newTenant("Bulk Erase Co");
    const a = await richContact(t, { first: "Marigold", last: "Fennimore" }, "marigold@example.com");
    const b = await createContact(t.cookie, {
      first_name: "Barnaby",
      last_name: "Culpepper",
      emails: "barnaby@example.com",
      phones: "+14155550199",
    });
    const keep = await createContact(t.cookie, { first_name: "Stays", emails: "stays@example.com" });

    const ask = await post("/app/contacts/bulk", t.cookie, {
      action: "erase",
      ids: [String(a), String(b)],
      back: "/app/contacts",
    });
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain("Erase 2 contacts?");
    expect(html).toContain("Marigold Fennimore");
    expect(await rowsReferring(t.tenantId, a)).not.toHaveLength(0);

    const res = await post("/app/contacts/bulk", t.cookie, {
      action: "erase",
      confirm: "1",
      suppress: "1",
      ids: [String(a), String(b)],
      back: "/app/contacts",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/contacts?notice=bulk_erased&n=2");
    for (const id of [a, b]) expect(await rowsReferring(t.tenantId, id)).toEqual([]);
    expect(await rowsMentioning(["marigold", "fennimore", "barnaby", "culpepper", "5550199"])).toEqual([]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id = ?").bind(t.tenantId).first("n"),
    ).toBe(3);
    expect(
      await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
        .bind(t.tenantId)
        .first("contacts"),
    ).toBe(1);
    expect((await send(`/app/contacts/${keep}`, { cookie: t.cookie })).status).toBe(200);
  });
});

describe("who may erase", () => {
  it("answers 404 for another workspace's contacts and erases nothing there", async () => {
    const a = await newTenant("Victim Co");
    const victim = await createContact(a.cookie, { first_name: "Untouchable", emails: "untouchable@example.com" });
    const b = await newTenant("Attacker Co");
    expect((await send(`/app/contacts/${victim}/erase`, { cookie: b.cookie })).status).toBe(404);
    expect((await send(`/app/contacts/${victim}/erase`, { cookie: b.cookie, form: { suppress: "1" } })).status).toBe(
      404,
    );
    const bulk = await post("/app/contacts/bulk", b.cookie, {
      action: "erase",
      confirm: "1",
      suppress: "1",
      ids: [String(victim)],
      back: "/app/contacts",
    });
    expect(bulk.status).toBe(303);
    expect(bulk.headers.get("Location")).toBe("/app/contacts?notice=bulk_erased&n=0");
    expect((await send(`/app/contacts/${victim}`, { cookie: a.cookie })).status).toBe(200);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM suppressions").first("n")).toBe(
      await env.DB.prepare("SELECT count(*) AS n FROM suppressions WHERE tenant_id <> ?").bind(a.tenantId).first("n"),
    );
  });

  it("refuses members and viewers (they may delete, not erase and suppress)", async () => {
    const t = await newTenant("Roles Erase Co");
    const id = await createContact(t.cookie, { first_name: "Kept", emails: "kept.by.roles@example.com" });
    for (const role of ["member", "viewer"] as const) {
      const u = await memberOf(t.tenantId, role);
      expect(
        (await send(`/app/contacts/${id}/erase`, { cookie: u.cookie, form: { suppress: "1" } })).status,
        role,
      ).toBe(403);
      expect(
        (
          await post("/app/contacts/bulk", u.cookie, {
            action: "erase",
            confirm: "1",
            ids: [String(id)],
            back: "/app/contacts",
          })
        ).status,
        role,
      ).toBe(403);
      const page = await textOf(`/app/contacts/${id}`, { cookie: u.cookie });
      expect(page, role).not.toContain("/erase");
    }
    expect((await send(`/app/contacts/${id}`, { cookie: t.cookie })).status).toBe(200);
    const admin = await memberOf(t.tenantId, "admin");
    expect((await send(`/app/contacts/${id}/erase`, { cookie: admin.cookie, form: {} })).status).toBe(303);
  });
});
