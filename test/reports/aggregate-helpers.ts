/**
 * The report aggregates (migration 0020) as kept, next to a full recount of the records they sum, and next
 * to what the migration's own backfill statements compute: per workspace, as sets of rows.
 */
import { env } from "cloudflare:workers";

type Row = Record<string, unknown>;

interface Aggregate {
  table: string;
  /** The kept rows' columns, tenant_id left out. */
  columns: string;
  /** Plain GROUP BY over the source tables, the same keys as the migration's backfill; ?1 is the tenant. */
  recount: string;
}

export const AGGREGATES: Aggregate[] = [
  {
    table: "report_open_deals",
    columns: "stage_id, close_month, owner_key, currency, deals, amount_minor",
    recount: `SELECT stage_id, coalesce(substr(close_date, 1, 7), '') AS close_month, coalesce(owner_id, '') AS owner_key,
        currency, count(*) AS deals, sum(amount_minor) AS amount_minor
      FROM deals WHERE tenant_id = ?1 AND status = 'open' GROUP BY 1, 2, 3, 4`,
  },
  {
    table: "report_deal_outcomes",
    columns: "status, day, pipeline_id, owner_key, reason, currency, deals, amount_minor",
    recount: `SELECT status, coalesce(closed_on, close_date, date(created_at / 1000, 'unixepoch')) AS day, pipeline_id,
        coalesce(owner_id, '') AS owner_key, coalesce(lost_reason, '') AS reason, currency, count(*) AS deals,
        sum(amount_minor) AS amount_minor
      FROM deals WHERE tenant_id = ?1 AND status <> 'open' GROUP BY 1, 2, 3, 4, 5, 6`,
  },
  {
    table: "report_stage_days",
    columns: "day, pipeline_id, stage_id, spans, total_ms",
    recount: `SELECT date(left_at / 1000, 'unixepoch') AS day, pipeline_id, stage_id, count(*) AS spans,
        sum(left_at - entered_at) AS total_ms
      FROM deal_stage_history WHERE tenant_id = ?1 AND status = 'open' AND left_at IS NOT NULL GROUP BY 1, 2, 3`,
  },
  {
    table: "report_activity_days",
    columns: "day, kind, user_key, count",
    recount: `SELECT day, kind, user_key, count(*) AS count FROM (
        SELECT date(occurred_at / 1000, 'unixepoch') AS day, kind, coalesce(logged_by, '') AS user_key
          FROM interactions WHERE tenant_id = ?1
        UNION ALL SELECT date(created_at / 1000, 'unixepoch'), 'note', coalesce(author_id, '')
          FROM notes WHERE tenant_id = ?1
        UNION ALL SELECT date(completed_at / 1000, 'unixepoch'), 'task', coalesce(completed_by, '')
          FROM tasks WHERE tenant_id = ?1 AND status = 'done' AND completed_at IS NOT NULL
      ) GROUP BY 1, 2, 3`,
  },
  {
    table: "report_contact_days",
    columns: "day, source, user_key, count",
    recount: `SELECT date(created_at / 1000, 'unixepoch') AS day, source, coalesce(created_by, '') AS user_key,
        count(*) AS count
      FROM contacts WHERE tenant_id = ?1 GROUP BY 1, 2, 3`,
  },
];

/** Rows as sorted JSON lines, so two sets compare whatever order SQLite returned them in. */
function asSet(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

async function all(sql: string, ...values: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...values)
      .all<Row>()
  ).results;
}

/** Each aggregate table's rows for the workspace, as kept by the triggers. */
export async function keptAggregates(tenantId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const a of AGGREGATES)
    out[a.table] = asSet(await all(`SELECT ${a.columns} FROM ${a.table} WHERE tenant_id = ?`, tenantId));
  return out;
}

/** Each aggregate table's rows for the workspace as a full recount of the records says they should be. */
export async function recountedAggregates(tenantId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const a of AGGREGATES) out[a.table] = asSet(await all(a.recount, tenantId));
  return out;
}

/**
 * What the migration's backfill INSERTs (the statements outside the triggers) would write for the
 * workspace: their SELECTs run as they are, the rows of other workspaces dropped.
 */
export async function backfilledAggregates(tenantId: string): Promise<Record<string, string[]>> {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0020_"));
  if (!migration) throw new Error("no migration 0020");
  const out: Record<string, string[]> = {};
  for (const query of migration.queries) {
    if (/CREATE\s+TRIGGER/i.test(query)) continue;
    const m = /INSERT INTO `(report_\w+)` \(([^)]*)\)\s*(SELECT[\s\S]*?);?\s*$/.exec(query);
    if (!m) continue;
    const [, table, columnList, select] = m;
    const columns = columnList!.split(",").map((c) => c.trim());
    const rows = await env.DB.prepare(select!).raw<unknown[]>();
    const mine = rows
      .map((values) => Object.fromEntries(columns.map((c, i) => [c, values[i]])))
      .filter((r) => r.tenant_id === tenantId)
      .map(({ tenant_id: _, ...rest }) => rest);
    out[table!] = asSet(mine);
  }
  return out;
}

/** Every aggregate row that names the user (as owner or as who did it). */
export async function aggregateRowsNaming(userId: string): Promise<Row[]> {
  return [
    ...(await all("SELECT * FROM report_open_deals WHERE owner_key = ?", userId)),
    ...(await all("SELECT * FROM report_deal_outcomes WHERE owner_key = ?", userId)),
    ...(await all("SELECT * FROM report_activity_days WHERE user_key = ?", userId)),
    ...(await all("SELECT * FROM report_contact_days WHERE user_key = ?", userId)),
  ];
}

/** A small seeded generator (mulberry32), so a failing mix can be run again from its seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T | undefined => (items.length ? items[int(items.length)] : undefined);
  const chance = (p: number) => next() < p;
  /** A day of 2025 or 2026 up to November, as 'YYYY-MM-DD'. */
  const day = () => {
    const d = new Date(Date.UTC(2025, 0, 1) + int(660) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  return { next, int, pick, chance, day };
}
