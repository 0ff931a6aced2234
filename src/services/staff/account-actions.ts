/**
 * The console's side of the request-driven account actions: finding one account by its exact address
 * (no list), what staff see of it (its workspaces by name and role, never their records), and erasure
 * under the two-person rule: one admin asks with a written reason, another approves, and only then
 * does it run (the same erasure as /ops/accounts/erase, recorded in the surviving workspaces' trails).
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
import { staffAuditInsert } from "./staff-audit";
import { findUserByEmail } from "../account/accounts";

/** An erasure request waits this long for a second admin; after that it must be asked again. */
export const ERASE_REQUEST_MS = 24 * 60 * 60 * 1000;

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
  pendingErasure: { id: string; staffName: string; reason: string; createdAt: number } | null;
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
      .limit(1),
  ]);
  if (!user) return null;
  const { updatedAt: _, ...preferences } = await getEmailPreferences(db, userId);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    verified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt,
    workspaces: workspaces.map((w) => ({ name: w.name, role: w.role, closed: w.closedAt !== null })),
    preferences,
    pendingErasure: pending[0]
      ? {
          id: pending[0].id,
          staffName: pending[0].staffName,
          reason: pending[0].reason,
          createdAt: pending[0].createdAt,
        }
      : null,
  };
}

const pendingFor = (now: number, ...more: SQL[]) =>
  and(isNull(accountActions.approvedAt), gt(accountActions.createdAt, now - ERASE_REQUEST_MS), ...more);

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
  const id = newId();
  await db.batch([
    db.delete(accountActions).where(lt(accountActions.createdAt, meta.now - ERASE_REQUEST_MS)),
    db.insert(accountActions).values({
      id,
      kind: "erase",
      targetUserId: userId,
      staffId: who.id,
      staffName: who.name,
      reason: input.reason,
      ticket: input.ticket,
      createdAt: meta.now,
    }),
    staffAuditInsert(db, {
      staffId: who.id,
      staffName: who.name,
      action: "support.account_erase_requested",
      targetType: "user",
      targetId: userId,
      targetLabel: summary.email,
      detail: { reason: input.reason, ...(input.ticket ? { ticket: input.ticket } : {}) },
      ...meta,
    }),
  ]);
  return { ok: true, id };
}

/** Erasure requests waiting for a second admin (the console's queue), with the account's address. */
export function pendingErasures(db: Database, now: number) {
  return db
    .select({
      id: accountActions.id,
      email: users.email,
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

export type ErasureApproval =
  | Extract<EraseAccountResult, { ok: true }>
  | { ok: false; reason: "not_found" | "same_person" | "stripe_unavailable" };

/**
 * A second admin approves: the erasure runs now, as /ops/accounts/erase does, recorded with the approver
 * as actor and the asker's reason in the trails of the workspaces that survive. Claimed first, so two
 * approvals cannot both run it; released again when it could not run (Stripe unreachable, an error).
 */
export async function approveErasure(
  deps: EraseDeps,
  approver: StaffAuth,
  id: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ErasureApproval> {
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
  let result: EraseAccountResult;
  try {
    result = await eraseAccountNow(
      deps,
      request.email,
      {
        staff: {
          staff: approver,
          reason: request.action.reason,
          ticket: request.action.ticket,
          askedBy: request.action.staffName,
        },
      },
      meta,
    );
  } catch (err) {
    await release();
    throw err;
  }
  if (!result.ok) {
    await release();
    return { ok: false, reason: result.reason === "not_found" ? "not_found" : "stripe_unavailable" };
  }
  return result;
}
