/**
 * The steps of a workspace's move, one bounded step per Queue message (move.ts runs them). In order:
 *  copying      each moved table, a page at a time, source → target; writes go on meanwhile
 *  (freeze)     the directory says `moving`: the workspace's writes answer 503 from here on
 *  catching_up  after FREEZE_GRACE_MS (requests that began before the freeze have ended), each table
 *               again: rows new or changed since their copy are written over the target's
 *  pruning      rows deleted since their copy are deleted on the target, children first
 *  verifying    every moved and derived table's row count and checksum, on both sides
 *  (switch)     the directory names the target, active: writes resume there
 *  cleaning     the old copy is deleted, children first, as the erasure deletes
 *  rolling_back instead of the switch (a mismatch, or a step that never succeeds): the target's copy
 *               is deleted and the workspace stays, active, where it was
 * A step reads, writes on a database with ON CONFLICT / by key, and only then records its progress,
 * so a step run twice (a lost acknowledgement, a worker killed between the two) writes nothing twice.
 */
import type { ShardMove, ShardMoveStatus } from "../../db/schema";
import type { DatabaseName } from "./databases";
import { forgetWorkspaceStatements, mirrorStatements } from "./mirror";
import { ensureIdRange } from "./id-ranges";
import {
  addRows,
  clashStatements,
  type Cursor,
  deleteByKeys,
  deleteSome,
  emptyTally,
  insertStatements,
  keyOf,
  readPage,
  type Row,
  rowsByKeys,
  shapeOf,
  type TableShape,
  type Tally,
  userAnchorStatements,
} from "./rows";
import { DELETED_TABLES, MOVED_TABLES, VERIFIED_TABLES } from "./tables";

/** How long writes that began before the freeze may still run; catch-up starts after it. */
export const FREEZE_GRACE_MS = 30_000;

/** Tables the prune walks: the moved ones, children first. */
const PRUNED_TABLES = [...MOVED_TABLES].reverse();

export interface StepContext {
  move: ShardMove;
  tenantId: string;
  source: D1Database;
  target: D1Database;
  sourceName: DatabaseName;
  targetName: DatabaseName;
  /** The control database: the workspace's members are there, whichever database holds its records. */
  control: D1Database;
  /** Rows per page. */
  pageRows: number;
  /** How long the freeze waits for requests begun before it (FREEZE_GRACE_MS; the browser tests shorten it). */
  freezeGraceMs: number;
  now: number;
  /** Queries the message has made so far (D1 allows 1,000 per invocation); each step adds its own. */
  queries: { made: number };
}

export interface VerifyTally {
  side: "source" | "target";
  at: Cursor;
  source: Tally;
  target: Tally;
}

/** Where the move goes next; `directory` is set by the two steps that change the workspace's entry. */
export interface NextState {
  status: ShardMoveStatus;
  tableIndex: number;
  cursor: Cursor;
  tally?: VerifyTally | null;
  message?: string;
  frozenAt?: number;
  directory?: { shard: DatabaseName; state: "active" | "moving"; movedAt: number | null };
}

export type StepResult = { kind: "next"; next: NextState } | { kind: "wait"; seconds: number };

const cursorOf = (move: ShardMove): Cursor => (move.cursor === null ? null : (JSON.parse(move.cursor) as Cursor));
const next = (n: NextState): StepResult => ({ kind: "next", next: n });
/** The same phase again: the table's next page, or the next table once this one's last page is done. */
const paged = (status: ShardMoveStatus, i: number, after: Cursor): StepResult =>
  next(after === null ? { status, tableIndex: i + 1, cursor: null } : { status, tableIndex: i, cursor: after });

/**
 * The rollback when rows just written are not the workspace's on the target: their keys belong to
 * another workspace there (integer ids are unique per database only), and were left alone.
 */
async function collisionOf(ctx: StepContext, shape: TableShape, rows: Row[]): Promise<StepResult | null> {
  if (rows.length === 0) return null;
  const found = await rowsByKeys(
    ctx.target,
    shape,
    ctx.tenantId,
    rows.map((r) => keyOf(shape, r)),
  );
  const taken = rows.length - found.length;
  if (taken === 0) return null;
  return next({
    status: "rolling_back",
    tableIndex: 0,
    cursor: null,
    tally: null,
    message: `${shape.name}: ${taken} of the workspace's ids are used by another workspace on ${ctx.targetName}, so it cannot move there (docs/scale.md, "Ids")`,
  });
}

/**
 * The workspace's people on the target (src/services/shards/mirror.ts): its members' users rows, so a member's first
 * record there (its owner, author or assignee) meets its foreign key, with the names and roles pages show. On DB
 * they are the real rows already.
 */
async function memberAnchorStatements(ctx: StepContext): Promise<D1PreparedStatement[]> {
  if (ctx.targetName === "DB") return [];
  ctx.queries.made += 5;
  return mirrorStatements(ctx.control, ctx.target, ctx.tenantId);
}

/** One page of one table copied; the first page also copies the workspace's tenants row and anchors its members. */
async function copyStep(ctx: StepContext): Promise<StepResult> {
  const i = ctx.move.tableIndex;
  const table = MOVED_TABLES[i];
  if (!table)
    return next({
      status: "catching_up",
      tableIndex: 0,
      cursor: null,
      frozenAt: ctx.now,
      directory: { shard: ctx.sourceName, state: "moving", movedAt: null },
    });
  const cursor = cursorOf(ctx.move);
  const statements: D1PreparedStatement[] = [];
  if (i === 0 && cursor === null) {
    ctx.queries.made += await ensureIdRange(ctx.target, ctx.targetName);
    // The anchor of every foreign key to tenants on the target (on DB, the real row is kept).
    ctx.queries.made += 1;
    const tenantRow = await ctx.source.prepare("SELECT * FROM tenants WHERE id = ?").bind(ctx.tenantId).first();
    if (!tenantRow) throw new Error(`workspace ${ctx.tenantId} has no tenants row on ${ctx.sourceName}`);
    statements.push(...insertStatements(ctx.target, await shapeOf(ctx.source, "tenants"), [tenantRow], "keep"));
    statements.push(...(await memberAnchorStatements(ctx)));
  }
  const shape = await shapeOf(ctx.source, table);
  const page = await readPage(ctx.source, shape, ctx.tenantId, cursor, ctx.pageRows);
  statements.push(...userAnchorStatements(ctx.target, shape, page.rows));
  statements.push(...clashStatements(ctx.target, shape, ctx.tenantId, page.rows));
  statements.push(...insertStatements(ctx.target, shape, page.rows, "keep"));
  // The table's shape, the page, the batch's statements, the collision check.
  ctx.queries.made += 3 + statements.length;
  if (statements.length > 0) await ctx.target.batch(statements);
  const collision = await collisionOf(ctx, shape, page.rows);
  if (collision) return collision;
  return paged("copying", i, page.next);
}

/** One page of one table compared with the target; what is new or changed is written over it. */
async function catchUpStep(ctx: StepContext): Promise<StepResult> {
  const frozenAt = ctx.move.frozenAt ?? ctx.now;
  if (ctx.now < frozenAt + ctx.freezeGraceMs)
    return { kind: "wait", seconds: Math.ceil((frozenAt + ctx.freezeGraceMs - ctx.now) / 1000) };
  const i = ctx.move.tableIndex;
  const table = MOVED_TABLES[i];
  if (!table) return next({ status: "pruning", tableIndex: 0, cursor: null });
  // Members who joined during the copy (joining is not a change under /app, so the freeze does not stop it).
  if (i === 0 && cursorOf(ctx.move) === null) {
    ctx.queries.made += 1;
    const anchors = await memberAnchorStatements(ctx);
    if (anchors.length > 0) await ctx.target.batch(anchors);
  }
  const shape = await shapeOf(ctx.source, table);
  const page = await readPage(ctx.source, shape, ctx.tenantId, cursorOf(ctx.move), ctx.pageRows);
  const there = await rowsByKeys(
    ctx.target,
    shape,
    ctx.tenantId,
    page.rows.map((r) => keyOf(shape, r)),
  );
  const values = (row: Record<string, unknown>) => JSON.stringify(shape.columns.map((c) => row[c]));
  const seen = new Map(there.map((r) => [JSON.stringify(keyOf(shape, r)), values(r)]));
  const stale = page.rows.filter((r) => seen.get(JSON.stringify(keyOf(shape, r))) !== values(r));
  const writes = [
    ...userAnchorStatements(ctx.target, shape, stale),
    ...clashStatements(ctx.target, shape, ctx.tenantId, stale),
    ...insertStatements(ctx.target, shape, stale, "overwrite"),
  ];
  ctx.queries.made += 4 + writes.length;
  if (writes.length > 0) await ctx.target.batch(writes);
  const collision = await collisionOf(ctx, shape, stale);
  if (collision) return collision;
  return paged("catching_up", i, page.next);
}

/** One page of the target's rows of one table: those the source no longer has are deleted. */
async function pruneStep(ctx: StepContext): Promise<StepResult> {
  const i = ctx.move.tableIndex;
  const table = PRUNED_TABLES[i];
  if (!table) return next({ status: "verifying", tableIndex: 0, cursor: null, tally: null });
  const shape = await shapeOf(ctx.source, table);
  const page = await readPage(ctx.target, shape, ctx.tenantId, cursorOf(ctx.move), ctx.pageRows);
  const keys = page.rows.map((r) => keyOf(shape, r));
  const kept = new Set(
    (await rowsByKeys(ctx.source, shape, ctx.tenantId, keys)).map((r) => JSON.stringify(keyOf(shape, r))),
  );
  const gone = keys.filter((k) => !kept.has(JSON.stringify(k)));
  ctx.queries.made += 4;
  if (gone.length > 0) await deleteByKeys(ctx.target, shape, ctx.tenantId, gone).run();
  return paged("pruning", i, page.next);
}

/** One page of one side of one table added to its tally; at the table's end both sides must agree. */
async function verifyStep(ctx: StepContext): Promise<StepResult> {
  const i = ctx.move.tableIndex;
  const table = VERIFIED_TABLES[i];
  if (!table)
    return next({
      status: "cleaning",
      tableIndex: 0,
      cursor: null,
      tally: null,
      directory: { shard: ctx.targetName, state: "active", movedAt: ctx.now },
    });
  const shape = await shapeOf(ctx.source, table);
  const kept = ctx.move.tally ? (JSON.parse(ctx.move.tally) as VerifyTally) : null;
  // A cursor from before a deploy changed how tables are paged (a number) counts the table again from the start.
  const tally: VerifyTally =
    kept && (kept.at === null || Array.isArray(kept.at))
      ? kept
      : { side: "source", at: null, source: emptyTally(), target: emptyTally() };
  const db = tally.side === "source" ? ctx.source : ctx.target;
  ctx.queries.made += 2;
  const page = await readPage(db, shape, ctx.tenantId, tally.at, ctx.pageRows);
  tally[tally.side] = addRows(tally[tally.side], shape, page.rows);
  tally.at = page.next;
  if (page.next !== null) return next({ status: "verifying", tableIndex: i, cursor: null, tally });
  if (tally.side === "source")
    return next({ status: "verifying", tableIndex: i, cursor: null, tally: { ...tally, side: "target", at: null } });
  const { source, target } = tally;
  if (source.rows !== target.rows || source.a !== target.a || source.b !== target.b)
    return next({
      status: "rolling_back",
      tableIndex: 0,
      cursor: null,
      tally: null,
      // The source is whole and the workspace's own again at once: writes need not wait for the target's deletion.
      directory: { shard: ctx.sourceName, state: "active", movedAt: null },
      message: `${table} differs after the copy: ${source.rows} rows on ${ctx.sourceName}, ${target.rows} on ${ctx.targetName}${source.rows === target.rows ? " (checksums differ)" : ""}`,
    });
  return next({ status: "verifying", tableIndex: i + 1, cursor: null, tally: null });
}

/** Deletes a chunk of one table of the workspace on `db`; at the end, the tenants row if `db` is a shard. */
async function deleteStep(ctx: StepContext, db: D1Database, name: DatabaseName, done: NextState): Promise<StepResult> {
  const i = ctx.move.tableIndex;
  const table = DELETED_TABLES[i];
  if (!table) {
    // Once, before the old copy's last pieces go: the new database gets the people as they are now (a change the
    // freeze does not stop, such as an invitation accepted during the catch-up, went to the old one).
    if (ctx.move.status === "cleaning" && cursorOf(ctx.move) === null) {
      const people = await memberAnchorStatements(ctx);
      ctx.queries.made += people.length;
      if (people.length) await ctx.target.batch(people);
    }
    if (name === "DB") return next(done); // there the tenants row is the workspace itself
    if (ctx.move.status === "cleaning") {
      // A shard the records leave: the audit entries written there with them go along (item 11), a page a step.
      const carried = await carryAuditPage(ctx);
      if (carried !== null) return next({ status: "cleaning", tableIndex: i, cursor: carried });
    }
    // Then its tenants anchor (memberships and plan copy by cascade), names nobody there needs, and those entries.
    ctx.queries.made += 5;
    await db.batch([
      ...forgetWorkspaceStatements(db, ctx.tenantId),
      db.prepare("DELETE FROM audit_log WHERE tenant_id = ?").bind(ctx.tenantId),
    ]);
    return next(done);
  }
  const shape = await shapeOf(ctx.source, table);
  // Deletes cascade and fire the report triggers: a tenth of a page keeps each statement small.
  const limit = Math.max(1, Math.floor(ctx.pageRows / 10));
  ctx.queries.made += 3;
  const n = await deleteSome(db, shape, ctx.tenantId, limit);
  return next({ status: ctx.move.status, tableIndex: n < limit ? i + 1 : i, cursor: null });
}

/**
 * Copies one page of the workspace's audit entries from the shard its records left to the one they are on now
 * (kept ids: each database's range is its own); the cursor of the next page, or null after the last.
 */
async function carryAuditPage(ctx: StepContext): Promise<Cursor> {
  const shape = await shapeOf(ctx.source, "audit_log");
  const page = await readPage(ctx.source, shape, ctx.tenantId, cursorOf(ctx.move), ctx.pageRows);
  const statements = insertStatements(ctx.target, shape, page.rows, "keep");
  ctx.queries.made += 2 + statements.length;
  if (statements.length) await ctx.target.batch(statements);
  return page.next;
}

/** The step for the move's status. */
export function runPhase(ctx: StepContext): Promise<StepResult> {
  switch (ctx.move.status) {
    case "copying":
      return copyStep(ctx);
    case "catching_up":
      return catchUpStep(ctx);
    case "pruning":
      return pruneStep(ctx);
    case "verifying":
      return verifyStep(ctx);
    case "cleaning":
      return deleteStep(ctx, ctx.source, ctx.sourceName, { status: "done", tableIndex: 0, cursor: null });
    case "rolling_back":
      return deleteStep(ctx, ctx.target, ctx.targetName, {
        status: "failed",
        tableIndex: 0,
        cursor: null,
        directory: { shard: ctx.sourceName, state: "active", movedAt: null },
      });
    default:
      throw new Error(`a move in status ${ctx.move.status} has no step`);
  }
}
