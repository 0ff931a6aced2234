/**
 * An account's data as one JSON document, for a verified access request: the account, its
 * memberships, sessions, consent choices, email preferences, audit entries by or about the user,
 * their messages to support, and the records of each workspace they own.
 */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  auditLog,
  consentRecords,
  emailPreferences,
  memberships,
  sessions,
  supportMessages,
  tenants,
} from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { findUserByEmail } from "../account/accounts";
import { MAIL_LISTS } from "../account/email-preferences";
import { calendarFeedsOfUser } from "../calendar/feed-secrets";
import { companiesJson, contactsJson, isoTime, notesJson } from "../export/serialise";
import { NO_COMPANY_FILTERS, NO_CONTACT_FILTERS } from "../export/columns";
import { dealsJson } from "../export/deals";
import { supportExportSeen } from "../support-access/support-view";
import { type AccountActor, accountActionAudit } from "./operator";

/** The format id of an account export. */
export const ACCOUNT_EXPORT_FORMAT = "customertrackr.account-export/1";
/** Audit entries per workspace an account export includes (the newest). */
const AUDIT_ENTRIES_PER_WORKSPACE = 1000;

/** Said in place of an owned workspace's records when support has no grant to see them. */
const RECORDS_NOT_INCLUDED =
  "The workspace's records are not included: support sees them only while its owner or an admin gives access " +
  "(Settings → Support access). The owner can download them at any time from the Export page (/app/export).";

const ms = (v: number | null) => (v === null ? null : isoTime(v));

/**
 * Audit targets about the account itself, its membership and its workspace's plan. Every other target (records,
 * settings such as tags, fields and pipelines, webhooks, imports, exports, pages support viewed) names the
 * workspace's content in its label and detail.
 */
const ACCOUNT_TARGETS = new Set([
  "user",
  "account",
  "session",
  "staff",
  "support_grant",
  "tenant",
  "workspace",
  "invitation",
  "api_key",
  "calendar_feed",
  "data_export",
  "contact_messages",
  "stripe_customer",
  "stripe_subscription",
  "stripe_checkout_session",
]);

/**
 * Records the export in the audit trail and returns the account's data as one JSON document, in
 * chunks: the account, its memberships, sessions, consent choices, email preferences, audit
 * entries by or about the user, their messages to support, and, for each workspace they own, its
 * contacts, companies, deals and notes through the export serializers (src/services/export/serialise.ts).
 * Null when there is no such account.
 */
export async function exportAccount(
  db: Database,
  email: string,
  by: AccountActor,
  meta: RequestMeta,
  recordsOf: RecordsOf,
): Promise<AsyncGenerator<string> | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const listed = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      closedAt: tenants.closedAt,
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, user.id))
    .orderBy(memberships.createdAt);
  const workspaces = await Promise.all(
    listed.map(async (w) => {
      const source = w.role === "owner" ? await recordsOf(w.id, { closed: w.closedAt !== null }) : null;
      return { ...w, ...recordsAndGrant(source) };
    }),
  );
  const audit = accountActionAudit(
    db,
    by,
    meta,
    workspaces.map((w) => w.id),
    {
      opsAction: "ops.account_exported",
      staffAction: "support.account_exported",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      detail: { workspaces_included: workspaces.filter((w) => w.records).length },
    },
  );
  // Records taken under a support grant are listed under it in the workspace's "What support saw", as a page is.
  const seen =
    "staff" in by
      ? workspaces.flatMap((w) => (w.grantId ? [supportExportSeen(db, w.id, by.staff.staff, w.grantId, meta)] : []))
      : [];
  await db.batch([...audit, ...seen]);
  // Support sees a workspace's content only under a usable grant (records included); the operator answers the
  // person's own access request, which keeps what their self-serve archive holds (src/services/account/profile.ts).
  const contentShown = "staff" in by ? new Set(workspaces.filter((w) => w.records).map((w) => w.id)) : null;
  return accountExportDocument(db, user, workspaces, meta.now, contentShown);
}

/**
 * Where an owned workspace's records are read for the export, or null when they are not to be included. Staff read
 * them under a support grant (its id given, so the export is recorded under it); the operator reads every owned one.
 */
export type RecordsOf = (
  tenantId: string,
  workspace: { closed: boolean },
) => Promise<Database | { db: Database; grantId: string } | null>;

function recordsAndGrant(source: Awaited<ReturnType<RecordsOf>>): { records: Database | null; grantId: string | null } {
  if (!source) return { records: null, grantId: null };
  return "grantId" in source ? { records: source.db, grantId: source.grantId } : { records: source, grantId: null };
}

/** Whether an audit entry's label and detail name content of a workspace this export may not show. */
function hidesContent(a: { tenantId: string | null; targetType: string | null }, shown: Set<string> | null): boolean {
  if (!shown || a.tenantId === null || shown.has(a.tenantId)) return false;
  return a.targetType !== null && !ACCOUNT_TARGETS.has(a.targetType);
}

/** The document in chunks: the account's own data, then each owned workspace's records page by page. */
async function* accountExportDocument(
  db: Database,
  user: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>,
  workspaces: { id: string; name: string; role: string; joinedAt: number; records: Database | null }[],
  now: number,
  /** The workspaces whose content the audit entries may name; null: every one. */
  contentShown: Set<string> | null,
): AsyncGenerator<string> {
  const tenantIds = workspaces.map((w) => w.id);
  const [userSessions, consents, preferences, support, audit, feed] = await db.batch([
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
    calendarFeedsOfUser(db, user.id),
  ]);
  const head = {
    format: ACCOUNT_EXPORT_FORMAT,
    exported_at: isoTime(now),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      time_zone: user.timeZone,
      locale: user.locale,
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
    // Which workspaces' private calendar feeds are on; never the hash of a secret.
    calendar_feeds: feed.map((f) => ({
      workspace_id: f.tenantId,
      turned_on_at: ms(f.createdAt),
      last_read_at: ms(f.lastReadAt),
    })),
    email_preferences: preferences[0]
      ? {
          ...Object.fromEntries(MAIL_LISTS.map((list) => [list, preferences[0]![list]])),
          updated_at: ms(preferences[0].updatedAt),
        }
      : null,
    audit_entries: audit.map((a) => {
      // The action and time always; what it was done to only where this export may show the workspace's content.
      const named = !hidesContent(a, contentShown);
      return {
        workspace_id: a.tenantId,
        action: a.action,
        by_this_user: a.actorUserId === user.id,
        target_type: a.targetType,
        target_label: named ? a.targetLabel : null,
        detail: named && a.detail ? (JSON.parse(a.detail) as unknown) : null,
        // Where someone else acted on them, that person's address and browser are not theirs to have (as the
        // self-serve archive's profile.ts keeps them only for the user's own actions).
        ip: a.actorUserId === user.id ? a.ip : null,
        user_agent: a.actorUserId === user.id ? a.userAgent : null,
        created_at: ms(a.createdAt),
      };
    }),
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
    const opening = `${first ? "" : ","}\n{"id":${JSON.stringify(w.id)},"name":${JSON.stringify(w.name)}`;
    first = false;
    const records = w.records;
    if (!records) {
      yield `${opening},"records_included":false,"records_note":${JSON.stringify(RECORDS_NOT_INCLUDED)}}`;
      continue;
    }
    yield `${opening},"records_included":true,"contacts":`;
    yield* contactsJson(records, w.id, NO_CONTACT_FILTERS, now);
    yield `,"companies":`;
    yield* companiesJson(records, w.id, NO_COMPANY_FILTERS, now);
    yield `,"deals":`;
    yield* dealsJson(records, w.id, now);
    yield `,"notes":`;
    yield* notesJson(records, w.id, now);
    yield "}";
  }
  yield "\n]}\n";
}
