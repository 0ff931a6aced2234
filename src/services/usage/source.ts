/**
 * Where the rollup reads a finished day's usage from, behind one small interface like the sink's: the
 * usage_events table in development and tests, Analytics Engine's SQL API in production (ae-source.ts).
 * usageSourceFor() chooses with the same rule as usageSinkFor(), so the rollup reads where the sink wrote.
 */
import type { Bindings } from "../../env";
import { writesToAnalyticsEngine } from "./sink";
import { analyticsEngineUsageSource, sqlApiSettings } from "./ae-source";
import { assertIsoDay, MAX_ROWS_PER_DAY, type UsageDayRow, type UsageSource } from "./usage-day";

/** D1: the day's raw points in usage_events, grouped. */
export function d1UsageSource(db: Pick<D1Database, "prepare">): UsageSource {
  return {
    async dayRows(day) {
      assertIsoDay(day);
      const { results } = await db
        .prepare(
          `SELECT /* all tenants: the rollup makes a whole day */ tenant_id AS tenantId, user_id AS userId, kind, name,
             device, plan, COUNT(*) AS count, SUM(seconds) AS seconds
           FROM usage_events WHERE day = ? GROUP BY tenant_id, user_id, kind, name, device, plan LIMIT ?`,
        )
        .bind(day, MAX_ROWS_PER_DAY + 1)
        .all<UsageDayRow>();
      if (results.length > MAX_ROWS_PER_DAY) throw new Error(`usage rollup: ${day} has over ${MAX_ROWS_PER_DAY} rows`);
      return results;
    },
  };
}

/**
 * The source for these bindings. Where the sink writes to Analytics Engine (production with the USAGE dataset
 * bound), the rollup reads it back through the SQL API; if that API's settings are missing it throws at each
 * read, so the cron reports it and no day is marked rolled up from an empty D1 table. Elsewhere: D1.
 */
export function usageSourceFor(
  env: Pick<
    Bindings,
    | "DB"
    | "USAGE"
    | "ENVIRONMENT"
    | "USAGE_SINK"
    | "USAGE_SQL_ACCOUNT_ID"
    | "USAGE_SQL_TOKEN"
    | "USAGE_DATASET"
    | "USAGE_SQL_API_URL"
  >,
): UsageSource {
  if (!writesToAnalyticsEngine(env)) return d1UsageSource(env.DB);
  const settings = sqlApiSettings(env);
  if (typeof settings === "string") {
    return {
      dayRows: () => Promise.reject(new Error(`usage rollup: Analytics Engine SQL API not configured (${settings})`)),
    };
  }
  return analyticsEngineUsageSource(settings);
}
