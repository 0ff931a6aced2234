/** Companies, contacts and notes for tests: through the real forms where that is the point, SQL where it is setup. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";

/** Creates a company through POST /app/companies and returns its id. */
export async function createCompanyThroughForm(cookie: string, form: Record<string, string>): Promise<number> {
  const res = await send("/app/companies", { cookie, form: { name: "Acme", ...form } });
  expect(res.status, await res.clone().text()).toBe(303);
  const m = res.headers.get("Location")?.match(/^\/app\/companies\/(\d+)$/);
  expect(m, res.headers.get("Location") ?? "").toBeTruthy();
  return Number(m![1]);
}

/** Sends a form with repeated fields (tag_ids=1&tag_ids=2), which `send`'s record cannot express. */
export async function sendPairs(
  path: string,
  cookie: string,
  pairs: [string, string][],
  headers: Record<string, string> = {},
) {
  return send(path, {
    cookie,
    method: "POST",
    body: new URLSearchParams(pairs).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** A contact row, as the contacts feature would write it (setup only); a company id null names one not on file. */
export async function insertContact(
  tenantId: string,
  first: string,
  last: string,
  company?: { id: number | null; name: string },
): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    "INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, company_id, company_name, company_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
  )
    .bind(
      tenantId,
      first,
      last,
      `${last} ${first}`.toLowerCase(),
      company?.id ?? null,
      company?.name ?? null,
      (company?.name ?? "").toLowerCase(),
      now,
      now,
      now,
    )
    .first<{ id: number }>();
  return row!.id;
}

/** Many companies at once (setup for list and paging tests), with distinct times. */
export async function insertCompanies(tenantId: string, names: string[], start = Date.now() - 1_000_000) {
  for (let i = 0; i < names.length; i += 50) {
    await env.DB.batch(
      names
        .slice(i, i + 50)
        .map((name, j) =>
          env.DB.prepare(
            "INSERT INTO companies (tenant_id, name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?)",
          ).bind(
            tenantId,
            name,
            name.toLowerCase(),
            start + (i + j) * 1000,
            start + (names.length - i - j) * 1000,
            start,
          ),
        ),
    );
  }
}

/** Contacts found by the full-text index for a word prefix. */
export async function searchContacts(tenantId: string, word: string): Promise<number[]> {
  const rows = await env.DB.prepare("SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid")
    .bind(`tenant : "${tenantId}" AND "${word}"*`)
    .all<{ id: number }>();
  return rows.results.map((r) => r.id);
}

export async function counters(tenantId: string) {
  return (
    (await env.DB.prepare("SELECT contacts, companies, notes FROM tenant_counters WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ contacts: number; companies: number; notes: number }>()) ?? {
      contacts: 0,
      companies: 0,
      notes: 0,
    }
  );
}

export async function companyRow(id: number) {
  return env.DB.prepare("SELECT * FROM companies WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

/** Every row of the tables a company touches, for "nothing changed" assertions. */
export async function crmSnapshot(tenantId: string) {
  const out: Record<string, unknown[]> = {};
  for (const t of [
    "companies",
    "contacts",
    "notes",
    "tags",
    "company_tags",
    "custom_fields",
    "custom_field_values",
    "activities",
    "tenant_counters",
    "recent_views",
  ]) {
    out[t] = (
      await env.DB.prepare(`SELECT * FROM ${t} WHERE tenant_id = ? ORDER BY rowid`).bind(tenantId).all()
    ).results;
  }
  return out;
}

/** The audit entries of a tenant for an action. */
export async function auditOf(tenantId: string, action: string) {
  return (
    await env.DB.prepare("SELECT * FROM audit_log WHERE tenant_id = ? AND action = ? ORDER BY id")
      .bind(tenantId, action)
      .all<Record<string, unknown>>()
  ).results;
}

// Tags and custom fields are created with SQL (setup), returning their ids.
export { insertTag } from "../helpers/records";

export async function insertField(
  tenantId: string,
  entity: "contact" | "company",
  name: string,
  kind = "text",
  options: string[] | null = null,
): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
  )
    .bind(tenantId, entity, name, name.toLowerCase(), kind, options ? JSON.stringify(options) : null, Date.now())
    .first<{ id: number }>();
  return row!.id;
}

/** The text of the error tied to a field (by its id), or null. */
export function fieldError(html: string, fieldId: string): string | null {
  const tied = new RegExp(`id="${fieldId}"[^>]*aria-describedby="[^"]*${fieldId}-error`).test(html);
  const m = html.match(new RegExp(`<p class="field-error" id="${fieldId}-error">([^<]*)</p>`));
  return tied && m ? m[1]! : null;
}
