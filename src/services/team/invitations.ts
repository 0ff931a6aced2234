/**
 * Invitations a workspace sends: the pending list, a new invitation, resending and revoking one.
 * Accepting one is in invitation-accept.ts. Each change, its email and its audit entry go in one batch.
 */
import { desc, eq, isNull, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { invitations, memberships, users } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { hit, type Limit } from "../../auth/rate-limit";
import { randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { newId } from "../../lib/ids";
import { invitationMail } from "../../mail/messages";
import type { BaseUrl } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { guardedValue, isPlanLimitError, seatWithinLimit } from "../billing/limits";
import { queueMail } from "../mail/outbox";
import type { InvitableRole, TeamActor } from "./members";
import { workspaceName } from "./workspace-settings";

export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000;

/**
 * Every invitation email (new or resent) counts here. Admins can mail any address, so this keeps a
 * compromised or careless admin account from turning our sender into a spam cannon.
 */
export const INVITATION_MAIL_LIMIT: Limit = { name: "invite-tenant", max: 50, windowMs: 24 * 3_600_000 };

export interface PendingInvitation {
  id: string;
  email: string;
  role: InvitableRole;
  expiresAt: number;
  invitedByEmail: string | null;
}

/** Neither accepted nor revoked: the invitation still holds its seat and its link may work. */
const pending = () => [isNull(invitations.acceptedAt), isNull(invitations.revokedAt)];

/**
 * Invitations neither accepted nor revoked, newest first. Expired ones stay listed (the page marks
 * them) so an admin can resend or revoke them instead of wondering where they went.
 */
export async function listPendingInvitations(t: TenantDb): Promise<PendingInvitation[]> {
  return t.db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      invitedByEmail: users.email,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(t.where(invitations, ...pending()))
    .orderBy(desc(invitations.createdAt));
}

async function memberByEmail(t: TenantDb, email: string) {
  const [row] = await t.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(t.where(memberships, eq(users.email, email)))
    .limit(1);
  return row ?? null;
}

/** A new invitation token and the two writes that carry it: the stored hash and the email. */
function invitationMailFor(
  t: TenantDb,
  p: { email: string; role: InvitableRole; tenantName: string; inviter: string; baseUrl: BaseUrl; now: number },
) {
  const token = randomToken();
  const mail = queueMail(
    t.db,
    {
      to: p.email,
      tenantId: t.tenantId,
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

/** The audit entry of a change to an invitation, by the admin who made it. */
function invitationAudit(
  t: TenantDb,
  actor: Actor,
  action: "invitation.created" | "invitation.resent" | "invitation.revoked",
  invitation: { id: string; email: string; role?: InvitableRole },
) {
  return auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action,
    targetType: "invitation",
    targetId: invitation.id,
    targetLabel: invitation.email,
    detail: invitation.role === undefined ? undefined : { role: invitation.role },
    ...actor,
  });
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
  t: TenantDb,
  inviter: TeamActor,
  input: { email: string; role: InvitableRole; freeMaxSeats?: number | null; baseUrl: BaseUrl },
): Promise<CreateInvitationResult> {
  if (inviter.emailVerifiedAt === null) return { ok: false, reason: "unverified" };
  if (await memberByEmail(t, input.email)) return { ok: false, reason: "already_member" };
  const name = await workspaceName(t);
  if (name === null) return { ok: false, reason: "no_tenant" };
  const limit = await hit(t.db, INVITATION_MAIL_LIMIT, t.tenantId, inviter.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };

  const id = newId();
  const { tokenHash, mail } = invitationMailFor(t, {
    email: input.email,
    role: input.role,
    tenantName: name,
    inviter: inviter.email,
    baseUrl: input.baseUrl,
    now: inviter.now,
  });
  const seatLimit = input.freeMaxSeats ?? null;
  const seatFree = seatLimit === null ? null : seatWithinLimit(t.tenantId, seatLimit, inviter.now);
  try {
    await t.db.batch([
      // Replacing an address's invitation frees its seat first, so re-inviting works at the limit.
      t.update(invitations, { revokedAt: inviter.now }, eq(invitations.email, input.email), ...pending()),
      t.insert(invitations, {
        id,
        // NULL (and so a failed batch) when the Free plan's seats are all taken.
        email: seatFree === null ? input.email : guardedValue(seatFree, input.email),
        role: input.role,
        tokenHash,
        invitedBy: inviter.userId,
        createdAt: inviter.now,
        expiresAt: inviter.now + INVITATION_LIFETIME_MS,
      }),
      mail.query,
      invitationAudit(t, inviter, "invitation.created", { id, email: input.email, role: input.role }),
    ]);
  } catch (err) {
    if (isPlanLimitError(err, "invitations.email")) return { ok: false, reason: "seat_limit" };
    throw err;
  }
  return { ok: true, invitationId: id, mailId: mail.id };
}

async function pendingInvitation(t: TenantDb, invitationId: string) {
  const [row] = await t.db
    .select()
    .from(invitations)
    .where(t.where(invitations, eq(invitations.id, invitationId), ...pending()))
    .limit(1);
  return row ?? null;
}

/**
 * Ends the pending invitations someone sent, for the batch that removes them or takes away their right to invite:
 * an admin who invited an address of their own must not come back through it once removed or demoted. `guard`:
 * only while it holds when the batch runs (the membership still as the change read it).
 */
export function revokeInvitationsBy(t: TenantDb, userId: string, now: number, guard?: SQL) {
  return t.update(invitations, { revokedAt: now }, eq(invitations.invitedBy, userId), ...pending(), guard);
}

/** Revokes a pending invitation; its link stops working. False when there is no such pending invitation here. */
export async function revokeInvitation(t: TenantDb, invitationId: string, actor: Actor): Promise<boolean> {
  const invitation = await pendingInvitation(t, invitationId);
  if (!invitation) return false;
  await t.db.batch([
    t.update(invitations, { revokedAt: actor.now }, eq(invitations.id, invitationId), ...pending()),
    invitationAudit(t, actor, "invitation.revoked", { id: invitationId, email: invitation.email }),
  ]);
  return true;
}

export type ResendInvitationResult =
  | { ok: true; mailId: string }
  | { ok: false; reason: "not_found" | "unverified" | "seat_limit" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Sends a pending invitation again with a new token and a new 7-day expiry. The old link stops
 * working, since only the new token's hash is stored. An expired invitation holds no seat, so bringing
 * it back takes one: on the Free plan (`freeMaxSeats`) that is checked in the batch, as for a new one.
 */
export async function resendInvitation(
  t: TenantDb,
  invitationId: string,
  actor: TeamActor,
  baseUrl: BaseUrl,
  freeMaxSeats: number | null = null,
): Promise<ResendInvitationResult> {
  const invitation = await pendingInvitation(t, invitationId);
  if (!invitation) return { ok: false, reason: "not_found" };
  if (actor.emailVerifiedAt === null) return { ok: false, reason: "unverified" };
  const name = await workspaceName(t);
  if (name === null) return { ok: false, reason: "not_found" };
  const limit = await hit(t.db, INVITATION_MAIL_LIMIT, t.tenantId, actor.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };

  const { tokenHash, mail } = invitationMailFor(t, {
    email: invitation.email,
    role: invitation.role,
    tenantName: name,
    inviter: actor.email,
    baseUrl,
    now: actor.now,
  });
  // A live one keeps its seat; an expired one needs a free seat (NULL token, and so a failed batch, without).
  const seatFree =
    freeMaxSeats === null || invitation.expiresAt > actor.now
      ? null
      : seatWithinLimit(t.tenantId, freeMaxSeats, actor.now);
  try {
    await t.db.batch([
      t.update(
        invitations,
        {
          tokenHash: seatFree === null ? tokenHash : guardedValue(seatFree, tokenHash),
          expiresAt: actor.now + INVITATION_LIFETIME_MS,
        },
        eq(invitations.id, invitationId),
        ...pending(),
      ),
      mail.query,
      invitationAudit(t, actor, "invitation.resent", { id: invitationId, email: invitation.email }),
    ]);
  } catch (err) {
    if (isPlanLimitError(err, "invitations.token_hash")) return { ok: false, reason: "seat_limit" };
    throw err;
  }
  return { ok: true, mailId: mail.id };
}
