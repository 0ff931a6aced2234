/**
 * Moving a workspace between databases (the directory's entry follows it), as a background job: a
 * shard_moves row on the control database holds the step reached, each Queue message runs one step
 * (phases.ts) and sends the next, and the watchdog (watchdog.ts) sends a step again when its message
 * was lost. Every step is bounded: a page of rows, a handful of queries, far inside D1's 1,000 per
 * invocation. A step records its progress only if the row is still where the step began, so two
 * deliveries of one step never both move on.
 */
import { eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { type ShardMove, shardMoves } from "../../db/schema";
import type { Bindings } from "../../env";
import { newId } from "../../lib/ids";
import { type DatabaseName, databaseOf, isDatabaseName } from "./databases";
import { shardOf } from "./directory";
import { type NextState, runPhase } from "./phases";

export type MoveMessage = { type: "shards.move"; moveId: string };

export const moveMessage = (move: Pick<ShardMove, "id">): MoveMessage => ({ type: "shards.move", moveId: move.id });

/** Rows a step reads and writes per table page (SHARD_MOVE_PAGE_ROWS lowers it in tests). */
const PAGE_ROWS = 500;

export type StartMoveResult =
  | { ok: true; moveId: string }
  | { ok: false; reason: "same_database" | "not_bound" | "moving" | "no_workspace" };

/** Starts moving a workspace to `target`; the first step is sent to the queue (or, if lost, by the watchdog). */
export async function startMove(
  env: Bindings,
  tenantId: string,
  target: DatabaseName,
  now: number,
): Promise<StartMoveResult> {
  const control = createDb(env.DB);
  if (!env[target]) return { ok: false, reason: "not_bound" };
  const exists = await env.DB.prepare("SELECT 1 AS one FROM tenants WHERE id = ?").bind(tenantId).first();
  if (!exists) return { ok: false, reason: "no_workspace" };
  const at = await shardOf(control, tenantId);
  if (at.state === "moving") return { ok: false, reason: "moving" };
  if (at.shard === target) return { ok: false, reason: "same_database" };
  const id = newId();
  const inserted = await control
    .insert(shardMoves)
    .values({ id, tenantId, source: at.shard, target, status: "copying", createdAt: now, updatedAt: now })
    // shard_moves_one_working: another move of this workspace is under way.
    .onConflictDoNothing()
    .returning({ id: shardMoves.id });
  if (inserted.length === 0) return { ok: false, reason: "moving" };
  await sendStep(env, moveMessage({ id }));
  return { ok: true, moveId: id };
}

async function sendStep(env: Bindings, message: MoveMessage, delaySeconds?: number): Promise<void> {
  try {
    await env.JOBS.send(message, delaySeconds ? { delaySeconds } : undefined);
  } catch (err) {
    // The watchdog sends it again once the move has been silent for a while.
    console.error(
      JSON.stringify({ type: "job_send_failed", job: message.type, id: message.moveId, error: String(err) }),
    );
  }
}

/**
 * Records a step's outcome if the move is still where the step began (one control batch): the
 * directory change of the freeze, the switch or the rollback, guarded by the same condition, then the
 * move's own row. True when this run moved the job on.
 */
async function advance(env: Bindings, move: ShardMove, to: NextState, now: number): Promise<boolean> {
  const db = env.DB;
  const was = [move.id, move.tenantId, move.status, move.tableIndex, move.cursor ?? "", move.tally ?? ""];
  const statements: D1PreparedStatement[] = [];
  if (to.directory)
    statements.push(
      db
        .prepare(
          `INSERT INTO workspace_shards (tenant_id, shard, state, moved_at, created_at)
           SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM shard_moves WHERE id = ? AND tenant_id = ? AND status = ?
             AND table_index = ? AND coalesce(cursor, '') = ? AND coalesce(tally, '') = ?)
           ON CONFLICT (tenant_id) DO UPDATE SET shard = excluded.shard, state = excluded.state,
             moved_at = coalesce(excluded.moved_at, workspace_shards.moved_at)`,
        )
        .bind(move.tenantId, to.directory.shard, to.directory.state, to.directory.movedAt, now, ...was),
    );
  const finished = to.status === "done" || to.status === "failed";
  statements.push(
    db
      .prepare(
        `UPDATE shard_moves SET status = ?, table_index = ?, cursor = ?, tally = ?, frozen_at = coalesce(?, frozen_at),
           message = coalesce(?, message), updated_at = ?, finished_at = ?, watchdog_tries = 0
         WHERE id = ? AND tenant_id = ? AND status = ? AND table_index = ? AND coalesce(cursor, '') = ?
           AND coalesce(tally, '') = ?`,
      )
      .bind(
        to.status,
        to.tableIndex,
        to.cursor === null ? null : JSON.stringify(to.cursor),
        to.tally ? JSON.stringify(to.tally) : null,
        to.frozenAt ?? null,
        to.message ?? null,
        now,
        finished ? now : null,
        ...was,
      ),
  );
  const results = await db.batch(statements);
  return (results.at(-1)?.meta.changes ?? 0) === 1;
}

/** The queue's handler of "shards.move": runs the move's current step and sends the next. */
export async function runMoveStep(env: Bindings, message: MoveMessage, now: number): Promise<void> {
  const [move] = await createDb(env.DB).select().from(shardMoves).where(eq(shardMoves.id, message.moveId));
  if (!move || move.status === "done" || move.status === "failed") return;
  if (!isDatabaseName(move.source) || !isDatabaseName(move.target))
    throw new Error(`move ${move.id} names an unknown database`);
  const pageRows = Number(env.SHARD_MOVE_PAGE_ROWS) > 0 ? Number(env.SHARD_MOVE_PAGE_ROWS) : PAGE_ROWS;
  const result = await runPhase({
    move,
    tenantId: move.tenantId,
    source: databaseOf(env, move.source),
    target: databaseOf(env, move.target),
    sourceName: move.source,
    targetName: move.target,
    pageRows,
    now,
  });
  if (result.kind === "wait") return sendStep(env, message, result.seconds);
  const moved = await advance(env, move, result.next, now);
  if (!moved) return;
  if (result.next.status === "failed" || result.next.status === "done")
    console.log(
      JSON.stringify({ type: "shard_move", id: move.id, status: result.next.status, message: result.next.message }),
    );
  else await sendStep(env, message);
}
