/** Handing a workspace to another member: the owner re-enters their password, and one owner remains. */
import { eq, exists, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships } from "../../db/schema";
import type { Limit } from "../../auth/rate-limit";
import { checkOwnPassword } from "../account/reauth";
import { auditInsert } from "../audit/audit";
import { memberById, type TeamActor } from "./members";

/**
 * Retired: the transfer's password now counts against the account's one budget (checkOwnPassword). Kept so an
 * erased account's counters of this name, written before, go with it (deletion.ts).
 */
export const TRANSFER_FAILURE_LIMIT: Limit = { name: "transfer-reauth-user", max: 5, windowMs: 15 * 60_000 };

export type TransferResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "self" | "wrong_password" | "not_owner" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Hands ownership to another member after the owner re-enters their password. In one batch the
 * target becomes owner and the owner becomes admin; both updates are conditional on the actor still
 * being the owner, so even two transfers at once leave exactly one owner.
 */
export async function transferOwnership(
  t: TenantDb,
  owner: TeamActor,
  input: { targetUserId: string; password: string },
): Promise<TransferResult> {
  const { db } = t;
  if (owner.role !== "owner") return { ok: false, reason: "not_owner" };
  if (input.targetUserId === owner.userId) return { ok: false, reason: "self" };
  const target = await memberById(t, input.targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  // The one per-account budget every re-entered password shares, counted before the check.
  const checked = await checkOwnPassword(db, owner.userId, input.password, owner.now);
  if (!checked.ok)
    return checked.reason === "rate_limited"
      ? { ok: false, reason: "rate_limited", retryAfter: checked.retryAfter }
      : { ok: false, reason: "wrong_password" };

  const stillOwner = t.where(memberships, eq(memberships.userId, owner.userId), eq(memberships.role, "owner"));
  const stillOwnerQuery = db.select({ one: sql`1` }).from(memberships).where(stillOwner);
  // The owner steps down only once the target is owner: a target removed (or gone) meanwhile is promoted
  // nowhere, and the workspace must not be left without an owner.
  const targetOwnerQuery = db
    .select({ one: sql`1` })
    .from(memberships)
    .where(t.where(memberships, eq(memberships.userId, target.userId), eq(memberships.role, "owner")));
  const [promoted] = await db.batch([
    t
      .update(
        memberships,
        { role: "owner", updatedAt: owner.now },
        eq(memberships.userId, target.userId),
        exists(stillOwnerQuery),
      )
      .returning({ userId: memberships.userId }),
    t.update(
      memberships,
      { role: "admin", updatedAt: owner.now },
      eq(memberships.userId, owner.userId),
      eq(memberships.role, "owner"),
      exists(targetOwnerQuery),
    ),
    auditInsert(db, {
      tenantId: t.tenantId,
      actorUserId: owner.userId,
      action: "ownership.transferred",
      targetType: "user",
      targetId: target.userId,
      targetLabel: target.email,
      detail: { previous_role: target.role },
      ...owner,
    }),
  ]);
  // A second, simultaneous transfer by the same owner, or a target removed meanwhile, gets here: its batch
  // changed no role (its audit entry then records an attempt without effect).
  if (promoted.length === 0)
    return { ok: false, reason: (await memberById(t, target.userId)) ? "not_owner" : "not_found" };
  return { ok: true };
}
