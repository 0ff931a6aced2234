/**
 * The console's side of the request-driven account actions: finding one account by its exact address
 * (no list), what staff see of it (its workspaces by name and role, never their records), and the actions
 * under the two-person rule: one staff member asks with a written reason, a different admin approves, and
 * only then does it run. Erasure (the same as /ops/accounts/erase, recorded in the surviving workspaces'
 * trails) and correcting the address (asked for in ./email-correction-requests.ts).
 */
import { and, desc, eq, gt, isNull, lt, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { accountActions, memberships, tenants, users, type Role } from "../../db/schema";
import type { StaffAuth } from "../../auth/staff-session";
import type { RequestMeta } from "../../lib/actor";
import { isId, newId } from "../../lib/ids";
import type { BaseUrl } from "../account/accounts";
import { getEmailPreferences, type EmailPreferenceValues } from "../account/email-preferences";
import { type EraseAccountDeps, eraseAccountNow, type EraseAccountResult } from "../ops/erase-account";
import { correctEmail } from "../ops/corrections";
import { staffAuditInsert } from "./staff-audit";
import { findUserByEmail } from "../account/accounts";

/** A request waits this long for a second admin; after that it must be asked again. */
export const ACCOUNT_ACTION_MS = 24 * 60 * 60 * 1000;

/** The account's id for an exact address (already trimmed and lower-cased), or null. */
export async function findAccountId(db: Database, email: string): Promise<string | null> {
  return (await findUserByEmail(db, email))?.id ?? null;
}

export interface AccountSummary {
  id: string;
  email: string;
  name: string | null;
  verified: boolean;
  createdAt: number;
  workspaces: { name: string; role: Role; closed: boolean }[];
  preferences: EmailPreferenceValues;
  pendingErasure: PendingOnAccount | null;
  pendingEmailCorrection: (PendingOnAccount & { newEmail: string }) | null;
}

interface PendingOnAccount {
  id: string;
  staffName: string;
  reason: string;
  createdAt: number;
}

/** What the console shows of an account: who it is, its workspaces by name and role, its mail lists. */
export async function accountSummary(db: Database, userId: string, now: number): Promise<AccountSummary | null> {
  if (!isId(userId)) return null;
  const [[user], workspaces, pending] = await db.batch([
    db.select().from(users).where(eq(users.id, userId)).limit(1),
    db
      .select({ name: tenants.name, role: memberships.role, closedAt: tenants.closedAt })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(memberships.createdAt),
    db
      .select()
      .from(accountActions)
      .where(pendingFor(now, eq(accountActions.targetUserId, userId)))
      .orderBy(desc(accountActions.createdAt))
      .limit(10),
  ]);
  if (!user) return null;
  const { updatedAt: _, ...preferences } = await getEmailPreferences(db, userId);
  const erase = pending.find((r) => r.kind === "erase");
  const correction = pending.find((r) => r.kind === "correct_email");
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    verified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt,
    workspaces: workspaces.map((w) => ({ name: w.name, role: w.role, closed: w.closedAt !== null })),
    preferences,
    pendingErasure: erase ? asPending(erase) : null,
    pendingEmailCorrection: correction?.newEmail ? { ...asPending(correction), newEmail: correction.newEmail } : null,
  };
}

const asPending = (row: typeof accountActions.$inferSelect): PendingOnAccount => ({
  id: row.id,
  staffName: row.staffName,
  reason: row.reason,
  createdAt: row.createdAt,
});

/** Requests not yet approved and less than a day old (the only ones that can still run). */
export const pendingFor = (now: number, ...more: SQL[]) =>
  and(isNull(accountActions.approvedAt), gt(accountActions.createdAt, now - ACCOUNT_ACTION_MS), ...more);

/** Drops requests past their day, which can no longer run (the new address of a correction goes with them). */
const dropExpired = (db: Database, now: number) =>
  db.delete(accountActions).where(lt(accountActions.createdAt, now - ACCOUNT_ACTION_MS));

export interface StaffReason {
  reason: string;
  ticket: string | null;
}

/**
 * An admin asks to erase the account: nothing happens until a second admin approves. Written to the
 * console's trail (no workspace) about the user, so it is in the account's data export; requests past
 * their day are dropped here.
 */
export async function requestErasure(
  db: Database,
  who: StaffAuth,
  userId: string,
  input: StaffReason,
  meta: RequestMeta,
): Promise<{ ok: true; id: string } | { ok: false; reason: "not_found" | "already_asked" }> {
  const summary = await accountSummary(db, userId, meta.now);
  if (!summary) return { ok: false, reason: "not_found" };
  if (summary.pendingErasure) return { ok: false, reason: "already_asked" };
  return { ok: true, id: await recordRequest(db, who, { kind: "erase", userId, email: summary.email }, input, meta) };
}

/**
 * Writes a request for a second admin (requests past their day dropped first) and its entry in the console's
 * trail about the user, so it is in the account's data export. Returns the request's id.
 */
export async function recordRequest(
  db: Database,
  who: StaffAuth,
  target: { kind: "erase" | "correct_email"; userId: string; email: string; newEmail?: string },
  input: StaffReason,
  meta: RequestMeta,
): Promise<string> {
  const id = newId();
  await db.batch([
    dropExpired(db, meta.now),
    db.insert(accountActions).values({
      id,
      kind: target.kind,
      targetUserId: target.userId,
      staffId: who.id,
      staffName: who.name,
      reason: input.reason,
      ticket: input.ticket,
      newEmail: target.newEmail ?? null,
      createdAt: meta.now,
    }),
    staffAuditInsert(db, {
      staffId: who.id,
      staffName: who.name,
      action: target.kind === "erase" ? "support.account_erase_requested" : "support.email_correction_requested",
      targetType: "user",
      targetId: target.userId,
      targetLabel: target.email,
      detail: { reason: input.reason, ...(input.ticket ? { ticket: input.ticket } : {}) },
      ...meta,
    }),
  ]);
  return id;
}

/** Requests waiting for a second admin, of every kind (the console's queue), with the account's address. */
export function pendingAccountActions(db: Database, now: number) {
  return db
    .select({
      id: accountActions.id,
      kind: accountActions.kind,
      email: users.email,
      newEmail: accountActions.newEmail,
      staffId: accountActions.staffId,
      staffName: accountActions.staffName,
      reason: accountActions.reason,
      ticket: accountActions.ticket,
      createdAt: accountActions.createdAt,
    })
    .from(accountActions)
    .innerJoin(users, eq(users.id, accountActions.targetUserId))
    .where(pendingFor(now))
    .orderBy(desc(accountActions.createdAt))
    .limit(50);
}

export type EraseDeps = EraseAccountDeps;

export type AccountActionApproval =
  | ({ kind: "erase" } & Extract<EraseAccountResult, { ok: true }>)
  | { kind: "correct_email"; ok: true; userId: string; newEmail: string; mailIds: string[] }
  | {
      ok: false;
      reason: "not_found" | "same_person" | "stripe_unavailable" | "email_taken" | "same_address";
    };

/**
 * A second admin approves a request: it runs now, recorded with the approver as actor and the asker
 * (asked_by) and their reason, as /ops would run it. Claimed first, so two approvals cannot both run it;
 * released again when it could not run for now (Stripe unreachable, an error).
 */
export async function approveAccountAction(
  deps: EraseDeps,
  approver: StaffAuth,
  id: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<AccountActionApproval> {
  const { db } = deps;
  const [request] = await db
    .select({ action: accountActions, email: users.email })
    .from(accountActions)
    .innerJoin(users, eq(users.id, accountActions.targetUserId))
    .where(pendingFor(meta.now, eq(accountActions.id, id)))
    .limit(1);
  if (!request) return { ok: false, reason: "not_found" };
  // The two-person rule: whoever asked cannot also approve.
  if (request.action.staffId === approver.id) return { ok: false, reason: "same_person" };
  const claimed = await db
    .update(accountActions)
    .set({ approvedByStaffId: approver.id, approvedAt: meta.now })
    .where(and(eq(accountActions.id, id), isNull(accountActions.approvedAt)))
    .returning({ id: accountActions.id });
  if (!claimed.length) return { ok: false, reason: "not_found" };
  const release = () =>
    db.update(accountActions).set({ approvedByStaffId: null, approvedAt: null }).where(eq(accountActions.id, id));
  const { action } = request;
  const by = {
    staff: { staff: approver, reason: action.reason, ticket: action.ticket, askedBy: action.staffName },
  };
  try {
    if (action.kind === "correct_email") {
      const newEmail = action.newEmail ?? "";
      const result = await correctEmail(db, request.email, newEmail, by, meta);
      // Done, or no longer possible (the address was taken or became the account's since): either way it goes.
      if (result.ok || result.reason !== "not_found") await db.delete(accountActions).where(eq(accountActions.id, id));
      if (!result.ok) return { ok: false, reason: result.reason };
      return { kind: "correct_email", ok: true, userId: result.userId, newEmail, mailIds: result.mailIds };
    }
    const result = await eraseAccountNow(deps, request.email, by, meta);
    if (!result.ok) {
      await release();
      return { ok: false, reason: result.reason === "not_found" ? "not_found" : "stripe_unavailable" };
    }
    return { kind: "erase", ...result };
  } catch (err) {
    await release();
    throw err;
  }
}
