/**
 * The API's PATCH of a deal: its fields (as the edit form), a move within its pipeline (as the board) and a
 * change of status (as the deal page) in ONE batch, so a failure or a concurrent change leaves none of them.
 * Every step writes the same version, and each step after the first runs only while the deal is at the version
 * it was read at or the one this batch writes.
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { KeyActor } from "../../lib/actor";
import type { DealInput } from "./form";
import { closeStatements, dealAt, moveStatements, type Outcome, reopenStatements } from "./outcome";
import { companyGuarded } from "../records/company-ref";
import { DEAL_COMPANY_GUARD, planDealUpdate } from "./write";

export type DealPatch = {
  input: DealInput;
  ctx: { pipelineId: number; stageName: string; companyName: string | null; locale: string };
  /** Another stage of its pipeline, or null. */
  moveTo: number | null;
  outcome: Outcome | { status: "open" } | null;
};

/** Applies a patch to the deal read at version `expected`: not_found, conflict (nothing written) or ok. */
export async function patchDeal(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  expected: number,
  patch: DealPatch,
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" }> {
  const plan = await planDealUpdate(t, actor, id, expected, patch.input, patch.ctx);
  if (!plan.ok) return plan;
  const version = plan.changed ? plan.version : Math.max(actor.now, expected + 1);
  const step = { ...actor, now: version };
  const guard = dealAt(t, id, [expected, version]);
  const statements: SQLWrapper[] = plan.changed ? [...plan.statements] : [];
  if (patch.moveTo !== null) statements.push(...moveStatements(t, step, id, patch.moveTo, guard));
  const outcome = patch.outcome;
  if (outcome !== null)
    statements.push(
      ...(outcome.status === "open"
        ? reopenStatements(t, step, id, guard)
        : closeStatements(t, step, id, outcome, guard)),
    );
  if (statements.length === 0) return { ok: true };
  statements.push(
    sql`SELECT d.updated_at AS updatedAt FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${id}`,
  );
  const results = await companyGuarded(runRawBatchRows(t.db, statements), DEAL_COMPANY_GUARD);
  const after = results.at(-1)![0] as { updatedAt: number } | undefined;
  if (!after) return { ok: false, reason: "not_found" };
  // Each step that ran wrote `version`; a deal at any other means a change came first and nothing was written.
  return after.updatedAt === version ? { ok: true } : { ok: false, reason: "conflict" };
}
