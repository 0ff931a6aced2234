/**
 * The moves' watchdog, run by the every-minute cron: a lost Queue message must never strand a move,
 * least of all one whose workspace is frozen. A working move silent for SILENT_MS (no step recorded, no
 * re-send) gets its step sent again; steps are idempotent (phases.ts). A move that made no progress
 * after MAX_TRIES re-sends before its switch is rolled back, so the workspace is writable again where
 * it was; after the switch (cleaning) and while rolling back it is only ever sent again, since those
 * must finish. One statement a run (an UPDATE ... RETURNING over the partial index of working moves).
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { shardMoves, workspaceShards } from "../../db/schema";
import type { Bindings } from "../../env";
import { MAX_TRIES, SILENT_MS } from "../jobs/watchdog";
import { moveMessage } from "./move";

/** Moves one run looks at, at most. */
const MOVES_PER_RUN = 25;

/** Steps after the switch and of a roll-back: they must finish, so they are only ever sent again. */
export const NEVER_GIVEN_UP: ReadonlySet<string> = new Set(["cleaning", "rolling_back"]);

export const MOVE_GAVE_UP_MESSAGE = `The move stopped, and it did not start again after ${MAX_TRIES} tries: it was rolled back, and the workspace stayed where it was.`;

export interface MoveWatchdogReport {
  resent: number;
  rolledBack: number;
}

/** One run at `now`. Throws, after doing what it could, when the queue refused the re-sent steps. */
export async function runMoveWatchdog(env: Bindings, now: number): Promise<MoveWatchdogReport> {
  const db = createDb(env.DB);
  const cutoff = now - SILENT_MS;
  // The partial index's own condition, written out, so SQLite uses it.
  const working = sql`${shardMoves.status} NOT IN ('done', 'failed')`;
  const silent = and(
    working,
    lte(shardMoves.updatedAt, cutoff),
    sql`coalesce(${shardMoves.watchdogAt}, 0) <= ${cutoff}`,
  );
  const oldest = db
    .select({ id: shardMoves.id })
    .from(shardMoves)
    .where(silent)
    .orderBy(shardMoves.updatedAt)
    .limit(MOVES_PER_RUN);
  const claimed = await db
    .update(shardMoves)
    .set({
      watchdogTries: sql`CASE WHEN ${shardMoves.watchdogSeenAt} = ${shardMoves.updatedAt} THEN ${shardMoves.watchdogTries} + 1 ELSE 1 END`,
      watchdogSeenAt: sql`${shardMoves.updatedAt}`,
      watchdogAt: now,
    })
    .where(and(inArray(shardMoves.id, oldest), silent))
    .returning({ id: shardMoves.id, status: shardMoves.status, tries: shardMoves.watchdogTries });
  const exhausted = claimed.filter((m) => m.tries > MAX_TRIES && !NEVER_GIVEN_UP.has(m.status));
  if (exhausted.length > 0) {
    // Guarded by the status read, so a step that succeeded meanwhile is not undone.
    for (const m of exhausted) {
      const [rolled] = await db
        .update(shardMoves)
        .set({
          status: "rolling_back",
          tableIndex: 0,
          cursor: null,
          tally: null,
          message: MOVE_GAVE_UP_MESSAGE,
          updatedAt: now,
          watchdogTries: 0,
        })
        .where(and(inArray(shardMoves.id, [m.id]), sql`${shardMoves.status} = ${m.status}`))
        .returning({ tenantId: shardMoves.tenantId, source: shardMoves.source });
      // Given up before the switch, the source is whole: the workspace is writable there again at once, not only
      // once the rollback has deleted the target's copy (hours for a large one).
      if (rolled)
        await db
          .update(workspaceShards)
          .set({ state: "active" })
          .where(and(eq(workspaceShards.tenantId, rolled.tenantId), eq(workspaceShards.shard, rolled.source)));
    }
    console.error(JSON.stringify({ type: "shard_move_gave_up", ids: exhausted.map((m) => m.id) }));
  }
  if (claimed.length > 0) {
    try {
      await env.JOBS.sendBatch(claimed.map((m) => ({ body: moveMessage(m) })));
    } catch (err) {
      throw new Error(`the queue refused ${claimed.length} re-sent move steps: ${String(err).slice(0, 300)}`);
    }
  }
  return { resent: claimed.length, rolledBack: exhausted.length };
}
