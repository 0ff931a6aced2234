/** What the retention tests share: small queries, and the check that a second run at the same time changes nothing. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { runCron } from "../closure/helpers";

export const MINUTE = 60_000;

export const one = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();

export const count = async (sql: string, ...args: unknown[]) =>
  (await one<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`, ...args))!.n;

/** Every row of the tables retention touches. */
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  const tables = [
    "audit_log",
    "email_outbox",
    "sessions",
    "auth_tokens",
    "rate_limits",
    "support_messages",
    "consent_records",
    "import_jobs",
    "import_records",
  ];
  for (const t of [...tables, "digest_runs", "closed_tenant_ledger", "tenants", "retention_state"]) {
    out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()).results;
  }
  return out;
}

/** Runs the cron at `at`, then again at the same time, and expects the second run to change nothing. */
export async function twiceIsOnce(at: number, bindings: Partial<Cloudflare.Env> = {}) {
  await runCron(at, bindings);
  const after = await snapshot();
  await runCron(at, bindings);
  expect(await snapshot()).toEqual(after);
}
