/**
 * Teams: members and their roles, invitations, ownership, and the workspaces a user belongs to.
 * Every query on a workspace's data filters by its tenant id; an id from another workspace is simply
 * not found. Writes that belong together go in one batch (one transaction).
 */
import { and, desc, eq, exists, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type INVITABLE_ROLES, invitations, memberships, sessions, tenants, users, type Role } from "../../db/schema";
import { hashPassword, verifyPassword } from "../../auth/password";
import { hit, isLimited, type Limit } from "../../auth/rate-limit";
import { newSession, randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { newId } from "../../lib/ids";
import { invitationMail } from "../../mail/messages";
import { isEmailTaken, userInsert, type BaseUrl, type RequestMeta } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { guardedValue, isPlanLimitError, membershipWithinLimit, seatWithinLimit } from "../billing/limits";
import { queueMail } from "../mail/outbox";

export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000;

/**
 * Every invitation email (new or resent) counts here. Admins can mail any address, so this keeps a
 * compromised or careless admin account from turning our sender into a spam cannon.
 */
export const INVITATION_MAIL_LIMIT: Limit = { name: "invite-tenant", max: 50, windowMs: 24 * 3_600_000 };

/** Wrong passwords when re-authenticating for an ownership transfer, per user. */
export const TRANSFER_FAILURE_LIMIT: Limit = { name: "transfer-reauth-user", max: 5, windowMs: 15 * 60_000 };

/** The signed-in user acting on the team page. */
export interface TeamActor {
  id: string;
  email: string;
  role: Role;
  emailVerifiedAt: number | null;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: InvitableRole;
  expiresAt: number;
  invitedByEmail: string | null;
}

/**
 * Invitations neither accepted nor revoked, newest first. Expired ones stay listed (the page marks
 * them) so an admin can resend or revoke them instead of wondering where they went.
 */
export async function listPendingInvitations(db: Database, tenantId: string): Promise<PendingInvitation[]> {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      invitedByEmail: users.email,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.tenantId, tenantId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt));
}

async function tenantName(db: Database, tenantId: string): Promise<string | null> {
  const [row] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row?.name ?? null;
}

async function memberByEmail(db: Database, tenantId: string, email: string) {
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(users.email, email)))
    .limit(1);
  return row ?? null;
}

async function memberById(db: Database, tenantId: string, userId: string) {
  const [row] = await db
    .select({ userId: memberships.userId, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .limit(1);
  return row ?? null;
}

/** A new invitation token and the two writes that carry it: the stored hash and the email. */
function invitationMailFor(
  db: Database,
  tenantId: string,
  p: { email: string; role: InvitableRole; tenantName: string; inviter: string; baseUrl: BaseUrl; now: number },
) {
  const token = randomToken();
  const mail = queueMail(
    db,
    {
      to: p.email,
      tenantId,
      userId: null,
      ...invitationMail({
        tenantName: p.tenantName,
        inviter: p.inviter,
        role: p.role,
        link: `${p.baseUrl}/invite/${token}`,
      }),
    },
    p.now,
  );
  return { tokenHash: hashToken(token), mail };
}

export type CreateInvitationResult =
  | { ok: true; invitationId: string; mailId: string }
  | { ok: false; reason: "unverified" | "already_member" | "no_tenant" | "seat_limit" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Invites an address to the workspace. Only a verified inviter may send invitations (otherwise an
 * unconfirmed sign-up could mail anyone in our name). A live invitation for the same address is
 * replaced, so one address has one working link. Input is validated by the caller.
 * `freeMaxSeats` (null: no limit) caps members plus live invitations while the workspace is held to
 * the Free plan; the cap is checked inside the batch, so simultaneous invitations cannot pass it.
 */
export async function createInvitation(
  db: Database,
  tenantId: string,
  input: { email: string; role: InvitableRole; inviter: TeamActor; freeMaxSeats?: number | null },
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CreateInvitationResult> {
  if (input.inviter.emailVerifiedAt === null) return { ok: false, reason: "unverified" };
  if (await memberByEmail(db, tenantId, input.email)) return { ok: false, reason: "already_member" };
  const name = await tenantName(db, tenantId);
  if (name === null) return { ok: false, reason: "no_tenant" };
  const limit = await hit(db, INVITATION_MAIL_LIMIT, tenantId, meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };

  const id = newId();
  const { tokenHash, mail } = invitationMailFor(db, tenantId, {
    email: input.email,
    role: input.role,
    tenantName: name,
    inviter: input.inviter.email,
    baseUrl: meta.baseUrl,
    now: meta.now,
  });
  const seatLimit = input.freeMaxSeats ?? null;
  try {
    await db.batch([
      // Replacing an address's invitation frees its seat first, so re-inviting works at the limit.
      db
        .update(invitations)
        .set({ revokedAt: meta.now })
        .where(
          and(
            eq(invitations.tenantId, tenantId),
            eq(invitations.email, input.email),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
          ),
        ),
      db.insert(invitations).values({
        id,
        tenantId,
        // NULL (and so a failed batch) when the Free plan's seats are all taken.
        email:
          seatLimit === null ? input.email : guardedValue(seatWithinLimit(tenantId, seatLimit, meta.now), input.email),
        role: input.role,
        tokenHash,
        invitedBy: input.inviter.id,
        createdAt: meta.now,
        expiresAt: meta.now + INVITATION_LIFETIME_MS,
      }),
      mail.query,
      auditInsert(db, {
        tenantId,
        actorUserId: input.inviter.id,
        action: "invitation.created",
        targetType: "invitation",
        targetId: id,
        targetLabel: input.email,
        detail: { role: input.role },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
    ]);
  } catch (err) {
    if (isPlanLimitError(err, "invitations.email")) return { ok: false, reason: "seat_limit" };
    throw err;
  }
  return { ok: true, invitationId: id, mailId: mail.id };
}

async function pendingInvitation(db: Database, tenantId: string, invitationId: string) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.id, invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Revokes a pending invitation; its link stops working. False when there is no such pending invitation here. */
export async function revokeInvitation(
  db: Database,
  tenantId: string,
  invitationId: string,
  actorId: string,
  meta: RequestMeta,
): Promise<boolean> {
  const invitation = await pendingInvitation(db, tenantId, invitationId);
  if (!invitation) return false;
  await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: meta.now })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.id, invitationId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      ),
    auditInsert(db, {
      tenantId,
      actorUserId: actorId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitationId,
      targetLabel: invitation.email,
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return true;
}

export type ResendInvitationResult =
  | { ok: true; mailId: string }
  | { ok: false; reason: "not_found" | "unverified" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Sends a pending invitation again with a new token and a new 7-day expiry. The old link stops
 * working, since only the new token's hash is stored.
 */
export async function resendInvitation(
  db: Database,
  tenantId: string,
  invitationId: string,
  actor: TeamActor,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ResendInvitationResult> {
  const invitation = await pendingInvitation(db, tenantId, invitationId);
  if (!invitation) return { ok: false, reason: "not_found" };
  if (actor.emailVerifiedAt === null) return { ok: false, reason: "unverified" };
  const name = await tenantName(db, tenantId);
  if (name === null) return { ok: false, reason: "not_found" };
  const limit = await hit(db, INVITATION_MAIL_LIMIT, tenantId, meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };

  const { tokenHash, mail } = invitationMailFor(db, tenantId, {
    email: invitation.email,
    role: invitation.role,
    tenantName: name,
    inviter: actor.email,
    baseUrl: meta.baseUrl,
    now: meta.now,
  });
  await db.batch([
    db
      .update(invitations)
      .set({ tokenHash, expiresAt: meta.now + INVITATION_LIFETIME_MS })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.id, invitationId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      ),
    mail.query,
    auditInsert(db, {
      tenantId,
      actorUserId: actor.id,
      action: "invitation.resent",
      targetType: "invitation",
      targetId: invitationId,
      targetLabel: invitation.email,
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, mailId: mail.id };
}

/** What the invitation page shows about a live invitation. */
export interface LiveInvitation {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  role: InvitableRole;
}

/**
 * The invitation behind a link, if it is still usable (not accepted, revoked or expired). Reads
 * only. The token row carries its own tenant, so a link can only ever lead into that workspace.
 */
export async function findLiveInvitation(db: Database, token: string, now: number): Promise<LiveInvitation | null> {
  if (token.length < 10 || token.length > 100) return null;
  const [row] = await db
    .select({
      id: invitations.id,
      tenantId: invitations.tenantId,
      tenantName: tenants.name,
      email: invitations.email,
      role: invitations.role,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Marks the invitation accepted with one conditional update, so of two simultaneous accepts exactly
 * one wins. Only an invitation for `email` can be claimed. Returns the claimed row, or null.
 */
async function claimInvitation(db: Database, token: string, email: string, userId: string, now: number) {
  if (token.length < 10 || token.length > 100) return null;
  const [row] = await db
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning();
  return row ?? null;
}

/** Gives a claimed invitation back when the writes that should follow the claim failed. */
async function releaseInvitation(db: Database, invitationId: string, userId: string) {
  await db
    .update(invitations)
    .set({ acceptedAt: null, acceptedBy: null })
    .where(and(eq(invitations.id, invitationId), eq(invitations.acceptedBy, userId)));
}

export type AcceptResult =
  | { ok: true; tenantId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "seat_limit"; tenantName: string };

/** The membership insert of an acceptance, refused (NULL tenant id, a failed batch) when the Free plan has no seat left. */
function membershipInsert(
  db: Database,
  m: { tenantId: string; userId: string; role: InvitableRole; now: number; freeMaxSeats: number | null },
) {
  return db.insert(memberships).values({
    tenantId:
      m.freeMaxSeats === null
        ? m.tenantId
        : guardedValue(membershipWithinLimit(m.tenantId, m.userId, m.freeMaxSeats), m.tenantId),
    userId: m.userId,
    role: m.role,
    createdAt: m.now,
    updatedAt: m.now,
  });
}

async function seatLimitResult(db: Database, tenantId: string) {
  return {
    ok: false as const,
    reason: "seat_limit" as const,
    tenantName: (await tenantName(db, tenantId)) ?? "This workspace",
  };
}

/**
 * A signed-in user accepts an invitation sent to their address: they become a member with the
 * invited role, and this session moves into the new workspace. Already being a member (joined by
 * another route meanwhile) keeps the existing role rather than failing.
 */
export async function acceptInvitationAsUser(
  db: Database,
  token: string,
  user: { id: string; email: string; sessionId: string },
  meta: RequestMeta,
  freeMaxSeats: number | null = null,
): Promise<AcceptResult> {
  const invitation = await claimInvitation(db, token, user.email, user.id, meta.now);
  if (!invitation) return { ok: false, reason: "invalid" };
  try {
    await db.batch([
      membershipInsert(db, {
        tenantId: invitation.tenantId,
        userId: user.id,
        role: invitation.role,
        now: meta.now,
        freeMaxSeats,
      }).onConflictDoNothing(),
      db
        .update(sessions)
        .set({ tenantId: invitation.tenantId })
        .where(and(eq(sessions.id, user.sessionId), eq(sessions.userId, user.id))),
      auditInsert(db, {
        tenantId: invitation.tenantId,
        actorUserId: user.id,
        action: "invitation.accepted",
        targetType: "invitation",
        targetId: invitation.id,
        targetLabel: invitation.email,
        detail: { role: invitation.role, new_account: false },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
    ]);
  } catch (err) {
    await releaseInvitation(db, invitation.id, user.id);
    if (isPlanLimitError(err, "memberships.tenant_id")) return seatLimitResult(db, invitation.tenantId);
    throw err;
  }
  return { ok: true, tenantId: invitation.tenantId };
}

export type AcceptWithNewAccountResult =
  | { ok: true; sessionToken: string; userId: string; tenantId: string }
  | { ok: false; reason: "invalid" | "email_taken" }
  | { ok: false; reason: "seat_limit"; tenantName: string };

/**
 * Someone without an account accepts: the user (verified, since the invitation link proved the
 * address), the membership, a session and the audit entry are written in one batch after the claim.
 * The password is validated by the caller.
 */
export async function acceptInvitationWithNewAccount(
  db: Database,
  token: string,
  password: string,
  meta: RequestMeta,
  freeMaxSeats: number | null = null,
): Promise<AcceptWithNewAccountResult> {
  const invitation = await findLiveInvitation(db, token, meta.now);
  if (!invitation) return { ok: false, reason: "invalid" };
  // Hash before claiming: the slow step stays outside the window between the claim and the batch.
  const passwordHash = await hashPassword(password);
  const userId = newId();
  const claimed = await claimInvitation(db, token, invitation.email, userId, meta.now);
  if (!claimed) return { ok: false, reason: "invalid" };
  const session = newSession({
    userId,
    tenantId: claimed.tenantId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  try {
    await db.batch([
      userInsert(db, { id: userId, email: claimed.email, passwordHash, now: meta.now, verified: true }),
      membershipInsert(db, { tenantId: claimed.tenantId, userId, role: claimed.role, now: meta.now, freeMaxSeats }),
      db.insert(sessions).values(session.row),
      auditInsert(db, {
        tenantId: claimed.tenantId,
        actorUserId: userId,
        action: "invitation.accepted",
        targetType: "invitation",
        targetId: claimed.id,
        targetLabel: claimed.email,
        detail: { role: claimed.role, new_account: true },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
    ]);
  } catch (err) {
    // The claim stands alone, so give the invitation back: the person can log in and accept it.
    await releaseInvitation(db, claimed.id, userId);
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    if (isPlanLimitError(err, "memberships.tenant_id")) return seatLimitResult(db, claimed.tenantId);
    throw err;
  }
  return { ok: true, sessionToken: session.token, userId, tenantId: claimed.tenantId };
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
  actor: Pick<TeamActor, "id" | "role">,
  target: { userId: string; role: Role },
): "owner" | "admin_needs_owner" | "self" | null {
  if (target.role === "owner") return "owner";
  if (target.userId === actor.id && actor.role !== "owner") return "self";
  if (target.role === "admin" && actor.role !== "owner") return "admin_needs_owner";
  return null;
}

/** Changes a member's role among viewer, member and admin, audited with the old and new role. */
export async function changeMemberRole(
  db: Database,
  tenantId: string,
  actor: TeamActor,
  targetUserId: string,
  role: InvitableRole,
  meta: RequestMeta,
): Promise<MemberChangeResult> {
  const target = await memberById(db, tenantId, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  if (target.role === role) return { ok: true };
  await db.batch([
    // The role condition keeps a concurrent ownership transfer from being overwritten.
    db
      .update(memberships)
      .set({ role, updatedAt: meta.now })
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.userId, targetUserId),
          eq(memberships.role, target.role),
        ),
      ),
    auditInsert(db, {
      tenantId,
      actorUserId: actor.id,
      action: "member.role_changed",
      targetType: "user",
      targetId: targetUserId,
      targetLabel: target.email,
      detail: { from: target.role, to: role },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true };
}

/**
 * Removes a member. Their sessions in this workspace are deleted in the same batch, so they lose
 * access on their very next request; their account and other workspaces are untouched.
 */
export async function removeMember(
  db: Database,
  tenantId: string,
  actor: TeamActor,
  targetUserId: string,
  meta: RequestMeta,
): Promise<MemberChangeResult> {
  const target = await memberById(db, tenantId, targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const refusal = memberChangeRefusal(actor, target);
  if (refusal) return { ok: false, reason: refusal };
  await db.batch([
    db
      .delete(memberships)
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.userId, targetUserId),
          eq(memberships.role, target.role),
        ),
      ),
    db.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, targetUserId))),
    auditInsert(db, {
      tenantId,
      actorUserId: actor.id,
      action: "member.removed",
      targetType: "user",
      targetId: targetUserId,
      targetLabel: target.email,
      detail: { role: target.role },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true };
}

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
  db: Database,
  tenantId: string,
  owner: TeamActor,
  input: { targetUserId: string; password: string },
  meta: RequestMeta,
): Promise<TransferResult> {
  if (owner.role !== "owner") return { ok: false, reason: "not_owner" };
  if (input.targetUserId === owner.id) return { ok: false, reason: "self" };
  const target = await memberById(db, tenantId, input.targetUserId);
  if (!target) return { ok: false, reason: "not_found" };
  const limited = await isLimited(db, TRANSFER_FAILURE_LIMIT, owner.id, meta.now);
  if (!limited.allowed) return { ok: false, reason: "rate_limited", retryAfter: limited.retryAfter };
  const [account] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, owner.id))
    .limit(1);
  if (!account || !(await verifyPassword(account.passwordHash, input.password))) {
    await hit(db, TRANSFER_FAILURE_LIMIT, owner.id, meta.now);
    return { ok: false, reason: "wrong_password" };
  }

  const stillOwner = and(
    eq(memberships.tenantId, tenantId),
    eq(memberships.userId, owner.id),
    eq(memberships.role, "owner"),
  );
  const [promoted] = await db.batch([
    db
      .update(memberships)
      .set({ role: "owner", updatedAt: meta.now })
      .where(
        and(
          eq(memberships.tenantId, tenantId),
          eq(memberships.userId, target.userId),
          exists(db.select({ one: sql`1` }).from(memberships).where(stillOwner)),
        ),
      )
      .returning({ userId: memberships.userId }),
    db.update(memberships).set({ role: "admin", updatedAt: meta.now }).where(stillOwner),
    auditInsert(db, {
      tenantId,
      actorUserId: owner.id,
      action: "ownership.transferred",
      targetType: "user",
      targetId: target.userId,
      targetLabel: target.email,
      detail: { previous_role: target.role },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  // Only a second, simultaneous transfer by the same owner gets here: its batch changed no role
  // (its audit entry then records an attempt without effect).
  if (promoted.length === 0) return { ok: false, reason: "not_owner" };
  return { ok: true };
}
