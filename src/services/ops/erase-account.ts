/**
 * Erasing an account at once, for a verified request (a deletion request, or a minor's data): the
 * workspaces it owns are closed without grace and erased, then the user's own data goes.
 */
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { memberships, tenants } from "../../db/schema";
import { mirrorAfterChange } from "../shards/mirror";
import type { Bindings } from "../../env";
import type { RequestMeta } from "../../lib/actor";
import { findUserByEmail, type BaseUrl } from "../account/accounts";
import { deleteOnShards, formerAddresses, userDeletionQueries, userErasureStatements } from "../account/deletion";
import { closeWorkspace } from "../privacy/closure";
import { eraseTenant } from "../privacy/erasure";
import type { ErasureProgress } from "../privacy/erasure-steps";
import { erasureTargetOf } from "../shards/workspace-db";
import { type Budget, runBatch } from "../privacy/statement-budget";
import { FORMER_MEMBER } from "../audit/audit";
import { type AccountActor, accountActionAudit } from "./operator";
import { runRawBatch } from "../../db/raw-batch";
import { erasedMentionStatements } from "../account/erase-mentions";

/** Statements an erase-account request spends on erasing workspaces before leaving the rest to the retention job. */
export const OPS_ERASURE_STATEMENTS = 600;

/** What erasing an account now works with. */
export interface EraseAccountDeps {
  db: Database;
  /** The bindings of the databases the owned workspaces' records may be on (src/services/shards/workspace-db.ts). */
  databases: Pick<Bindings, "DB"> & Partial<Bindings>;
  files: R2Bucket;
  stripe: Stripe | null;
  chunk: number;
  ledgerYears: number;
}

export type EraseAccountResult =
  | { ok: true; workspacesErased: number; complete: boolean; erasures: ErasureProgress[] }
  | { ok: false; reason: "not_found" | "stripe_unavailable" };

/**
 * Every workspace the user owns is closed without a grace period (its Stripe customer deleted) and
 * erased as far as this request's budget allows (the retention job finishes it within minutes); then
 * the user's own data goes. Workspaces where they are only a member keep what they wrote, as "former member".
 */
export async function eraseAccountNow(
  deps: EraseAccountDeps,
  email: string,
  by: AccountActor,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<EraseAccountResult> {
  const { db } = deps;
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: false, reason: "not_found" };
  const rows = await db
    .select({ tenantId: memberships.tenantId, role: memberships.role, closedAt: tenants.closedAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id));
  const owned = rows.filter((r) => r.role === "owner").map((r) => r.tenantId);
  const left = rows.filter((r) => r.role !== "owner" && r.closedAt === null).map((r) => r.tenantId);
  // The entries outlive the account and are append-only: a note quoting its address (in any case, or a former one)
  // must not keep it.
  const actor: AccountActor =
    "operator" in by
      ? { operator: { ...by.operator, reason: withoutAddresses(by.operator.reason) } }
      : {
          staff: {
            ...by.staff,
            reason: withoutAddresses(by.staff.reason),
            ticket: by.staff.ticket === null ? null : withoutAddresses(by.staff.ticket),
          },
        };
  const closedNote: Record<string, string> =
    "operator" in actor
      ? { operator: actor.operator.operator, reason: actor.operator.reason }
      : { staff: actor.staff.staff.name, reason: actor.staff.reason };

  for (const tenantId of owned) {
    const closed = await closeWorkspace(
      scoped(db, tenantId),
      deps.stripe,
      {
        closedBy: "operator",
        actorUserId: null,
        graceDays: 0,
        eraseNow: true,
        auditDetail: closedNote,
      },
      meta,
    );
    if (!closed.ok && closed.reason === "stripe_unavailable") return { ok: false, reason: "stripe_unavailable" };
  }
  await mirrorAfterChange(deps.databases, owned);

  const budget: Budget = { left: OPS_ERASURE_STATEMENTS };
  const formerEmails = await formerAddresses(db, user.id);
  await deleteOnShards(deps.databases, db, { id: user.id, email: user.email, formerEmails }, left, meta.now);
  // Their mentions in colleagues' notes and bells first (idempotent): the batch below takes the notes' author.
  await runRawBatch(db, await erasedMentionStatements(db, user.id));
  await db.batch([
    ...userDeletionQueries(db, { id: user.id, email: user.email, formerEmails }, left, meta.now),
    // Recorded without the address or the user's id: the entry must not keep what it erased. Staff
    // erasures are told to the workspaces that survive (the owned ones are erased).
    ...accountActionAudit(db, actor, meta, left, {
      opsAction: "ops.account_erased",
      staffAction: "support.account_erased",
      targetType: "account",
      targetLabel: FORMER_MEMBER,
      detail: { workspaces_erased: owned.length },
    }),
  ]);
  // What deleting the users row does not reach: account mail, support messages, rate-limit counters.
  await runBatch(db, budget, userErasureStatements([{ id: user.id, email: user.email, formerEmails }]));
  // The workspaces they were only a member of keep an id-only row of them on their shards, nothing more.
  await mirrorAfterChange(deps.databases, left);

  const erasures: ErasureProgress[] = [];
  for (const tenantId of owned) {
    if (budget.left < 10) break;
    erasures.push(
      await eraseTenant(await erasureTargetOf(deps.databases, db, tenantId), {
        files: deps.files,
        now: meta.now,
        chunk: deps.chunk,
        ledgerYears: deps.ledgerYears,
        budget,
      }),
    );
  }
  const complete = erasures.length === owned.length && erasures.every((e) => e.done);
  return { ok: true, workspacesErased: owned.length, complete, erasures };
}

/** Something@something, stopping at spaces and the punctuation a sentence puts around an address ("(a@b.c);"). */
const ADDRESS_SHAPED = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+/g;

/**
 * `text` with every address in it replaced: the person's current or a former one as they wrote it (any case), or
 * someone else's. Any address is "something@something" without spaces, so one pattern covers them all; it has no
 * nested quantifier and notes are at most 1000 characters, so it stays cheap.
 */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS_SHAPED, "[the address]");
}
