/**
 * A workspace's members and their roles: the list, and who may change or remove whom. An id from
 * another workspace is simply not found.
 */
import { eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { scoped, type TenantDb } from "../../db/scoped";
import { runRawBatch, runRawBatchRows } from "../../db/raw-batch";
import { insertWhere } from "../../db/sql";
import { recomputeDayReminders } from "../reminders/recompute";
import { memberZone, reassignToOwnerStatement } from "../tasks/write";
import { type INVITABLE_ROLES, memberships, sessions, users, type Role } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditRow } from "../audit/audit";
import { roleAtLeast } from "../../lib/roles";
import { liveKeyCountsByCreator, revokeKeysCreatedByStatements } from "../api/keys";
import { revokeInvitationsBy } from "./invitations";
import { otherOpenWorkspace } from "./workspaces";

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

/** What became of the working API keys the member made: revoked in the change's batch, or still working. */
export interface KeysAfter {
  revoked: number;
  live: number;
}

export type MemberChangeResult =
  | { ok: true; keys: KeysAfter }
  | { ok: false; reason: "not_found" | "owner" | "admin_needs_owner" | "self" | "changed" };

/** A member's change: also revoke the working API keys they made (the team page's box, ticked by default). */
export interface MemberChangeOptions {
  revokeKeys?: boolean;
}

/**
 * Who may change or remove whom. The owner is never changed or removed here (only a transfer moves
 * ownership, so there is always exactly one owner). Admins manage members and viewers, and may
 * raise them to admin; an admin (including oneself) is changed or removed only by the owner, so two
 * admins cannot lock each other out and an admin cannot quietly demote a peer. Leaving is leaveWorkspace.
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

/**
 * SQL: the member still has the role the change read. Every statement of a change's batch carries it, so a role
 * changed or a removal landed meanwhile leaves the batch writing nothing at all (D1 has no BEGIN to lock with).
 */
function membershipAsRead(t: TenantDb, userId: string, role: Role): SQL {
  return sql`EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${userId} AND m.role = ${role})`;
}

const NO_KEYS: KeysAfter = { revoked: 0, live: 0 };

/** The keys part of a change: the statements revoking them (when asked), and how many work now. */
async function keysPart(people: TenantDb, actor: Actor, userId: string, guard: SQL, revoke: boolean) {
  const live = (await liveKeyCountsByCreator(people, actor.now)).get(userId) ?? 0;
  const statements = live > 0 && revoke ? revokeKeysCreatedByStatements(people, actor, userId, guard) : [];
  return { live, statements };
}

/**
 * Changes a member's role among viewer, member and admin, audited with the old and new role. "changed" when the
 * member's role changed or they left between the read and the batch: then nothing is written. `records`: the
 * workspace's records (a viewer's open tasks pass to the owner, as a removal's do: a viewer cannot complete them).
 */
export async function changeMemberRole(
  records: TenantDb,
  actor: TeamActor,
  targetUserId: string,
  role: InvitableRole,
  opts: MemberChangeOptions = {},
): Promise<MemberChangeResult> {
  const t = peopleOf(records);
  const target = await memberById(t, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  if (target.role === role) return { ok: true, keys: NO_KEYS };
  const asRead = membershipAsRead(t, targetUserId, target.role);
  // Only admins make keys and invite: a demoted one's invitations end with the right, and their keys if asked.
  const demoted = roleAtLeast(target.role, "admin") && !roleAtLeast(role, "admin");
  const keys = demoted ? await keysPart(t, actor, targetUserId, asRead, opts.revokeKeys === true) : null;
  // On a shard the tasks' hand-over is a batch of its own, first, as a removal's is (leave).
  const handOver =
    role === "viewer"
      ? reassignToOwnerStatement(records, targetUserId, records === t ? asRead : undefined, true)
      : null;
  if (handOver && records !== t) await records.db.batch([handOver]);
  const audit = auditRow({
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "member.role_changed",
    targetType: "user",
    targetId: targetUserId,
    targetLabel: target.email,
    detail: { from: target.role, to: role },
    ...actor,
  });
  // The guarded statements run before the update, which changes what they check.
  const statements: SQLWrapper[] = [
    ...(handOver && records === t ? [handOver] : []),
    ...(roleAtLeast(role, "admin") ? [] : [revokeInvitationsBy(t, targetUserId, actor.now, asRead)]),
    ...(keys?.statements ?? []),
    insertWhere(audit, asRead),
    t
      .update(
        memberships,
        { role, updatedAt: actor.now },
        eq(memberships.userId, targetUserId),
        eq(memberships.role, target.role),
      )
      .returning({ userId: memberships.userId }),
  ];
  const rows = await runRawBatchRows(t.db, statements);
  if (rows.at(-1)!.length === 0) return { ok: false, reason: "changed" };
  if (handOver) await moveDayRemindersToOwner(records);
  return { ok: true, keys: keysAfter(keys, statements, rows) };
}

/** The keys' outcome: the revoking update's RETURNING rows when it was in the batch (`statements`), else the count. */
function keysAfter(
  keys: { live: number; statements: SQL[] } | null,
  statements: SQLWrapper[],
  rows: Record<string, unknown>[][],
): KeysAfter {
  if (!keys) return NO_KEYS;
  const update = keys.statements.at(-1);
  if (!update) return { revoked: 0, live: keys.live };
  return { revoked: rows[statements.indexOf(update)]!.length, live: 0 };
}

/**
 * Removes a member. Their sessions in this workspace are deleted in the same batch, so they lose
 * access on their very next request; their account and other workspaces are untouched. Their API keys
 * belong to the workspace and keep working unless `revokeKeys` (the team page says how many there are).
 */
export async function removeMember(
  t: TenantDb,
  actor: TeamActor,
  targetUserId: string,
  opts: MemberChangeOptions = {},
): Promise<MemberChangeResult> {
  const people = peopleOf(t);
  const target = await memberById(people, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  return leave(t, actor, target, { ...opts, action: "member.removed" });
}

export type LeaveResult =
  | { ok: true; keys: KeysAfter; movedTo: string | null }
  | { ok: false; reason: "not_found" | "owner" | "changed" };

/**
 * The signed-in member leaves the workspace, as a removal would take them out (their tasks pass to the owner, their
 * invitations end, and their keys if asked). This browser's session moves to their first other open workspace
 * (`movedTo`), or ends with the others in this one when there is none. The owner hands ownership over first.
 */
export async function leaveWorkspace(
  t: TenantDb,
  actor: TeamActor & { sessionId: string },
  opts: MemberChangeOptions = {},
): Promise<LeaveResult> {
  const people = peopleOf(t);
  const me = await memberById(people, actor.userId);
  if (!me) return { ok: false, reason: "not_found" };
  if (me.role === "owner") return { ok: false, reason: "owner" };
  const elsewhere = await otherOpenWorkspace(people.db, actor.userId, t.tenantId);
  const moveSession = elsewhere === null ? undefined : { sessionId: actor.sessionId, tenantId: elsewhere };
  const result = await leave(t, actor, me, { ...opts, action: "member.left_workspace", moveSession });
  return result.ok ? { ...result, movedTo: elsewhere } : result;
}

// Members and sessions are on the control database; their tasks with the records (a shard, docs/scale.md).
const peopleOf = (t: TenantDb) => (t.db === t.control ? t : scoped(t.control, t.tenantId));

/** One member out of the workspace, by an admin or by themselves; every write guarded by the membership as read. */
async function leave(
  t: TenantDb,
  actor: Actor,
  target: { userId: string; email: string; role: Role },
  opts: MemberChangeOptions & {
    action: "member.removed" | "member.left_workspace";
    moveSession?: { sessionId: string; tenantId: string };
  },
): Promise<{ ok: true; keys: KeysAfter } | { ok: false; reason: "changed" }> {
  const people = peopleOf(t);
  const userId = target.userId;
  const asRead = membershipAsRead(people, userId, target.role);
  const keys = await keysPart(people, actor, userId, asRead, opts.revokeKeys === true);
  const audit = auditRow({
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: opts.action,
    targetType: "user",
    targetId: userId,
    targetLabel: target.email,
    detail: { role: target.role },
    ...actor,
  });
  const move = opts.moveSession;
  // Their tasks pass to the owner first, so none is left with nobody to do it. On a shard that is a batch of its own,
  // before (the guard cannot cross databases); on one database it is guarded like the rest.
  const reassign = reassignToOwnerStatement(t, userId, people === t ? asRead : undefined);
  const statements: SQLWrapper[] = [
    ...(move
      ? [
          people.update(
            sessions,
            { tenantId: move.tenantId },
            eq(sessions.id, move.sessionId),
            eq(sessions.userId, userId),
            asRead,
          ),
        ]
      : []),
    people.delete(sessions, eq(sessions.userId, userId), asRead),
    revokeInvitationsBy(people, userId, actor.now, asRead),
    ...keys.statements,
    insertWhere(audit, asRead),
    // Last: it ends what the guards above check. Its RETURNING says whether the member was still as read.
    people
      .delete(memberships, eq(memberships.userId, userId), eq(memberships.role, target.role))
      .returning({ userId: memberships.userId }),
  ];
  if (people === t) statements.unshift(reassign);
  else await t.db.batch([reassign]);
  const rows = await runRawBatchRows(people.db, statements);
  if (rows.at(-1)!.length === 0) return { ok: false, reason: "changed" };
  await moveDayRemindersToOwner(t);
  return { ok: true, keys: keysAfter(keys, statements, rows) };
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
