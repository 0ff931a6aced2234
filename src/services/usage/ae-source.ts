/**
 * Production's usage source: a finished day's aggregates read back from Workers Analytics Engine through its
 * SQL API (POST <api>/accounts/<account>/analytics_engine/sql, the SQL as the body, a bearer token with
 * "Account Analytics Read"). The API binds no parameters, so the only values in the SQL are the day (which
 * the rollup makes itself and this validates again) and the dataset name from settings (validated too).
 */
import type { Bindings } from "../../env";
import { DEVICE_CLASSES, USAGE_KINDS, USAGE_PLANS } from "./definitions";
import { assertIsoDay, MAX_ROWS_PER_DAY, type UsageDayRow, type UsageSource } from "./usage-day";

export const DEFAULT_SQL_API_URL = "https://api.cloudflare.com/client/v4";
const TIMEOUT_MS = 20_000;

export interface SqlApiSettings {
  /** Up to /client/v4: Cloudflare's by default, the test's local fake in tests. */
  apiUrl: string;
  accountId: string;
  token: string;
  dataset: string;
}

type SqlApiEnv = Pick<Bindings, "USAGE_SQL_ACCOUNT_ID" | "USAGE_SQL_TOKEN" | "USAGE_DATASET" | "USAGE_SQL_API_URL">;

/** The SQL API settings, or what is missing or malformed (never the token's value). */
export function sqlApiSettings(env: SqlApiEnv): SqlApiSettings | string {
  const accountId = env.USAGE_SQL_ACCOUNT_ID?.trim() ?? "";
  const dataset = env.USAGE_DATASET?.trim() ?? "";
  const token = env.USAGE_SQL_TOKEN?.trim() ?? "";
  const apiUrl = (env.USAGE_SQL_API_URL?.trim() || DEFAULT_SQL_API_URL).replace(/\/+$/, "");
  if (!/^[A-Za-z0-9]{1,64}$/.test(accountId)) return "USAGE_SQL_ACCOUNT_ID unset or malformed";
  if (!token) return "USAGE_SQL_TOKEN unset";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(dataset)) return "USAGE_DATASET unset or malformed";
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) return "USAGE_SQL_API_URL malformed";
  return { apiUrl, accountId, token, dataset };
}

/**
 * One day's aggregates, with Analytics Engine's sampling undone: each stored point stands for
 * _sample_interval points, so counts are SUM(_sample_interval) and seconds SUM(double2 * _sample_interval).
 * blob order is the sink's (sink.ts). LIMIT one more than the cap, so an oversized day is noticed, not cut.
 */
export function daySql(dataset: string, day: string): string {
  assertIsoDay(day);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(dataset)) throw new Error("usage rollup: malformed dataset name");
  return `SELECT blob3 AS tenant_id, blob4 AS user_id, blob1 AS kind, blob2 AS name, blob7 AS device, blob5 AS plan,
  SUM(_sample_interval) AS count, SUM(double2 * _sample_interval) AS seconds
FROM ${dataset}
WHERE blob6 = '${day}'
GROUP BY tenant_id, user_id, kind, name, device, plan
LIMIT ${MAX_ROWS_PER_DAY + 1}
FORMAT JSON`;
}

export function analyticsEngineUsageSource(settings: SqlApiSettings): UsageSource {
  return {
    async dayRows(day) {
      const url = `${settings.apiUrl}/accounts/${settings.accountId}/analytics_engine/sql`;
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${settings.token}`, "content-type": "text/plain" },
        body: daySql(settings.dataset, day),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) {
        throw new Error(`usage rollup: Analytics Engine SQL API answered ${res.status}: ${text.slice(0, 200)}`);
      }
      const rows = parseRows(text);
      if (rows.length > MAX_ROWS_PER_DAY) throw new Error(`usage rollup: ${day} has over ${MAX_ROWS_PER_DAY} rows`);
      return rows;
    },
  };
}

const asCount = (v: unknown) => {
  // FORMAT JSON quotes 64-bit integers (SUM of _sample_interval), so a number may come as a string.
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

/** FORMAT JSON's { meta, data, rows }: the data rows, each checked against what the sink writes. */
function parseRows(text: string): UsageDayRow[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`usage rollup: Analytics Engine SQL API answered no JSON: ${text.slice(0, 100)}`);
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error("usage rollup: Analytics Engine SQL API answered no data array");
  return data.map((raw: Record<string, unknown>, i) => {
    const row = {
      tenantId: raw.tenant_id,
      userId: raw.user_id,
      kind: raw.kind,
      name: raw.name,
      device: raw.device,
      plan: raw.plan,
      count: asCount(raw.count),
      seconds: asCount(raw.seconds),
    };
    const ok =
      [row.tenantId, row.userId, row.name].every((s) => typeof s === "string" && s.length > 0 && s.length <= 200) &&
      (USAGE_KINDS as readonly unknown[]).includes(row.kind) &&
      (DEVICE_CLASSES as readonly unknown[]).includes(row.device) &&
      (USAGE_PLANS as readonly unknown[]).includes(row.plan) &&
      row.count !== null &&
      row.seconds !== null;
    if (!ok) throw new Error(`usage rollup: Analytics Engine row ${i} is not a usage aggregate`);
    return row as UsageDayRow;
  });
}
