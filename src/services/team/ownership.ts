/** Handing a workspace to another member: the owner re-enters their password, and one owner remains. */
import { eq, exists, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships, users } from "../../db/schema";
import { verifyPassword } from "../../auth/password";
import { hit, isLimited, type Limit } from "../../auth/rate-limit";
import { auditInsert } from "../audit/audit";
import { memberById, type TeamActor } from "./members";

/** Wrong passwords when re-authenticating for an ownership transfer, per user. */
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
  const limited = await isLimited(db, TRANSFER_FAILURE_LIMIT, owner.userId, owner.now);
  if (!limited.allowed) return { ok: false, reason: "rate_limited", retryAfter: limited.retryAfter };
  const [account] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, owner.userId))
    .limit(1);
  if (!account || !(await verifyPassword(account.passwordHash, input.password))) {
    await hit(db, TRANSFER_FAILURE_LIMIT, owner.userId, owner.now);
    return { ok: false, reason: "wrong_password" };
  }

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
