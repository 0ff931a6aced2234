/**
 * A member deleting their own user: their sessions, tokens, memberships and personal data go; the
 * audit trail keeps its entries with the actor erased, and what they wrote stays with the tenant,
 * attributed to "former member".
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { activities, companies, contacts, emailOutbox, invitations, memberships, notes, recentViews, tenants, users } from "../db/schema";
import { verifyPassword } from "../auth/password";
import type { RequestMeta } from "./accounts";
import { anonymiseActor, anonymiseTarget, auditInsert } from "./audit";

export type DeleteUserResult = { ok: true } | { ok: false; field: "password" | "form"; message: string };

/** Deletes the user's own account after checking their password. Owners must hand over first. */
export async function deleteOwnUser(db: Database, userId: string, password: string, meta: RequestMeta): Promise<DeleteUserResult> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    return { ok: false, field: "password", message: "That is not your current password." };
  }
  const owned = await db
    .select({ name: tenants.name })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")));
  if (owned.length > 0) {
    return {
      ok: false,
      field: "form",
      message: `You own ${owned.map((t) => t.name).join(", ")}. Transfer the ownership to another member first.`,
    };
  }
  const tenantIds = (await db.select({ tenantId: memberships.tenantId }).from(memberships).where(eq(memberships.userId, userId))).map((m) => m.tenantId);
  await db.batch(userDeletionQueries(db, { id: userId, email: user.email }, tenantIds, meta.now));
  return { ok: true };
}

/**
 * The batch that deletes a user who owns no workspace: their personal data goes, and what they
 * wrote stays with each workspace, attributed to "former member". Their address goes from every
 * workspace: the invitations to it, the mail sent to it, and the audit entries about them (as target).
 * `tenantIds`: the workspaces they leave, whose trails record it. Also used by an operator's
 * erase-account (src/services/ops-actions.ts).
 */
export function userDeletionQueries(db: Database, user: { id: string; email: string }, tenantIds: string[], now: number) {
  const userId = user.id;
  return [
    anonymiseActor(db, userId),
    ...anonymiseTarget(db, user),
    // The invitations to their address, in every workspace (accepted or not), and the mail sent to it.
    db.delete(invitations).where(eq(invitations.email, user.email)),
    db.delete(emailOutbox).where(eq(emailOutbox.toAddress, user.email)),
    db.update(invitations).set({ invitedBy: null }).where(eq(invitations.invitedBy, userId)),
    // What they wrote stays with the tenant; without an author it shows as "former member".
    db.update(notes).set({ authorId: null }).where(eq(notes.authorId, userId)),
    db.update(activities).set({ actorId: null }).where(eq(activities.actorId, userId)),
    db.update(contacts).set({ ownerId: null }).where(eq(contacts.ownerId, userId)),
    db.update(contacts).set({ createdBy: null }).where(eq(contacts.createdBy, userId)),
    db.update(companies).set({ ownerId: null }).where(eq(companies.ownerId, userId)),
    db.update(companies).set({ createdBy: null }).where(eq(companies.createdBy, userId)),
    db.delete(recentViews).where(eq(recentViews.userId, userId)),
    db.delete(emailOutbox).where(eq(emailOutbox.userId, userId)),
    // Memberships, sessions and tokens go with the user (ON DELETE CASCADE).
    db.delete(users).where(eq(users.id, userId)),
    ...tenantIds.map((tenantId) =>
      auditInsert(db, { tenantId, actorUserId: null, action: "member.left", targetType: "user", targetLabel: "former member", ip: null, userAgent: null, now }),
    ),
  ] as const;
}
