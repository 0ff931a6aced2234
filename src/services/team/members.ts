/**
 * A workspace's members and their roles: the list, and who may change or remove whom. An id from
 * another workspace is simply not found.
 */
import { eq, sql } from "drizzle-orm";
import { scoped, type TenantDb } from "../../db/scoped";
import { runRawBatch } from "../../db/raw-batch";
import { recomputeDayReminders } from "../reminders/recompute";
import { memberZone, reassignToOwnerStatement } from "../tasks/write";
import { type INVITABLE_ROLES, memberships, sessions, users, type Role } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditInsert } from "../audit/audit";
import { roleAtLeast } from "../../lib/roles";
import { revokeInvitationsBy } from "./invitations";

export type InvitableRole = (typeof INVITABLE_ROLES)[number];

/** The signed-in user acting on the team page, with the request's facts. */
export interface TeamActor extends Actor {
  email: string;
  role: Role;
  emailVerifiedAt: number | null;
}

/** The members of the workspace with their emails and roles, owner first. */
export async function listMembers(t: TenantDb) {
  return t.db
    .select({
      userId: memberships.userId,
      email: users.email,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(t.where(memberships))
    .orderBy(
      sql`CASE ${memberships.role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 ELSE 3 END`,
      users.email,
    );
}

/** One member of the workspace with their email and role, or null. */
export async function memberById(t: TenantDb, userId: string) {
  const [row] = await t.db
    .select({ userId: memberships.userId, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(t.where(memberships, eq(memberships.userId, userId)))
    .limit(1);
  return row ?? null;
}

export type MemberChangeResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "owner" | "admin_needs_owner" | "self" };

/**
 * Who may change or remove whom. The owner is never changed or removed here (only a transfer moves
 * ownership, so there is always exactly one owner). Admins manage members and viewers, and may
 * raise them to admin; an admin (including oneself) is changed or removed only by the owner, so two
 * admins cannot lock each other out and an admin cannot quietly demote a peer.
 */
export function memberChangeRefusal(
  actor: Pick<TeamActor, "userId" | "role">,
  target: { userId: string; role: Role },
): "owner" | "admin_needs_owner" | "self" | null {
  if (target.role === "owner") return "owner";
  if (target.userId === actor.userId && actor.role !== "owner") return "self";
  if (target.role === "admin" && actor.role !== "owner") return "admin_needs_owner";
  return null;
}

/** Changes a member's role among viewer, member and admin, audited with the old and new role. */
export async function changeMemberRole(
  t: TenantDb,
  actor: TeamActor,
  targetUserId: string,
  role: InvitableRole,
): Promise<MemberChangeResult> {
  const target = await memberById(t, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  if (target.role === role) return { ok: true };
  await t.db.batch([
    // The role condition keeps a concurrent ownership transfer from being overwritten.
    t.update(
      memberships,
      { role, updatedAt: actor.now },
      eq(memberships.userId, targetUserId),
      eq(memberships.role, target.role),
    ),
    // Only admins invite: a demoted one's invitations end with the right.
    ...(roleAtLeast(role, "admin") ? [] : [revokeInvitationsBy(t, targetUserId, actor.now)]),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: targetUserId,
      targetLabel: target.email,
      detail: { from: target.role, to: role },
      ...actor,
    }),
  ]);
  return { ok: true };
}

/**
 * Removes a member. Their sessions in this workspace are deleted in the same batch, so they lose
 * access on their very next request; their account and other workspaces are untouched.
 */
export async function removeMember(t: TenantDb, actor: TeamActor, targetUserId: string): Promise<MemberChangeResult> {
  // Members and sessions are on the control database; their tasks with the records (a shard, docs/scale.md).
  const people = t.db === t.control ? t : scoped(t.control, t.tenantId);
  const target = await memberById(people, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  // Their tasks pass to the owner first, so none is left with nobody to do it (on a shard, its own batch before).
  const reassign = reassignToOwnerStatement(t, targetUserId);
  const leave = [
    people.delete(memberships, eq(memberships.userId, targetUserId), eq(memberships.role, target.role)),
    people.delete(sessions, eq(sessions.userId, targetUserId)),
    revokeInvitationsBy(people, targetUserId, actor.now),
    auditInsert(people.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "member.removed",
      targetType: "user",
      targetId: targetUserId,
      targetLabel: target.email,
      detail: { role: target.role },
      ...actor,
    }),
  ] as const;
  if (people === t) await t.db.batch([reassign, ...leave]);
  else {
    await t.db.batch([reassign]);
    await people.db.batch(leave);
  }
  await moveDayRemindersToOwner(t);
  return { ok: true };
}

/**
 * The tasks the owner was just given that are due on a day remind at 08:00 in the owner's zone, not the
 * leaver's. Idempotent: run after the removal's batch (a failure leaves the leaver's 08:00, nothing lost).
 */
async function moveDayRemindersToOwner(t: TenantDb) {
  const [owner] = await t.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(t.where(memberships, eq(memberships.role, "owner")))
    .limit(1);
  if (!owner) return;
  const zone = await memberZone(t, owner.userId);
  await runRawBatch(t.db, await recomputeDayReminders(t.db, owner.userId, zone, { tenantId: t.tenantId }));
}
