/** The contacts_fts index follows every write, through the triggers of migration 0003. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { insertContact } from "../companies/helpers";

async function search(tenantId: string, query: string): Promise<number[]> {
  const rows = await env.DB.prepare("SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid")
    .bind(`tenant : "${tenantId}" AND (${query})`)
    .all<{ id: number }>();
  return rows.results.map((r) => r.id);
}

/** A contact's first email or phone, written directly so that only the triggers index it. */
function firstEmailOrPhone(kind: "email" | "phone", tenantId: string, contactId: number, value: string) {
  return env.DB.prepare(
    `INSERT INTO contact_${kind}s (tenant_id, contact_id, position, ${kind}) VALUES (?, ?, 0, ?)`,
  ).bind(tenantId, contactId, value);
}

/** A note on a contact, written directly likewise. */
function noteOn(tenantId: string, contactId: number, body: string) {
  return env.DB.prepare(
    "INSERT INTO notes (tenant_id, subject_type, subject_id, body, created_at, updated_at) VALUES (?, 'contact', ?, ?, 1, 1)",
  ).bind(tenantId, contactId, body);
}

describe("contacts search index", () => {
  it("indexes names, emails, phones, company and notes, with prefixes and without accents", async () => {
    const { tenantId } = await newTenant("Index Co");
    const id = await insertContact(tenantId, "Zoë", "Lovelace", { id: null, name: "Analytical Engines Ltd" });
    await env.DB.batch([
      firstEmailOrPhone("email", tenantId, id, "ada@engines.example"),
      firstEmailOrPhone("phone", tenantId, id, "+14155550123"),
      noteOn(tenantId, id, "Met at the Babbage conference"),
    ]);
    for (const q of [
      '"zoe"*',
      '"lov"*',
      '"ada"* AND "engines"*',
      '"4155550123"*',
      '"5550123"*',
      '"analyt"*',
      '"babbage"*',
    ]) {
      expect(await search(tenantId, q), q).toEqual([id]);
    }
  });

  it("follows updates and deletes", async () => {
    const { tenantId } = await newTenant("Index Two");
    const id = await insertContact(tenantId, "Grace", "Hopper");
    await env.DB.prepare("UPDATE contacts SET last_name = 'Murray' WHERE id = ?").bind(id).run();
    expect(await search(tenantId, '"hopper"*')).toEqual([]);
    expect(await search(tenantId, '"murray"*')).toEqual([id]);
    await noteOn(tenantId, id, "cobol").run();
    expect(await search(tenantId, '"cobol"')).toEqual([id]);
    await env.DB.prepare("DELETE FROM notes WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ?")
      .bind(tenantId, id)
      .run();
    expect(await search(tenantId, '"cobol"')).toEqual([]);
    await env.DB.prepare("DELETE FROM contacts WHERE id = ?").bind(id).run();
    expect(await search(tenantId, '"murray"*')).toEqual([]);
  });

  it("keeps tenants apart", async () => {
    const a = await newTenant("Index A");
    const b = await newTenant("Index B");
    const idA = await insertContact(a.tenantId, "Alan", "Turing");
    await insertContact(b.tenantId, "Alan", "Turing");
    expect(await search(a.tenantId, '"turing"*')).toEqual([idA]);
  });
});
