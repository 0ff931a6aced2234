/** The trash tests' shared steps: real requests, direct reads of the test D1. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";

/** The trash item of a record, or null. */
export async function trashItemOf(kind: string, recordId: number) {
  return env.DB.prepare("SELECT * FROM trash_items WHERE kind = ? AND record_id = ?")
    .bind(kind, recordId)
    .first<{ id: number; tenant_id: string; title: string; purge_after: number; deleted_at: number }>();
}

/** How many rows the trash holds for an item. */
export async function trashRowCount(itemId: number): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM trash_rows WHERE item_id = ?").bind(itemId).first<{
    n: number;
  }>())!.n;
}

/** POSTs the restore of a trash item and returns the response. */
export function restore(cookie: string, itemId: number | string) {
  return send(`/app/trash/${itemId}/restore`, { cookie, form: {} });
}

/** Restores and expects to land on `path` (the record's page), with the restored notice. */
export async function restoreTo(cookie: string, itemId: number, path: string) {
  const res = await restore(cookie, itemId);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get("Location")).toMatch(new RegExp(`^${path}\\?restored=`));
  return res.headers.get("Location")!;
}

/** Every row of the tenant in the tables a record's delete touches (recent views aside), for "all back" checks. */
export async function recordTables(tenantId: string) {
  const out: Record<string, unknown[]> = {};
  // Sorted here: some of these tables have no rowid to order by.
  for (const table of [
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_tags",
    "companies",
    "company_tags",
    "deals",
    "deal_contacts",
    "deal_tags",
    "deal_stage_history",
    "deal_stage_totals",
    "custom_field_values",
    "notes",
    "tasks",
    "interactions",
    "activities",
    "tenant_counters",
    "report_open_deals",
    "report_contact_days",
    "report_activity_days",
  ])
    out[table] = (await queryRows(`SELECT * FROM ${table} WHERE tenant_id = ?`, tenantId))
      .map((row) => JSON.stringify(row))
      .sort();
  return out;
}

/** Contact ids the full-text index finds for a word prefix in the tenant. */
export async function searchIds(tenantId: string, word: string): Promise<number[]> {
  const rows = await env.DB.prepare("SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid")
    .bind(`tenant : "${tenantId}" AND "${word}"*`)
    .all<{ id: number }>();
  return rows.results.map((r) => r.id);
}
