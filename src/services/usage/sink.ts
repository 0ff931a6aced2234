/**
 * Where usage points go, behind one small interface: Workers Analytics Engine in production (no D1 write
 * per request), the usage_events table in development and tests. usageSinkFor() is the one place that
 * chooses.
 */
import type { Bindings } from "../../env";
import { isProduction } from "../../lib/dev-tools";
import type { UsagePoint } from "./definitions";

export interface UsageSink {
  /** Writes one request's points; called after the response (waitUntil), so a failure loses only them. */
  write(points: UsagePoint[]): Promise<void>;
}

/**
 * Analytics Engine: one data point per usage point. blob order is the column order the production rollup's
 * SQL API query reads (docs/operations.md): blob1 kind, blob2 name, blob3 tenant, blob4 user, blob5 plan,
 * blob6 day, blob7 device; double1 count, double2 seconds; the index is the workspace (AE samples per index).
 */
export function analyticsEngineSink(dataset: AnalyticsEngineDataset): UsageSink {
  return {
    async write(points) {
      for (const p of points) {
        dataset.writeDataPoint({
          blobs: [p.kind, p.name, p.tenantId, p.userId, p.plan, p.day, p.device],
          doubles: [1, p.seconds],
          indexes: [p.tenantId],
        });
      }
    },
  };
}

const COLUMNS = 9;
// D1 binds at most 100 parameters per statement.
const ROWS_PER_STATEMENT = Math.floor(100 / COLUMNS);

/** D1: a request's points in one batch of multi-row inserts. */
export function d1UsageSink(db: D1Database): UsageSink {
  return {
    async write(points) {
      if (points.length === 0) return;
      const statements: D1PreparedStatement[] = [];
      for (let i = 0; i < points.length; i += ROWS_PER_STATEMENT) {
        const rows = points.slice(i, i + ROWS_PER_STATEMENT);
        const values = rows.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
        statements.push(
          db
            .prepare(
              `INSERT INTO usage_events (tenant_id, user_id, kind, name, plan, day, device, seconds, created_at)
               VALUES ${values}`,
            )
            .bind(
              ...rows.flatMap((p) => [p.tenantId, p.userId, p.kind, p.name, p.plan, p.day, p.device, p.seconds, p.at]),
            ),
        );
      }
      await db.batch(statements);
    },
  };
}

/**
 * Whether points go to Analytics Engine: when the USAGE dataset is bound and this is production (wrangler
 * dev and vitest bind a local no-op simulator of it, which would drop everything), or when USAGE_SINK asks
 * for it — `npm run bench` does, to measure pages with production's write path instead of D1's.
 */
export function writesToAnalyticsEngine(env: Pick<Bindings, "USAGE" | "ENVIRONMENT" | "USAGE_SINK">): boolean {
  return Boolean(env.USAGE) && (isProduction(env) || env.USAGE_SINK === "analytics-engine");
}

/** The sink for these bindings: Analytics Engine (see writesToAnalyticsEngine), else D1. */
export function usageSinkFor(env: Pick<Bindings, "DB" | "USAGE" | "ENVIRONMENT" | "USAGE_SINK">): UsageSink {
  return writesToAnalyticsEngine(env) ? analyticsEngineSink(env.USAGE!) : d1UsageSink(env.DB);
}
