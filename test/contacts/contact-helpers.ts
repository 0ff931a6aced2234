/** Shared pieces of the contacts tests: real requests, plus direct reads of the test D1. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { ContactListQuery } from "../../src/services/contacts/list";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

export type Form = Record<string, string | string[]>;

/** A form body with repeated fields (emails, phones, tag_ids, ids) as the browser sends them. */
export function formBody(form: Form): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return body;
}

/** POSTs a form with repeated fields. */
export async function post(path: string, cookie: string, form: Form, headers: Record<string, string> = {}) {
  return send(path, {
    method: "POST",
    cookie,
    body: formBody(form).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** Creates a contact through the form and returns its id. */
export async function createContact(cookie: string, form: Form): Promise<number> {
  const res = await post("/app/contacts", cookie, { allow_duplicate: "1", ...form });
  if (res.status !== 303) throw new Error(`create failed with ${res.status}: ${await res.text()}`);
  const id = Number(res.headers.get("Location")!.match(/^\/app\/contacts\/(\d+)$/)![1]);
  return id;
}

/** The error shown beside a control, when the control points at it with aria-describedby. */
export function fieldError(html: string, id: string): string | null {
  const control = html.match(new RegExp(`<(?:input|select|textarea|fieldset)[^>]*id="${id}"[^>]*>`))?.[0];
  const describedBy = control?.match(/aria-describedby="([^"]*)"/)?.[1]?.split(" ") ?? [];
  if (!control || !describedBy.includes(`${id}-error`)) return null;
  return html.match(new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`))?.[1] ?? null;
}

/** Every row the tenant has in the contact tables, for "nothing was written" checks. */
export async function tenantState(tenantId: string) {
  const q = (sql: string) => queryRows(sql, tenantId);
  return {
    contacts: await q("SELECT * FROM contacts WHERE tenant_id = ? ORDER BY id"),
    emails: await q("SELECT * FROM contact_emails WHERE tenant_id = ? ORDER BY contact_id, position"),
    phones: await q("SELECT * FROM contact_phones WHERE tenant_id = ? ORDER BY contact_id, position"),
    tags: await q("SELECT * FROM tags WHERE tenant_id = ? ORDER BY id"),
    contactTags: await q("SELECT * FROM contact_tags WHERE tenant_id = ? ORDER BY contact_id, tag_id"),
    values: await q("SELECT * FROM custom_field_values WHERE tenant_id = ? ORDER BY field_id, entity_id"),
    notes: await q("SELECT * FROM notes WHERE tenant_id = ? ORDER BY id"),
    activities: await q("SELECT * FROM activities WHERE tenant_id = ? ORDER BY id"),
    counters: await q("SELECT * FROM tenant_counters WHERE tenant_id = ?"),
  };
}

/** The tenant's counter row next to the true counts: they must always agree. */
export async function expectCountersExact(tenantId: string) {
  const row = await env.DB.prepare(
    `SELECT coalesce((SELECT contacts FROM tenant_counters WHERE tenant_id = ?1), 0) AS counted_contacts,
            (SELECT count(*) FROM contacts WHERE tenant_id = ?1) AS contacts,
            coalesce((SELECT notes FROM tenant_counters WHERE tenant_id = ?1), 0) AS counted_notes,
            (SELECT count(*) FROM notes WHERE tenant_id = ?1) AS notes`,
  )
    .bind(tenantId)
    .first<{ counted_contacts: number; contacts: number; counted_notes: number; notes: number }>();
  expect(row!.counted_contacts, "contacts counter").toBe(row!.contacts);
  expect(row!.counted_notes, "notes counter").toBe(row!.notes);
}

// A tag of the tenant, written directly (tag admin pages are not this area's).
export { insertTag } from "../helpers/records";

/** A company of the tenant, written directly. */
export async function insertCompany(tenantId: string, name: string): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    "INSERT INTO companies (tenant_id, name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  )
    .bind(tenantId, name, name.toLowerCase(), now, now, now)
    .first<{ id: number }>();
  return row!.id;
}

/** A custom field for contacts, written directly. */
export async function insertCustomField(
  tenantId: string,
  name: string,
  kind: string,
  options: string[] | null = null,
): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, 'contact', ?, ?, ?, ?, 0, ?) RETURNING id",
  )
    .bind(tenantId, name, name.toLowerCase(), kind, options ? JSON.stringify(options) : null, Date.now())
    .first<{ id: number }>();
  return row!.id;
}

/**
 * The seeded contacts, one row each: i (1..n), the id the contact gets (ids are global, so they continue
 * from every tenant's and from the AUTOINCREMENT sequence) and its time. ?1 tenant, ?2 n, ?4 start.
 */
const SEED = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2),
  seed(i, id, at) AS (SELECT i, max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0),
    coalesce((SELECT max(id) FROM contacts), 0)) + i, ?4 + i FROM seq)`;

/**
 * `n` contacts for a tenant in a few statements (a recursive CTE), named "Bulk <i>" with emails
 * bulk<i>@example.com, so tests can fill a list quickly. The counter follows. `children` are more
 * `INSERT INTO table (columns) SELECT … FROM seed` statements (seed: i, id, at; ?1 is the tenant)
 * for rows that hang off each contact (emails, phones, notes).
 *
 * Children go in before their contacts (foreign keys deferred to the batch's end), so each contact's
 * search document is written once, complete, by the contacts trigger. Written after, every child row
 * deletes and rewrites its contact's document, and with secure-delete each delete rewrites the long
 * doclists of tokens all seeded contacts share (the tenant, "example"): 10,000 contacts took 11 s
 * instead of 1.3 s, and the export test's seed over a minute.
 */
export async function insertContacts(
  tenantId: string,
  n: number,
  opts: { prefix?: string; start?: number; children?: string[] } = {},
) {
  const prefix = opts.prefix ?? "Bulk";
  const now = opts.start ?? Date.now();
  const seeded = (sql: string) =>
    env.DB.prepare(`${sql.replace("SELECT", `${SEED} SELECT`)}`).bind(tenantId, n, prefix, now);
  await env.DB.batch([
    env.DB.prepare("PRAGMA defer_foreign_keys = ON"),
    seeded(
      "INSERT INTO contact_emails (tenant_id, contact_id, position, email) SELECT ?1, id, 0, lower(?3) || i || '@example.com' FROM seed",
    ),
    ...(opts.children ?? []).map(seeded),
    seeded(
      `INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, created_at, updated_at, last_activity_at)
       SELECT id, ?1, ?3, printf('%05d', i), lower(printf('%05d', i) || ' ' || ?3), lower(?3) || i || '@example.com', at, at, at FROM seed`,
    ),
    env.DB.prepare(
      "INSERT INTO tenant_counters (tenant_id, contacts) VALUES (?1, ?2) ON CONFLICT (tenant_id) DO UPDATE SET contacts = contacts + ?2",
    ).bind(tenantId, n),
  ]);
}

/** The ids of the contacts linked from a list page, in order. */
export function listedIds(html: string): number[] {
  return [...html.matchAll(/<tr id="contact-(\d+)"/g)].map((m) => Number(m[1]));
}

/** The href of the pager link with this rel, decoded. */
export function pagerHref(html: string, rel: "next" | "prev"): string | null {
  const href = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`))?.[1];
  return href ? href.replace(/&amp;/g, "&") : null;
}

export { newTenant };

/** The contacts list's query with nothing filtered, first page by name, with `over` changed. */
export function contactListQuery(over: Partial<ContactListQuery> = {}): ContactListQuery {
  return {
    sort: "name",
    dir: "asc",
    match: null,
    tagId: null,
    companyId: null,
    ownerId: null,
    custom: [],
    cursor: null,
    ...over,
  };
}
