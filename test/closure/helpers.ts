/**
 * Closure and retention test helpers: the cron run with a chosen clock, and a walk over every table
 * of the schema (read from sqlite_master, so a table added later is walked too) looking for any
 * trace of a tenant or of people.
 */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { runCron } from "../helpers/cron";

export const DAY = 86_400_000;

// The cron (mail sweep + retention job) with a chosen clock.
export { runCron };

/** Whether the tenant row still exists. */
export async function tenantExists(tenantId: string): Promise<boolean> {
  return (await env.DB.prepare("SELECT 1 AS x FROM tenants WHERE id = ?").bind(tenantId).first()) !== null;
}

/** Runs the cron at `at` (one minute later each time) until the tenant is gone; returns the number of runs. */
export async function runCronUntilErased(
  tenantId: string,
  at: number,
  bindings: Partial<Cloudflare.Env> = {},
  maxRuns = 200,
): Promise<number> {
  for (let run = 1; run <= maxRuns; run += 1) {
    await runCron(at + (run - 1) * 60_000, bindings);
    if (!(await tenantExists(tenantId))) return run;
  }
  throw new Error(`tenant ${tenantId} still exists after ${maxRuns} runs`);
}

/** Every table of the database (not SQLite's or D1's own, nor the migrations record). */
export async function schemaTables(): Promise<string[]> {
  const rows = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

/** A table's column names. */
export async function columnsOf(table: string): Promise<string[]> {
  return (
    await env.DB.prepare("SELECT name FROM pragma_table_info(?)").bind(table).all<{ name: string }>()
  ).results.map((r) => r.name);
}

export interface Trace {
  table: string;
  rows: number;
}

/**
 * Every table holding a row in which any column contains any of the needles (a tenant id, user ids,
 * email addresses, names), compared as bytes, so text, numbers and the search index's blobs are all
 * searched. `except` names tables not to report (the ledger, checked on its own).
 */
export async function tracesOf(needles: string[], except: string[] = [], db: D1Database = env.DB): Promise<Trace[]> {
  const found: Trace[] = [];
  const wanted = needles.filter((n) => n.length > 0);
  for (const table of await schemaTables()) {
    if (except.includes(table)) continue;
    const columns = await columnsOf(table);
    if (columns.length === 0) continue;
    const conditions = columns.map((c) => `instr(CAST("${c}" AS BLOB), CAST(needle.value AS BLOB)) > 0`);
    const row = await db
      .prepare(
        `SELECT count(*) AS n FROM "${table}" WHERE EXISTS (SELECT 1 FROM json_each(?1) AS needle WHERE ${conditions.join(" OR ")})`,
      )
      .bind(JSON.stringify(wanted))
      .first<{ n: number }>();
    if (row && row.n > 0) found.push({ table, rows: row.n });
  }
  return found;
}

/** Tables with a column of this name. */
export async function tablesWithColumn(column: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of await schemaTables()) if ((await columnsOf(table)).includes(column)) out.push(table);
  return out;
}

/** Keys of the R2 objects under a prefix. */
export async function r2Keys(prefix: string): Promise<string[]> {
  return (await env.FILES.list({ prefix })).objects.map((o) => o.key);
}

export const FAKE = () => `http://127.0.0.1:${inject("fakeApiPort")}`;

/** Tells the fake Stripe API that the customer has this invoice. */
export async function stripeHasInvoice(inv: {
  id: string;
  customer: string;
  number: string;
  total: number;
  amount_paid: number;
  created: number;
  status?: string;
}) {
  const res = await fetch(`${FAKE()}/__stripe/invoices`, {
    method: "POST",
    body: JSON.stringify({
      object: "invoice",
      currency: "usd",
      status: "paid",
      period_start: inv.created - 30 * 86_400,
      period_end: inv.created,
      customer_email: "someone@example.com",
      customer_name: "Someone",
      ...inv,
    }),
  });
  if (!res.ok) throw new Error(`fake refused the invoice: ${res.status}`);
}
