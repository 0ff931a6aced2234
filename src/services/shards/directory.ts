/**
 * The workspace directory (workspace_shards, on the control database): which database holds each
 * workspace's CRM data, and whether its writes are frozen for a move. A workspace without an entry lives
 * on DB, where every workspace lived before shards, so existing workspaces need no backfill.
 */
import { eq, sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type ShardState, shardStats, tenants, workspaceShards } from "../../db/schema";
import type { Bindings } from "../../env";
import { boundDatabases, type DatabaseName, eachDatabase, isDatabaseName } from "./databases";
import { ensureIdRange } from "./id-ranges";
import { chooseShard, type DatabaseLoad as RuleLoad } from "./placement-rule";

export { chooseShard };

export interface Placement {
  shard: DatabaseName;
  state: ShardState;
}

/** Where a workspace lives (DB when it has no entry). */
export async function shardOf(db: Database, tenantId: string): Promise<Placement> {
  const [row] = await db
    .select({ shard: workspaceShards.shard, state: workspaceShards.state })
    .from(workspaceShards)
    .where(eq(workspaceShards.tenantId, tenantId));
  if (!row) return { shard: "DB", state: "active" };
  if (!isDatabaseName(row.shard)) throw new Error(`workspace ${tenantId} is on unknown database ${row.shard}`);
  return { shard: row.shard, state: row.state };
}

export type DatabaseLoad = RuleLoad<DatabaseName>;

/** The load of each candidate database, from shard_stats (one query on the control database). */
export async function loadsOf(db: Database, candidates: readonly DatabaseName[]): Promise<DatabaseLoad[]> {
  const rows = await db.select().from(shardStats);
  const byName = new Map(rows.map((r) => [r.shard, r]));
  return candidates.map((shard) => ({
    shard,
    bytes: byName.get(shard)?.bytes ?? 0,
    workspaces: byName.get(shard)?.workspaces ?? 0,
  }));
}

/**
 * The database a new workspace goes to, among `candidates` (placementTargets in new-workspace.ts), and the
 * statements that place it, for the batch that creates it: its directory entry and one more workspace on the
 * chosen database's count. Reads shard_stats once.
 */
export async function placementStatements(
  db: Database,
  tenantId: string,
  now: number,
  candidates: readonly DatabaseName[] = ["DB"],
): Promise<{ shard: DatabaseName; statements: SQLWrapper[] }> {
  const shard = chooseShard(await loadsOf(db, candidates));
  return {
    shard,
    statements: [
      db.insert(workspaceShards).values({ tenantId, shard, state: "active", createdAt: now }),
      db
        .insert(shardStats)
        .values({ shard, workspaces: 1 })
        .onConflictDoUpdate({ target: shardStats.shard, set: { workspaces: sql`${shardStats.workspaces} + 1` } }),
    ],
  };
}

/**
 * Measures every bound database (D1 reports its size with each query) and recounts its workspaces from
 * the directory: what placement reads. Also makes sure each shard counts ids from its own range
 * (id-ranges.ts). Three queries per shard, three on the control database.
 */
export async function measureDatabases(env: Bindings, control: Database, now: number): Promise<DatabaseLoad[]> {
  const names = boundDatabases(env);
  const counts = new Map<string, number>();
  for (const row of await control
    .select({ shard: workspaceShards.shard, n: sql<number>`count(*)` })
    .from(workspaceShards)
    .groupBy(workspaceShards.shard))
    counts.set(row.shard, row.n);
  // Workspaces without an entry live on DB.
  const [unplaced] = await control
    .select({ n: sql<number>`count(*)` })
    .from(tenants)
    .where(sql`NOT EXISTS (SELECT 1 FROM ${workspaceShards} WHERE ${workspaceShards.tenantId} = ${tenants.id})`);
  counts.set("DB", (counts.get("DB") ?? 0) + (unplaced?.n ?? 0));
  const loads: DatabaseLoad[] = [];
  // A shard down keeps its last measure (placement reads it) and does not hold back the others'.
  await eachDatabase(env, names, "shard_measure_failed", async (db, shard) => {
    await ensureIdRange(db, shard);
    const result = await db.prepare("SELECT 1").run();
    loads.push({ shard, bytes: result.meta.size_after ?? 0, workspaces: counts.get(shard) ?? 0 });
  });
  await control.batch(
    loads.map((l) =>
      control
        .insert(shardStats)
        .values({ shard: l.shard, bytes: l.bytes, workspaces: l.workspaces, measuredAt: now })
        .onConflictDoUpdate({
          target: shardStats.shard,
          set: { bytes: l.bytes, workspaces: l.workspaces, measuredAt: now },
        }),
    ) as [never, ...never[]],
  );
  return loads;
}

/**
 * For each database, the workspaces it holds a copy of that is not theirs: a move not finished has the workspace
 * on two databases (the target being filled, or the source not yet cleaned), and work that sweeps every database
 * (reminders, the agenda) must act on the directory's copy only, or a reminder goes out twice.
 */
export async function copiesElsewhere(control: Database): Promise<(name: DatabaseName) => string[]> {
  const moving = await control.all<{ tenant_id: string; home: string }>(
    sql`SELECT /* all tenants: the moves under way, a handful */ m.tenant_id, coalesce(s.shard, 'DB') AS home
        FROM shard_moves m LEFT JOIN workspace_shards s ON s.tenant_id = m.tenant_id
        WHERE m.status NOT IN ('done', 'failed')`,
  );
  return (name) => moving.filter((m) => m.home !== name).map((m) => m.tenant_id);
}
