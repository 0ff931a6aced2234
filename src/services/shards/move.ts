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
import { FREEZE_GRACE_MS, type NextState, runPhase } from "./phases";

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

/** D1 allows 1,000 queries per invocation; a message stops taking steps before it could pass this. */
const QUERY_BUDGET = 900;

/**
 * The queue's handler of "shards.move": runs the move's steps, each recorded before the next begins,
 * while the next could not pass the query budget (a step makes at most a page's rows in statements,
 * plus a few), then sends a message for the rest. Copy steps write a page each, so most messages carry
 * one; the freeze's steps mostly read, so one message carries many, which keeps the freeze short.
 */
export async function runMoveStep(env: Bindings, message: MoveMessage, now: number): Promise<void> {
  const [loaded] = await createDb(env.DB).select().from(shardMoves).where(eq(shardMoves.id, message.moveId));
  if (!loaded || loaded.status === "done" || loaded.status === "failed") return;
  if (!isDatabaseName(loaded.source) || !isDatabaseName(loaded.target))
    throw new Error(`move ${loaded.id} names an unknown database`);
  const pageRows = Number(env.SHARD_MOVE_PAGE_ROWS) > 0 ? Number(env.SHARD_MOVE_PAGE_ROWS) : PAGE_ROWS;
  const grace = Number(env.SHARD_FREEZE_GRACE_S);
  const freezeGraceMs =
    Number.isFinite(grace) && grace >= 0 && env.SHARD_FREEZE_GRACE_S ? grace * 1000 : FREEZE_GRACE_MS;
  const maxSteps = Number(env.SHARD_MOVE_STEPS) > 0 ? Number(env.SHARD_MOVE_STEPS) : Number.POSITIVE_INFINITY;
  const queries = { made: 1 };
  let move: ShardMove = loaded;
  for (let steps = 1; ; steps += 1) {
    const result = await runPhase({
      move,
      tenantId: move.tenantId,
      source: databaseOf(env, loaded.source),
      target: databaseOf(env, loaded.target),
      sourceName: loaded.source,
      targetName: loaded.target,
      control: env.DB,
      pageRows,
      freezeGraceMs,
      now,
      queries,
    });
    if (result.kind === "wait") return sendStep(env, message, result.seconds);
    const to = result.next;
    queries.made += 1;
    if (!(await advance(env, move, to, now))) return;
    if (to.status === "failed" || to.status === "done") {
      console.log(JSON.stringify({ type: "shard_move", id: move.id, status: to.status, message: to.message }));
      return;
    }
    if (steps >= maxSteps || queries.made + pageRows + 70 > QUERY_BUDGET) return sendStep(env, message);
    // The row as advance() wrote it, so the next step's guard matches.
    move = {
      ...move,
      status: to.status,
      tableIndex: to.tableIndex,
      cursor: to.cursor === null ? null : JSON.stringify(to.cursor),
      tally: to.tally ? JSON.stringify(to.tally) : null,
      frozenAt: to.frozenAt ?? move.frozenAt,
      message: to.message ?? move.message,
      updatedAt: now,
    };
  }
}
