/**
 * How fast a closed workspace is erased with the default settings (500 rows per statement, 200
 * statements per run): rows of the tenant left after each scheduled run, counted table by table, and
 * the statements each run made. Prints the figures (docs/operations.md quotes them) and checks that
 * every run stays within its statement budget and makes progress.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { TENANT_TABLES } from "../../src/services/privacy/erasure-steps";
import { STATEMENTS_PER_RUN } from "../../src/services/privacy/retention";
import { GOOD_PASSWORD, statusOf } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { runCron, tenantExists, tracesOf } from "./helpers";

const CONTACTS = 3000;

async function tenantRows(tenantId: string): Promise<number> {
  let total = 0;
  for (const table of [...TENANT_TABLES, "memberships"]) {
    total += (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
      .bind(tenantId)
      .first<{ n: number }>())!.n;
  }
  return total;
}

it(`erases a workspace of ${CONTACTS} contacts (with emails, phones, tags, notes and timeline) in bounded runs`, async () => {
  const t = await newTenant("Big Closure Co");
  const now = Date.now();
  const q = (sql: string) => env.DB.prepare(sql).bind(t.tenantId, CONTACTS, now);
  await env.DB.batch([
    q(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2)
       INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_at, updated_at, last_activity_at) SELECT ?1, 'First' || i, 'Last' || i, 'last' || i, ?3, ?3, ?3 FROM seq`),
    q(
      `INSERT INTO tags (tenant_id, name, name_key, color, created_at) SELECT ?1, 'Tag', 'tag', 'blue', ?3 WHERE ?2 > 0`,
    ),
  ]);
  await env.DB.batch([
    q(
      `INSERT INTO contact_emails (tenant_id, contact_id, position, email) SELECT tenant_id, id, 0, 'c' || id || '@big.example' FROM contacts WHERE tenant_id = ?1 AND ?2 > 0 AND ?3 > 0`,
    ),
    q(
      `INSERT INTO contact_emails (tenant_id, contact_id, position, email) SELECT tenant_id, id, 1, 'w' || id || '@big.example' FROM contacts WHERE tenant_id = ?1 AND ?2 > 0 AND ?3 > 0`,
    ),
    q(
      `INSERT INTO contact_phones (tenant_id, contact_id, position, phone) SELECT tenant_id, id, 0, '+1415555' || substr('0000' || id, -4) FROM contacts WHERE tenant_id = ?1 AND ?2 > 0 AND ?3 > 0`,
    ),
    q(
      `INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT c.tenant_id, c.id, t.id FROM contacts c JOIN tags t ON t.tenant_id = c.tenant_id WHERE c.tenant_id = ?1 AND ?2 > 0 AND ?3 > 0`,
    ),
    q(
      `INSERT INTO notes (tenant_id, subject_type, subject_id, body, created_at, updated_at) SELECT tenant_id, 'contact', id, 'A note about ' || first_name, ?3, ?3 FROM contacts WHERE tenant_id = ?1 AND ?2 > 0`,
    ),
    q(
      `INSERT INTO activities (tenant_id, subject_type, subject_id, kind, created_at) SELECT tenant_id, 'contact', id, 'created', ?3 FROM contacts WHERE tenant_id = ?1 AND ?2 > 0`,
    ),
  ]);
  const rows = await tenantRows(t.tenantId);
  expect(rows).toBeGreaterThan(CONTACTS * 7);
  // One run before the closure: in this fresh storage the usage rollup's first run catches up a week of days
  // (about 25 statements), which belongs to no erasure; afterwards it only checks which days are due.
  await runCron(Date.now());

  expect(
    await statusOf("/app/settings/close", {
      cookie: t.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
      env: { CLOSURE_GRACE_DAYS: "0" },
    }),
  ).toBe(200);

  const perRun: { rowsErased: number; statements: number; ms: number }[] = [];
  let left = await tenantRows(t.tenantId);
  for (let run = 0; run < 50 && (await tenantExists(t.tenantId)); run += 1) {
    const counting = countingDb();
    const started = performance.now();
    await runCron(Date.now() + 60_000 * (run + 1), { DB: counting.binding });
    const ms = Math.round(performance.now() - started);
    const nowLeft = await tenantRows(t.tenantId);
    perRun.push({ rowsErased: left - nowLeft, statements: counting.statements.length, ms });
    // The erasure's budget, and the cron's other parts (mail, reminders, ...; the support-grant sweep and
    // the usage rollup's check of which days are due add one statement each).
    expect(counting.statements.length).toBeLessThanOrEqual(STATEMENTS_PER_RUN + 12);
    if (await tenantExists(t.tenantId)) expect(nowLeft, `run ${run + 1} made progress`).toBeLessThan(left);
    left = nowLeft;
  }
  expect(await tenantExists(t.tenantId)).toBe(false);
  expect(await tracesOf([t.tenantId, t.email, "First1", "@big.example"], ["closed_tenant_ledger"])).toEqual([]);
  console.log(
    JSON.stringify({ type: "erasure_figures", contacts: CONTACTS, tenantRows: rows, runs: perRun.length, perRun }),
  );
}, 60_000);
