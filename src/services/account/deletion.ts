/**
 * A member deleting their own user: their sessions, tokens, memberships and personal data go; the
 * audit trail keeps its entries with the actor erased, and what they wrote stays with the tenant,
 * attributed to "former member".
 */
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { failedWith } from "../billing/errors";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import {
  activities,
  companies,
  contacts,
  deals,
  dealStageHistory,
  emailOutbox,
  importJobs,
  apiKeys,
  bulkJobs,
  interactions,
  invitations,
  memberships,
  notes,
  tasks,
  recentViews,
  savedViews,
  taskReminders,
  tenants,
  usageDaily,
  usageEvents,
  users,
  supportGrants,
  trashItems,
} from "../../db/schema";
import { checkOwnPassword } from "./reauth";
import { erasedMentionStatements } from "./erase-mentions";
import { LIMITS, limitKey, type Limit } from "../../auth/rate-limit";
import type { RequestMeta } from "./accounts";
import { anonymiseActor, anonymiseTarget, auditInsert } from "../audit/audit";
import { scoped } from "../../db/scoped";
import { CLOSE_FAILURE_LIMIT } from "../privacy/closure";
import type { Bindings } from "../../env";
import { databasesOfUser } from "../shards/workspace-db";
import { reassignToOwnerStatement } from "../tasks/write";
import { INVITATION_MAIL_LIMIT } from "../team/invitations";
import { TRANSFER_FAILURE_LIMIT } from "../team/ownership";

export type DeleteUserResult = { ok: true } | { ok: false; field: "password" | "form"; message: string };

/** Deletes the user's own account after checking their password. Owners must hand over first. */
export async function deleteOwnUser(
  db: Database,
  userId: string,
  password: string,
  meta: RequestMeta,
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<DeleteUserResult> {
  const checked = await checkOwnPassword(db, userId, password, meta.now);
  if (!checked.ok) return { ok: false, field: "password", message: checked.message };
  const { user } = checked;
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
  const tenantIds = (
    await db.select({ tenantId: memberships.tenantId }).from(memberships).where(eq(memberships.userId, userId))
  ).map((m) => m.tenantId);
  const formerEmails = await formerAddresses(db, userId);
  if (env) await deleteOnShards(env, db, { id: userId, email: user.email, formerEmails }, tenantIds, meta.now);
  // The same erasure as an operator's erase-account: what the users row does not reach goes too
  // (their contact-page messages and our inbox's copies, account mail, rate-limit counters).
  try {
    await runRawBatch(db, [
      // First: a workspace handed to them since the check above fails the batch, which then writes nothing
      // (their memberships would go with their users row, leaving that workspace without an owner).
      sql`UPDATE users SET email = CASE WHEN EXISTS (SELECT 1 FROM memberships m /* all tenants: any workspace
          they own */ WHERE m.user_id = users.id AND m.role = 'owner') THEN NULL ELSE email END WHERE id = ${userId}`,
      ...(await erasedMentionStatements(db, userId)),
      ...userDeletionQueries(db, { id: userId, email: user.email, formerEmails }, tenantIds, meta.now),
      ...userErasureStatements([{ id: userId, email: user.email, formerEmails }]),
    ]);
  } catch (err) {
    if (!failedWith(err, "NOT NULL constraint failed: users.email")) throw err;
    return { ok: false, field: "form", message: "You own a workspace now. Transfer the ownership first." };
  }
  return { ok: true };
}

/**
 * The same deletion on each shard holding one of the user's workspaces, first (docs/scale.md, "Routing"): their
 * tasks there pass to the owner, their records lose their name, their copy goes. A shard failing fails the
 * deletion before anything on the control database changed; run again, each statement finds its work done.
 */
export async function deleteOnShards(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  db: Database,
  user: { id: string; email: string; formerEmails?: readonly string[] },
  tenantIds: string[],
  now: number,
): Promise<void> {
  for (const shard of (await databasesOfUser(env, db, user.id)).slice(1))
    await runRawBatch(shard, [
      ...(await erasedMentionStatements(shard, user.id)),
      ...userDeletionQueries(shard, user, tenantIds, now),
    ]);
}

/**
 * The addresses a user had before their current one that still mark something of theirs: those of the
 * invitations they accepted. Why this source: an invitation is claimed only for the address the account
 * has at that moment (claimInvitation() in src/services/team/invitation-accept.ts), and the invitation
 * row stays as long as anything made from it in its workspace (its invitation.* audit entries, labelled
 * with that address, and the invitation mail to it, which carries no user id), so it is durable where
 * the others are not: email.changed audit entries age out with the trail and live in one workspace,
 * auth_tokens rows go when they expire. Everything else about a user is found by their id. The same
 * expression, per user, is FORMER_ADDRESSES_OF below, for the closure erasure's bulk read
 * (src/services/privacy/erasure.ts).
 */
export async function formerAddresses(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ email: invitations.email })
    .from(invitations)
    .where(eq(invitations.acceptedBy, userId));
  return rows.map((r) => r.email);
}

/** SQL text: a JSON array of the addresses of the invitations accepted by the user whose id is in `idColumn`. */
export const FORMER_ADDRESSES_OF = (idColumn: string) =>
  `(SELECT json_group_array(DISTINCT i.email) FROM invitations i WHERE i.accepted_by = ${idColumn})`;

/**
 * The batch that deletes a user who owns no workspace: their personal data goes, and what they
 * wrote stays with each workspace, attributed to "former member". Their address goes from every
 * workspace: the invitations to it, the mail sent to it, and the audit entries about them (as target);
 * so do the addresses they had before (`formerEmails`, from formerAddresses()).
 * `tenantIds`: the workspaces they leave, whose trails record it. Also used by an operator's
 * erase-account (src/services/ops/erase-account.ts).
 */
export function userDeletionQueries(
  db: Database,
  user: { id: string; email: string; formerEmails?: readonly string[] },
  tenantIds: string[],
  now: number,
) {
  const userId = user.id;
  // Their current address and the ones they had before (formerAddresses()): each is theirs to erase.
  const addresses = [...new Set([user.email, ...(user.formerEmails ?? [])])];
  const theirAddresses = JSON.stringify(addresses);
  return [
    anonymiseActor(db, userId),
    // One flag row at a time (audit_erasures is keyed by user): entries labelled with any of the addresses.
    ...addresses.flatMap((email) => anonymiseTarget(db, { id: userId, email })),
    // The invitations to their addresses, in every workspace (accepted or not), and the mail sent to them.
    db
      .delete(invitations)
      .where(
        or(
          sql`${invitations.email} IN (SELECT value FROM json_each(${theirAddresses}))`,
          eq(invitations.acceptedBy, userId),
        ),
      ),
    db.delete(emailOutbox).where(sql`${emailOutbox.toAddress} IN (SELECT value FROM json_each(${theirAddresses}))`),
    db.update(invitations).set({ invitedBy: null }).where(eq(invitations.invitedBy, userId)),
    // Who gave or ended support access: the grant stays in the workspace's history, the person goes.
    db.update(supportGrants).set({ grantedBy: null }).where(eq(supportGrants.grantedBy, userId)),
    db.update(supportGrants).set({ endedBy: null }).where(eq(supportGrants.endedBy, userId)),
    // What they wrote stays with the tenant; without an author it shows as "former member".
    db.update(notes).set({ authorId: null }).where(eq(notes.authorId, userId)),
    // Their tasks pass to each workspace's owner (never lost); what they created or completed loses their name.
    ...tenantIds.map((tenantId) => reassignToOwnerStatement(scoped(db, tenantId), userId)),
    db.update(tasks).set({ createdBy: null }).where(eq(tasks.createdBy, userId)),
    db.update(tasks).set({ completedBy: null }).where(eq(tasks.completedBy, userId)),
    db.update(interactions).set({ loggedBy: null }).where(eq(interactions.loggedBy, userId)),
    db.update(activities).set({ actorId: null }).where(eq(activities.actorId, userId)),
    db.update(contacts).set({ ownerId: null }).where(eq(contacts.ownerId, userId)),
    db.update(contacts).set({ createdBy: null }).where(eq(contacts.createdBy, userId)),
    db.update(companies).set({ ownerId: null }).where(eq(companies.ownerId, userId)),
    db.update(companies).set({ createdBy: null }).where(eq(companies.createdBy, userId)),
    db.update(deals).set({ ownerId: null }).where(eq(deals.ownerId, userId)),
    db.update(deals).set({ createdBy: null }).where(eq(deals.createdBy, userId)),
    db.update(dealStageHistory).set({ actorId: null }).where(eq(dealStageHistory.actorId, userId)),
    db.update(importJobs).set({ createdBy: null }).where(eq(importJobs.createdBy, userId)),
    // A bulk job whose starter is erased stops at its next step (services/contacts/bulk-jobs.ts).
    db.update(bulkJobs).set({ createdBy: null }).where(eq(bulkJobs.createdBy, userId)),
    // An API key belongs to the workspace: it keeps working, made by no one now.
    db.update(apiKeys).set({ createdBy: null }).where(eq(apiKeys.createdBy, userId)),
    // Who deleted or owns what waits in the trash; restore checks every person's id against users again.
    db
      .update(trashItems)
      .set({
        deletedBy: sql`CASE WHEN ${trashItems.deletedBy} = ${userId} THEN NULL ELSE ${trashItems.deletedBy} END`,
        ownerId: sql`CASE WHEN ${trashItems.ownerId} = ${userId} THEN NULL ELSE ${trashItems.ownerId} END`,
      })
      .where(or(eq(trashItems.deletedBy, userId), eq(trashItems.ownerId, userId))),
    db.delete(recentViews).where(eq(recentViews.userId, userId)),
    // Their private saved views go; shared ones stay with the workspace, owned by no one (admins manage
    // them). Their default views go with the users row (foreign key).
    db.delete(savedViews).where(and(eq(savedViews.ownerUserId, userId), eq(savedViews.shared, false))),
    db.update(savedViews).set({ ownerUserId: null }).where(eq(savedViews.ownerUserId, userId)),
    // Which reminders went to them (their bell entries, notifications, go with the users row).
    db.delete(taskReminders).where(eq(taskReminders.userId, userId)),
    db.delete(emailOutbox).where(eq(emailOutbox.userId, userId)),
    // Their usage data, raw and aggregated, in every workspace (src/services/usage/definitions.ts).
    db.delete(usageEvents).where(eq(usageEvents.userId, userId)),
    db.delete(usageDaily).where(eq(usageDaily.userId, userId)),
    // Memberships, sessions and tokens go with the user (ON DELETE CASCADE).
    db.delete(users).where(eq(users.id, userId)),
    ...tenantIds.map((tenantId) =>
      auditInsert(db, {
        tenantId,
        actorUserId: null,
        action: "member.left",
        targetType: "user",
        targetLabel: "former member",
        ip: null,
        userAgent: null,
        now,
      }),
    ),
  ] as const;
}

/** Rate limits keyed by an account's email or user id. */
const ACCOUNT_LIMITS: Limit[] = [
  ...Object.values(LIMITS),
  TRANSFER_FAILURE_LIMIT,
  INVITATION_MAIL_LIMIT,
  CLOSE_FAILURE_LIMIT,
];

/**
 * The personal data of users being erased that is not removed by deleting their users row: mail to
 * them that belongs to no workspace, what they wrote to support, and their rate-limit counters. The
 * users rows go last; memberships, sessions, tokens, email preferences and data exports go with them
 * (ON DELETE CASCADE), and their consent records lose the link to them (ON DELETE SET NULL).
 */
export function userErasureStatements(
  accounts: { id: string; email: string; formerEmails?: readonly string[] }[],
): SQL[] {
  const ids = JSON.stringify(accounts.map((a) => a.id));
  // Their former addresses (formerAddresses()) wrote to support and got mail as much as the current one.
  const emails = JSON.stringify([...new Set(accounts.flatMap((a) => [a.email, ...(a.formerEmails ?? [])]))]);
  const keys = JSON.stringify(
    accounts.flatMap((a) => ACCOUNT_LIMITS.flatMap((l) => [limitKey(l, a.email), limitKey(l, a.id)])),
  );
  return [
    // Account mail (verification, resets, support replies) has no tenant: the tenant index finds it.
    sql`DELETE FROM email_outbox WHERE tenant_id IS NULL
      AND (user_id IN (SELECT value FROM json_each(${ids})) OR to_address IN (SELECT value FROM json_each(${emails})))`,
    sql`DELETE FROM support_messages WHERE email IN (SELECT value FROM json_each(${emails}))`,
    // The copy of their contact-page messages that went to our support inbox names them in its text.
    sql`DELETE FROM email_outbox WHERE tenant_id IS NULL AND kind = 'support_message'
      AND EXISTS (SELECT 1 FROM json_each(${emails}) e WHERE instr(email_outbox.text_body, e.value) > 0)`,
    sql`DELETE FROM rate_limits WHERE key IN (SELECT value FROM json_each(${keys}))`,
    sql`DELETE FROM users WHERE id IN (SELECT value FROM json_each(${ids}))`,
  ];
}
