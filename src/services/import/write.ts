/**
 * Writing one import chunk: planned against the database as it is now (which rows are new, which
 * update a record, which change nothing), then written in ONE db.batch, so it lands whole or not at
 * all. The first statement inserts the chunk's key into import_chunks: a replayed queue message
 * fails on that key and its batch writes nothing.
 */
import type { ImportKind } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { runRawBatch } from "../../db/raw-batch";
import { PlanLimitError, isPlanLimitError } from "../billing/limits";
import type { ChunkContext, ChunkPlan, ChunkRow } from "./chunk";
import type { DealChunkRecord } from "./analyse-deals";
import type { MappableField } from "./mapping";
import type { CompanyRecord, ContactRecord } from "./parse";
import { planCompanyChunk } from "./plan-companies";
import { planContactChunk } from "./plan-contacts";
import { planDealChunk } from "./plan-deals";

/** The rows of a chunk, of whichever kind the import is. */
export type AnyChunkRows = ChunkRow<ContactRecord>[] | ChunkRow<CompanyRecord>[] | ChunkRow<DealChunkRecord>[];

/**
 * A chunk of either kind, planned (the preview runs this without writing) against the workspace's fields as they
 * are now (liveValues).
 */
export function planChunk(
  t: TenantDb,
  kind: ImportKind,
  ctx: ChunkContext,
  chunkNo: number,
  anyRows: AnyChunkRows,
  now: number,
): Promise<ChunkPlan> {
  const rows = liveValues(anyRows as ChunkRow<WithCustom>[], ctx.fields) as AnyChunkRows;
  if (kind === "deals") return planDealChunk(t, ctx, chunkNo, rows as ChunkRow<DealChunkRecord>[], now);
  return kind === "contacts"
    ? planContactChunk(t, ctx, chunkNo, rows as ChunkRow<ContactRecord>[], now)
    : planCompanyChunk(t, ctx, chunkNo, rows as ChunkRow<CompanyRecord>[], now);
}

type WithCustom = { custom?: Record<string, string> };

/**
 * The rows without the custom values the workspace can no longer hold: a select value whose option was removed
 * after the file was read (no form could keep the record), a value of a field since deleted. They are not written
 * (chunk-sql.ts extras checks again), so the preview, the timeline and the undo record do not claim them either.
 */
function liveValues(rows: ChunkRow<WithCustom>[], fields: MappableField[]): ChunkRow<WithCustom>[] {
  const byId = new Map(fields.map((f) => [String(f.id), f]));
  const holds = ([id, value]: [string, string]) => {
    const field = byId.get(id);
    return field !== undefined && (field.kind !== "select" || field.options.includes(value));
  };
  return rows.map((row) => {
    const custom = Object.entries(row.record.custom ?? {});
    if (custom.every(holds)) return row;
    return { ...row, record: { ...row.record, custom: Object.fromEntries(custom.filter(holds)) } };
  });
}

/** Whether a batch failed on a key of import_chunks: its work was written by an earlier delivery. */
export function isReplayed(err: unknown): boolean {
  const replayed = "UNIQUE constraint failed: import_chunks";
  return String(err).includes(replayed) || String((err as { cause?: unknown }).cause).includes(replayed);
}

export type ChunkOutcome =
  | { ok: true; plan: ChunkPlan }
  | { ok: false; reason: "replayed" }
  | { ok: false; reason: "limit"; error: PlanLimitError };

/** Writes one planned chunk (planChunk) in one batch. A replayed chunk writes nothing. */
export async function commitChunk(t: TenantDb, ctx: ChunkContext, plan: ChunkPlan): Promise<ChunkOutcome> {
  try {
    await runRawBatch(t.db, plan.statements);
  } catch (err) {
    if (isReplayed(err)) return { ok: false, reason: "replayed" };
    if (ctx.freeMaxContacts !== null && isPlanLimitError(err, "contacts.tenant_id"))
      return { ok: false, reason: "limit", error: new PlanLimitError("contacts", ctx.freeMaxContacts) };
    throw err;
  }
  return { ok: true, plan };
}
