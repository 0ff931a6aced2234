/**
 * Accepting an invitation from its link, signed in or with a new account. The token row names its
 * workspace, so a link can only ever lead into that one; of two simultaneous accepts exactly one wins.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { invitations, memberships, sessions, tenants } from "../../db/schema";
import type { Bindings } from "../../env";
import type { RequestMeta } from "../../lib/actor";
import { hashPassword } from "../../auth/password";
import { newSession } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { newId } from "../../lib/ids";
import { isEmailTaken, userInsert } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { guardedValue, isPlanLimitError, membershipWithinLimit } from "../billing/limits";
import type { InvitableRole } from "./members";
import { workspaceName } from "./workspace-settings";
import { mirrorAfterChange } from "../shards/mirror";
import { anchorMember } from "../shards/workspace-db";

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

/** The bindings of the databases a workspace's records may be on: a member joining one on a shard is anchored there. */
type JoinDatabases = Pick<Bindings, "DB"> & Partial<Bindings>;

export type AcceptResult =
  | { ok: true; tenantId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "seat_limit"; tenantName: string };

/**
 * The membership insert of an acceptance, refused (NULL tenant id, a failed batch) when the Free plan
 * has no seat left.
 */
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
    tenantName: (await workspaceName(scoped(db, tenantId))) ?? "This workspace",
  };
}

/** The audit entry of an acceptance, in the workspace joined. */
function acceptedAudit(
  db: Database,
  invitation: { id: string; tenantId: string; email: string; role: InvitableRole },
  userId: string,
  newAccount: boolean,
  meta: RequestMeta,
) {
  return auditInsert(db, {
    tenantId: invitation.tenantId,
    actorUserId: userId,
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: invitation.id,
    targetLabel: invitation.email,
    detail: { role: invitation.role, new_account: newAccount },
    ...meta,
  });
}

/**
 * A signed-in user accepts an invitation sent to their address: they become a member with the
 * invited role, and this session moves into the new workspace. Already being a member (joined by
 * another route meanwhile) keeps the existing role rather than failing.
 */
export async function acceptInvitationAsUser(
  db: Database,
  databases: JoinDatabases,
  token: string,
  user: { id: string; email: string; sessionId: string },
  meta: RequestMeta,
  freeMaxSeats: number | null = null,
): Promise<AcceptResult> {
  const invitation = await claimInvitation(db, token, user.email, user.id, meta.now);
  if (!invitation) return { ok: false, reason: "invalid" };
  try {
    await anchorMember(databases, db, invitation.tenantId, user.id);
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
      acceptedAudit(db, invitation, user.id, false, meta),
    ]);
  } catch (err) {
    await releaseInvitation(db, invitation.id, user.id);
    if (isPlanLimitError(err, "memberships.tenant_id")) return seatLimitResult(db, invitation.tenantId);
    throw err;
  }
  await mirrorAfterChange(databases, [invitation.tenantId]);
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
  databases: JoinDatabases,
  token: string,
  password: string,
  meta: RequestMeta,
  freeMaxSeats: number | null = null,
  timeZone: string | null = null,
): Promise<AcceptWithNewAccountResult> {
  const invitation = await findLiveInvitation(db, token, meta.now);
  if (!invitation) return { ok: false, reason: "invalid" };
  // Hash before claiming: the slow step stays outside the window between the claim and the batch.
  const passwordHash = await hashPassword(password);
  const userId = newId();
  const claimed = await claimInvitation(db, token, invitation.email, userId, meta.now);
  if (!claimed) return { ok: false, reason: "invalid" };
  const session = newSession({ userId, tenantId: claimed.tenantId, ...meta });
  try {
    await anchorMember(databases, db, claimed.tenantId, userId);
    await db.batch([
      userInsert(db, { id: userId, email: claimed.email, passwordHash, now: meta.now, verified: true, timeZone }),
      membershipInsert(db, { tenantId: claimed.tenantId, userId, role: claimed.role, now: meta.now, freeMaxSeats }),
      db.insert(sessions).values(session.row),
      acceptedAudit(db, claimed, userId, true, meta),
    ]);
  } catch (err) {
    // The claim stands alone, so give the invitation back: the person can log in and accept it.
    await releaseInvitation(db, claimed.id, userId);
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    if (isPlanLimitError(err, "memberships.tenant_id")) return seatLimitResult(db, claimed.tenantId);
    throw err;
  }
  await mirrorAfterChange(databases, [claimed.tenantId]);
  return { ok: true, sessionToken: session.token, userId, tenantId: claimed.tenantId };
}
