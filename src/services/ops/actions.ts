/**
 * What an operator may do for a verified request (npm run ops → /ops/*), and nothing more: erase an
 * account now, export an account's data, correct an account's email address. There is no way to
 * look a workspace up or list its records. Every action is written to the audit trail with no actor
 * and the operator's name and reason in its detail.
 */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database } from "../../db/client";
import {
  auditLog,
  consentRecords,
  emailOutbox,
  emailPreferences,
  memberships,
  sessions,
  supportMessages,
  tenants,
  users,
} from "../../db/schema";
import { newAuthToken, retireTokens } from "../../auth/tokens";
import { emailChangedNoticeMail, verifyEmailMail } from "../../mail/messages";
import { formerAddresses, userDeletionQueries, userErasureStatements } from "../account/deletion";
import { findUserByEmail, isEmailTaken, type BaseUrl, type RequestMeta } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { closeWorkspace } from "../privacy/closure";
import { eraseTenant, runBatch, type Budget, type ErasureProgress } from "../privacy/erasure";
import {
  companiesJson,
  contactsJson,
  isoTime,
  NO_COMPANY_FILTERS,
  NO_CONTACT_FILTERS,
  notesJson,
} from "../export/records";
import { getEmailPreferences, type EmailPreferenceValues } from "../account/email-preferences";
import { queueMail } from "../mail/outbox";

/** Who acts and why; both are required and both go into the audit entry. */
export interface OperatorNote {
  operator: string;
  reason: string;
}

/** Statements an erase-account request spends on erasing workspaces before leaving the rest to the retention job. */
export const OPS_ERASURE_STATEMENTS = 600;

export type EraseAccountResult =
  | { ok: true; workspacesErased: number; complete: boolean; erasures: ErasureProgress[] }
  | { ok: false; reason: "not_found" | "stripe_unavailable" };

/**
 * Erases an account at once (a deletion request, or a minor's data): every workspace the user owns is
 * closed without a grace period (its Stripe customer deleted) and erased as far as this request's
 * budget allows (the retention job finishes it within minutes); then the user's own data goes.
 * Workspaces where they are only a member keep what they wrote, as "former member".
 */
export async function eraseAccountNow(
  deps: { db: Database; files: R2Bucket; stripe: Stripe | null; chunk: number; ledgerYears: number },
  email: string,
  note: OperatorNote,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<EraseAccountResult> {
  const { db } = deps;
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: false, reason: "not_found" };
  const rows = await db
    .select({ tenantId: memberships.tenantId, role: memberships.role, closedAt: tenants.closedAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id));
  const owned = rows.filter((r) => r.role === "owner").map((r) => r.tenantId);
  const left = rows.filter((r) => r.role !== "owner" && r.closedAt === null).map((r) => r.tenantId);

  for (const tenantId of owned) {
    const closed = await closeWorkspace(
      db,
      deps.stripe,
      {
        tenantId,
        closedBy: "operator",
        actorUserId: null,
        graceDays: 0,
        eraseNow: true,
        auditDetail: { operator: note.operator, reason: note.reason },
      },
      meta,
    );
    if (!closed.ok && closed.reason === "stripe_unavailable") return { ok: false, reason: "stripe_unavailable" };
  }

  const budget: Budget = { left: OPS_ERASURE_STATEMENTS };
  const formerEmails = await formerAddresses(db, user.id);
  await db.batch([
    ...userDeletionQueries(db, { id: user.id, email: user.email, formerEmails }, left, meta.now),
    // Recorded without the address or the user's id: the entry must not keep what it erased.
    auditInsert(db, {
      tenantId: null,
      actorUserId: null,
      action: "ops.account_erased",
      targetType: "account",
      detail: { operator: note.operator, reason: note.reason, workspaces_erased: owned.length },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  // What deleting the users row does not reach: account mail, support messages, rate-limit counters.
  await runBatch(db, budget, userErasureStatements([{ id: user.id, email: user.email, formerEmails }]));

  const erasures: ErasureProgress[] = [];
  for (const tenantId of owned) {
    if (budget.left < 10) break;
    erasures.push(
      await eraseTenant(
        { db, files: deps.files, now: meta.now, chunk: deps.chunk, ledgerYears: deps.ledgerYears, budget },
        tenantId,
      ),
    );
  }
  const complete = erasures.length === owned.length && erasures.every((e) => e.done);
  return { ok: true, workspacesErased: owned.length, complete, erasures };
}

export type CorrectEmailResult =
  | { ok: true; userId: string; mailIds: string[] }
  | { ok: false; reason: "not_found" | "email_taken" | "same_address" };

/**
 * Corrects an account's address on a verified request. The new address must be confirmed again
 * (a verification link goes to it), and the old one is told, as with a change the user makes.
 */
export async function correctEmail(
  db: Database,
  oldEmail: string,
  newEmail: string,
  note: OperatorNote,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CorrectEmailResult> {
  if (oldEmail === newEmail) return { ok: false, reason: "same_address" };
  const user = await findUserByEmail(db, oldEmail);
  if (!user) return { ok: false, reason: "not_found" };
  if (await findUserByEmail(db, newEmail)) return { ok: false, reason: "email_taken" };
  const verification = newAuthToken(db, { kind: "verify_email", userId: user.id, email: newEmail, now: meta.now });
  const confirm = queueMail(
    db,
    {
      to: newEmail,
      tenantId: null,
      userId: user.id,
      ...verifyEmailMail(`${meta.baseUrl}/verify-email/${verification.token}`),
    },
    meta.now,
  );
  const notice = queueMail(
    db,
    { to: oldEmail, tenantId: null, userId: user.id, ...emailChangedNoticeMail(newEmail, true) },
    meta.now,
  );
  try {
    await db.batch([
      db
        .update(users)
        .set({ email: newEmail, emailVerifiedAt: null, updatedAt: meta.now })
        .where(eq(users.id, user.id)),
      // Links sent to the old address no longer work.
      retireTokens(db, user.id, "verify_email", meta.now),
      retireTokens(db, user.id, "change_email", meta.now),
      retireTokens(db, user.id, "password_reset", meta.now),
      verification.query,
      confirm.query,
      notice.query,
      auditInsert(db, {
        tenantId: null,
        actorUserId: null,
        action: "ops.email_corrected",
        targetType: "user",
        targetId: user.id,
        detail: { operator: note.operator, reason: note.reason },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
    ]);
  } catch (err) {
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    throw err;
  }
  return { ok: true, userId: user.id, mailIds: [confirm.id, notice.id] };
}

export interface EraseContactMessagesResult {
  messages: number;
  mail: number;
}

/**
 * Erases what someone who wrote through /contact left, account or not: their messages, the
 * acknowledgements and any other mail to their address, and our support inbox's copies of their
 * messages (which quote the address). Audited without the address; the counts say what went.
 */
export async function eraseContactMessages(
  db: Database,
  email: string,
  note: OperatorNote,
  meta: RequestMeta,
): Promise<EraseContactMessagesResult> {
  const [messages, toThem, copies] = await db.batch([
    db.delete(supportMessages).where(eq(supportMessages.email, email)).returning({ id: supportMessages.id }),
    db.delete(emailOutbox).where(eq(emailOutbox.toAddress, email)).returning({ id: emailOutbox.id }),
    db
      .delete(emailOutbox)
      .where(
        and(
          isNull(emailOutbox.tenantId),
          eq(emailOutbox.kind, "support_message"),
          sql`instr(${emailOutbox.textBody}, ${email}) > 0`,
        ),
      )
      .returning({ id: emailOutbox.id }),
  ]);
  const result = { messages: messages.length, mail: toThem.length + copies.length };
  await auditInsert(db, {
    tenantId: null,
    actorUserId: null,
    action: "ops.contact_messages_erased",
    targetType: "contact_messages",
    detail: { operator: note.operator, reason: note.reason, messages: result.messages, mail: result.mail },
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return result;
}

export type SetPreferencesResult =
  | { ok: true; preferences: EmailPreferenceValues }
  | { ok: false; reason: "not_found" };

/**
 * Sets an account's email preferences for someone who asked by mail ("or by contacting us"): either
 * list on or off, the other kept as it is. Audited with the operator, the reason and the new values.
 */
export async function setPreferencesFor(
  db: Database,
  email: string,
  change: Partial<EmailPreferenceValues>,
  note: OperatorNote,
  meta: RequestMeta,
): Promise<SetPreferencesResult> {
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: false, reason: "not_found" };
  const current = await getEmailPreferences(db, user.id);
  const preferences = { digest: change.digest ?? current.digest, news: change.news ?? current.news };
  await db.batch([
    db
      .insert(emailPreferences)
      .values({ userId: user.id, ...preferences, updatedAt: meta.now })
      .onConflictDoUpdate({ target: emailPreferences.userId, set: { ...preferences, updatedAt: meta.now } }),
    auditInsert(db, {
      tenantId: null,
      actorUserId: null,
      action: "ops.email_preferences_set",
      targetType: "user",
      targetId: user.id,
      detail: { operator: note.operator, reason: note.reason, ...preferences },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, preferences };
}

/** The format id of an account export. */
export const ACCOUNT_EXPORT_FORMAT = "customertrackr.account-export/1";
/** Audit entries per workspace an account export includes (the newest). */
const AUDIT_ENTRIES_PER_WORKSPACE = 1000;

const ms = (v: number | null) => (v === null ? null : isoTime(v));

/**
 * Records the export in the audit trail and returns the account's data as one JSON document, in
 * chunks: the account, its memberships, sessions, consent choices, email preferences, audit
 * entries by or about the user, their messages to support, and, for each workspace they own, its
 * contacts, companies and notes through the export serializers (src/services/export/records.ts).
 * Null when there is no such account.
 */
export async function exportAccount(
  db: Database,
  email: string,
  note: OperatorNote,
  meta: RequestMeta,
): Promise<AsyncGenerator<string> | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const workspaces = await db
    .select({ id: tenants.id, name: tenants.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id))
    .orderBy(memberships.createdAt);
  await auditInsert(db, {
    tenantId: null,
    actorUserId: null,
    action: "ops.account_exported",
    targetType: "user",
    targetId: user.id,
    detail: {
      operator: note.operator,
      reason: note.reason,
      workspaces_included: workspaces.filter((w) => w.role === "owner").length,
    },
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return accountDocument(db, user, workspaces, meta.now);
}

async function* accountDocument(
  db: Database,
  user: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>,
  workspaces: { id: string; name: string; role: string; joinedAt: number }[],
  now: number,
): AsyncGenerator<string> {
  const tenantIds = workspaces.map((w) => w.id);
  const [userSessions, consents, preferences, support, audit] = await db.batch([
    db
      .select({
        createdAt: sessions.createdAt,
        lastActiveAt: sessions.lastActiveAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
        workspaceId: sessions.tenantId,
      })
      .from(sessions)
      .where(eq(sessions.userId, user.id)),
    db.select().from(consentRecords).where(eq(consentRecords.userId, user.id)).orderBy(consentRecords.id),
    db.select().from(emailPreferences).where(eq(emailPreferences.userId, user.id)).limit(1),
    db.select().from(supportMessages).where(eq(supportMessages.email, user.email)).orderBy(supportMessages.createdAt),
    db
      .select()
      .from(auditLog)
      .where(
        or(
          tenantIds.length
            ? and(
                inArray(auditLog.tenantId, tenantIds),
                or(
                  eq(auditLog.actorUserId, user.id),
                  and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, user.id)),
                ),
              )
            : sql`0`,
          and(isNull(auditLog.tenantId), eq(auditLog.targetType, "user"), eq(auditLog.targetId, user.id)),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(AUDIT_ENTRIES_PER_WORKSPACE * Math.max(1, tenantIds.length)),
  ]);
  const head = {
    format: ACCOUNT_EXPORT_FORMAT,
    exported_at: isoTime(now),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      email_verified_at: ms(user.emailVerifiedAt),
      age_confirmed_at: ms(user.ageConfirmedAt),
      terms_accepted_at: ms(user.termsAcceptedAt),
      privacy_notice_seen: user.privacySeenVersion,
      created_at: ms(user.createdAt),
      updated_at: ms(user.updatedAt),
    },
    memberships: workspaces.map((w) => ({
      workspace_id: w.id,
      workspace: w.name,
      role: w.role,
      joined_at: ms(w.joinedAt),
    })),
    sessions: userSessions.map((s) => ({
      workspace_id: s.workspaceId,
      created_at: ms(s.createdAt),
      last_active_at: ms(s.lastActiveAt),
      ip: s.ip,
      user_agent: s.userAgent,
    })),
    consent_records: consents.map((c) => ({
      consent_id: c.consentId,
      analytics: c.analytics,
      policy_version: c.policyVersion,
      created_at: ms(c.createdAt),
    })),
    email_preferences: preferences[0]
      ? { digest: preferences[0].digest, news: preferences[0].news, updated_at: ms(preferences[0].updatedAt) }
      : null,
    audit_entries: audit.map((a) => ({
      workspace_id: a.tenantId,
      action: a.action,
      by_this_user: a.actorUserId === user.id,
      target_type: a.targetType,
      target_label: a.targetLabel,
      detail: a.detail ? (JSON.parse(a.detail) as unknown) : null,
      ip: a.ip,
      user_agent: a.userAgent,
      created_at: ms(a.createdAt),
    })),
    support_messages: support.map((m) => ({
      name: m.name,
      email: m.email,
      message: m.message,
      created_at: ms(m.createdAt),
    })),
  };
  // The head without its closing brace, then the owned workspaces' records, streamed page by page.
  yield `${JSON.stringify(head).slice(0, -1)},"owned_workspaces":[`;
  let first = true;
  for (const w of workspaces.filter((x) => x.role === "owner")) {
    yield `${first ? "" : ","}\n{"id":${JSON.stringify(w.id)},"name":${JSON.stringify(w.name)},"contacts":`;
    first = false;
    yield* contactsJson(db, w.id, NO_CONTACT_FILTERS, now);
    yield `,"companies":`;
    yield* companiesJson(db, w.id, NO_COMPANY_FILTERS, now);
    yield `,"notes":`;
    yield* notesJson(db, w.id, now);
    yield "}";
  }
  yield "\n]}\n";
}
