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
import type { CompanyRecord, ContactRecord } from "./parse";
import { planCompanyChunk } from "./plan-companies";
import { planContactChunk } from "./plan-contacts";
import { planDealChunk } from "./plan-deals";

/** The rows of a chunk, of whichever kind the import is. */
export type AnyChunkRows = ChunkRow<ContactRecord>[] | ChunkRow<CompanyRecord>[] | ChunkRow<DealChunkRecord>[];

/** A chunk of either kind, planned (the preview runs this without writing). */
export function planChunk(
  t: TenantDb,
  kind: ImportKind,
  ctx: ChunkContext,
  chunkNo: number,
  rows: AnyChunkRows,
  now: number,
): Promise<ChunkPlan> {
  if (kind === "deals") return planDealChunk(t, ctx, chunkNo, rows as ChunkRow<DealChunkRecord>[], now);
  return kind === "contacts"
    ? planContactChunk(t, ctx, chunkNo, rows as ChunkRow<ContactRecord>[], now)
    : planCompanyChunk(t, ctx, chunkNo, rows as ChunkRow<CompanyRecord>[], now);
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
