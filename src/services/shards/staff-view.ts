/**
 * What the staff console shows and does about where a workspace lives (docs/scale.md, "Routing", item 8): the one
 * place that reads several databases. Its directory entry, its record counts from the database holding them, its
 * latest move, and starting a move (admins), written to the workspace's audit trail.
 */
import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { shardMoves, type ShardMove } from "../../db/schema";
import type { Bindings } from "../../env";
import type { RequestMeta } from "../../lib/actor";
import { staffAuditInsert } from "../staff/staff-audit";
import { boundDatabases, databaseOf, type DatabaseName } from "./databases";
import { shardOf } from "./directory";
import { startMove, type StartMoveResult } from "./move";
import { NEVER_GIVEN_UP } from "./watchdog";
import { type Heartbeat, heartbeatStall, type JobStall } from "../jobs/stall";

export interface Counts {
  contacts: number;
  companies: number;
  deals: number;
}

/** The workspace's record counts, read on the database holding its records (the control database's are empty then). */
export async function countsWhereTheyAre<T extends Counts & { id: string }>(
  env: Bindings,
  control: Database,
  rows: T[],
) {
  return Promise.all(
    rows.map(async (row) => {
      const { shard, state } = await shardOf(control, row.id);
      if (shard === "DB") return { ...row, database: "DB", moving: state === "moving" };
      const counts = await databaseOf(env, shard)
        .prepare("SELECT contacts, companies, deals FROM tenant_counters WHERE tenant_id = ?")
        .bind(row.id)
        .first<Counts>();
      return {
        ...row,
        ...(counts ?? { contacts: 0, companies: 0, deals: 0 }),
        database: shard,
        moving: state === "moving",
      };
    }),
  );
}

/** Where the workspace is, its latest move, and where it could move to. */
export async function placementForStaff(env: Bindings, control: Database, tenantId: string) {
  const at = await shardOf(control, tenantId);
  const [latest] = await control
    .select()
    .from(shardMoves)
    .where(eq(shardMoves.tenantId, tenantId))
    .orderBy(desc(shardMoves.createdAt))
    .limit(1);
  const unfinished = latest && latest.status !== "done" && latest.status !== "failed";
  return {
    database: at.shard,
    latest: (latest ?? null) as ShardMove | null,
    targets: unfinished ? [] : boundDatabases(env).filter((name) => name !== at.shard),
  };
}

/** Why an unfinished move shows no progress, as the job pages say it; its last steps are never given up. */
export function moveStall(move: Heartbeat, now: number): JobStall | null {
  if (move.status === "done" || move.status === "failed") return null;
  const stall = heartbeatStall(move, now);
  return stall && NEVER_GIVEN_UP.has(move.status) ? { ...stall, untilDone: true } : stall;
}

export const MOVE_REFUSALS: Record<Exclude<StartMoveResult, { ok: true }>["reason"], string> = {
  not_bound: "That database is not bound to this deployment.",
  no_workspace: "No workspace has that id.",
  moving: "A move of this workspace is already under way.",
  same_database: "The workspace is on that database already.",
};

/** Starts moving the workspace to `target` and writes it to the workspace's audit trail. */
export async function startMoveAsStaff(
  env: Bindings,
  control: Database,
  staff: { id: string; name: string },
  tenantId: string,
  target: DatabaseName,
  meta: RequestMeta,
): Promise<StartMoveResult> {
  const from = (await shardOf(control, tenantId)).shard;
  const started = await startMove(env, tenantId, target, meta.now);
  if (started.ok)
    await staffAuditInsert(control, {
      tenantId,
      staffId: staff.id,
      staffName: staff.name,
      action: "support.workspace_move_started",
      targetType: "workspace",
      targetId: tenantId,
      targetLabel: `${from} → ${target}`,
      detail: { move: started.moveId, from, to: target },
      ...meta,
    });
  return started;
}
