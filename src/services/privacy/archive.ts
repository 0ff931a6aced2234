/**
 * "Download my data" (the right of access and portability; for Californians, the CCPA's right to
 * know): one ZIP in R2, built by a Queue consumer, downloadable by its requester for 24 hours.
 *
 *   POST /app/settings/privacy/export → requestDataExport: a data_exports row (queued), an audit
 *                                       entry, a "privacy.export" message
 *   privacy.export                    → runDataExport: the ZIP written into R2 as it is made
 *                                       (src/lib/zip-r2.ts), the row ready, an email with the link
 *   GET …/exports/:id                 → openDataExport: the requester only, until expires_at
 *   cron                              → purgeExpiredExports: ZIPs past their 24 hours deleted;
 *                                       the job watchdog re-sends a build that went silent
 *   POST …/exports/:id/cancel, /retry → cancelDataExport, retryDataExport
 *
 * The archive holds the account's data as JSON (the user, memberships, sessions, consent choices,
 * email preferences, contact-page messages, copies of the mail sent to them, audit entries about them)
 * and, when the requester is an owner or admin, the
 * workspace's contacts, companies and notes as JSON and CSV, written by the export serializers
 * (src/services/export/records.ts, docs/export-format.md), plus manifest.json describing every file.
 *
 * Bounds: memory holds one R2 part (5 MiB) and one page of records (1,000). The workspace part
 * costs 2 × ceil(records / 1,000) queries per kind (JSON and CSV each walk the records once) and
 * the account part a handful, so one build stays inside the 1,000 queries a Queue invocation may
 * make for workspaces of up to about 150,000 contacts, companies and notes each (Workers Paid).
 * A larger workspace's build fails and says so on the page; its admins can still download each list
 * at /app/export, which streams without that limit per request.
 */
import { and, desc, eq, gt, inArray, lt, lte, or } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import {
  consentRecords,
  dataExports,
  emailOutbox,
  memberships,
  sessions,
  supportMessages,
  tenants,
  users,
  type DataExport,
  type Role,
} from "../../db/schema";
import type { Bindings } from "../../env";
import { RETENTION } from "../../lib/legal";
import { redactPath } from "../../lib/request";
import { newId } from "../../lib/ids";
import { roleAtLeast } from "../../lib/roles";
import { R2ZipWriter } from "../../lib/zip-r2";
import { dataExportReadyMail } from "../../mail/messages";
import { senderFromEnv } from "../../mail/senders";
import type { BaseUrl, RequestMeta } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { getEmailPreferences } from "../account/email-preferences";
import { activityPages, recentViewRows } from "./archive-coverage";
import { exportChunks, isoTime, type ExportFormat, type ExportKind } from "../export/records";
import { deliverDue, queueMail } from "../mail/outbox";
import { auditAboutEntry, auditAboutUser } from "../account/profile";
import { describeDevice } from "../account/sessions";

export type DataExportMessage = {
  type: "privacy.export";
  exportId: string;
  tenantId: string;
  userId: string;
  baseUrl: string;
};

/** How long a download link works once the archive is ready (the privacy page states it). */
export const EXPORT_LINK_MS = RETENTION.exportArchiveHours * 3_600_000;
/** Requests per user and workspace per 24 hours: each one reads the whole workspace. */
export const EXPORT_REQUESTS_PER_DAY = 5;
/** A build writes its heartbeat (updated_at) at most this often: the watchdog waits two minutes of silence. */
const HEARTBEAT_MS = 20_000;
/** Rows of expired archives are kept this long (so an old link says "expired"), then deleted. */
const EXPORT_ROW_KEEP_MS = 30 * 86_400_000;

/** The manifest's format id; bumped only when a change would break a reader. */
export const DATA_EXPORT_FORMAT_ID = "customertrackr.data-export/1";
/** The format id of the account files. */
export const ACCOUNT_FORMAT_ID = "customertrackr.account/1";

export interface ExportRequester {
  userId: string;
  tenantId: string;
  role: Role;
}

export type RequestExportResult = { ok: true; id: string } | { ok: false; reason: "pending" | "limit" };

/** Starts a build for the requester; the workspace's records are included for owners and admins. */
export async function requestDataExport(
  db: Database,
  jobs: Queue<DataExportMessage>,
  who: ExportRequester,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<RequestExportResult> {
  const recent = await db
    .select({ status: dataExports.status, createdAt: dataExports.createdAt })
    .from(dataExports)
    .where(
      and(
        eq(dataExports.tenantId, who.tenantId),
        eq(dataExports.userId, who.userId),
        gt(dataExports.createdAt, meta.now - 86_400_000),
      ),
    );
  if (recent.some((r) => r.status === "queued")) return { ok: false, reason: "pending" };
  if (recent.length >= EXPORT_REQUESTS_PER_DAY) return { ok: false, reason: "limit" };
  const id = newId();
  const includesWorkspace = roleAtLeast(who.role, "admin");
  await db.batch([
    db.insert(dataExports).values({
      id,
      tenantId: who.tenantId,
      userId: who.userId,
      includesWorkspace,
      status: "queued",
      baseUrl: meta.baseUrl,
      createdAt: meta.now,
      updatedAt: meta.now,
    }),
    auditInsert(db, {
      tenantId: who.tenantId,
      actorUserId: who.userId,
      action: "privacy.export_requested",
      targetType: "user",
      targetId: who.userId,
      detail: { workspace_records: includesWorkspace },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  await enqueue(jobs, {
    type: "privacy.export",
    exportId: id,
    tenantId: who.tenantId,
    userId: who.userId,
    baseUrl: meta.baseUrl,
  });
  return { ok: true, id };
}

/** The message that builds an archive (the watchdog and Retry send it again); old rows lack their origin. */
export function dataExportMessage(
  row: Pick<DataExport, "id" | "tenantId" | "userId" | "baseUrl">,
  fallbackBaseUrl: string | undefined,
): DataExportMessage {
  return {
    type: "privacy.export",
    exportId: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    baseUrl: row.baseUrl ?? fallbackBaseUrl ?? "",
  };
}

/** Sends the build's message; a queue that refuses it leaves the row queued for the watchdog to send again. */
async function enqueue(jobs: Queue<DataExportMessage>, message: DataExportMessage): Promise<void> {
  try {
    await jobs.send(message);
  } catch (err) {
    console.error(
      JSON.stringify({
        type: "job_send_failed",
        job: message.type,
        id: message.exportId,
        error: String(err).slice(0, 300),
      }),
    );
  }
}

export type ExportActionResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" };

/** The requester's own row, or null: another user's or another workspace's id is not found. */
async function ownExport(db: Database, who: ExportRequester, id: string): Promise<DataExport | null> {
  if (!/^[a-z0-9]{1,40}$/.test(id)) return null;
  const [row] = await db
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.id, id), eq(dataExports.tenantId, who.tenantId), eq(dataExports.userId, who.userId)))
    .limit(1);
  return row ?? null;
}

/** Stops a build being prepared; a build still running sees it at its next heartbeat and discards its archive. */
export async function cancelDataExport(
  db: Database,
  who: ExportRequester,
  id: string,
  now: number,
): Promise<ExportActionResult> {
  if (!(await ownExport(db, who, id))) return { ok: false, reason: "not_found" };
  const [cancelled] = await db
    .update(dataExports)
    .set({ status: "cancelled", message: null, updatedAt: now })
    .where(
      and(
        eq(dataExports.id, id),
        eq(dataExports.tenantId, who.tenantId),
        eq(dataExports.userId, who.userId),
        eq(dataExports.status, "queued"),
      ),
    )
    .returning({ id: dataExports.id });
  return cancelled ? { ok: true } : { ok: false, reason: "conflict" };
}

/** Builds a failed request again (the same request: it does not count against the day's limit again). */
export async function retryDataExport(
  db: Database,
  jobs: Queue<DataExportMessage>,
  who: ExportRequester,
  id: string,
  fallbackBaseUrl: string,
  now: number,
): Promise<ExportActionResult> {
  const row = await ownExport(db, who, id);
  if (!row) return { ok: false, reason: "not_found" };
  const [retried] = await db
    .update(dataExports)
    .set({ status: "queued", message: null, watchdogAt: null, watchdogSeenAt: null, watchdogTries: 0, updatedAt: now })
    .where(
      and(
        eq(dataExports.id, id),
        eq(dataExports.tenantId, who.tenantId),
        eq(dataExports.userId, who.userId),
        eq(dataExports.status, "failed"),
      ),
    )
    .returning({ id: dataExports.id });
  if (!retried) return { ok: false, reason: "conflict" };
  await enqueue(jobs, dataExportMessage(row, fallbackBaseUrl));
  return { ok: true };
}

/** How a row looks to its requester now: a ready archive past its link's time has expired. */
export function exportState(row: Pick<DataExport, "status" | "expiresAt">, now: number): DataExport["status"] {
  if (row.status === "ready" && (row.expiresAt ?? 0) <= now) return "expired";
  return row.status;
}

/** The requester's recent exports in this workspace, newest first. */
export async function listDataExports(
  db: Database,
  tenantId: string,
  userId: string,
  limit = 10,
): Promise<DataExport[]> {
  return db
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.userId, userId)))
    .orderBy(desc(dataExports.createdAt))
    .limit(limit);
}

export type OpenExportResult =
  | { ok: true; row: DataExport; object: R2ObjectBody }
  | { ok: false; reason: "not_found" | "expired" | "not_ready" | "failed" | "role" };

/**
 * The archive, for its requester only: another user's or another workspace's id is not found. A
 * link past its 24 hours is refused (and its archive may already be gone). An archive holding the
 * workspace's records is refused to a requester who is no longer an owner or admin.
 */
export async function openDataExport(
  db: Database,
  files: R2Bucket,
  who: ExportRequester,
  id: string,
  now: number,
): Promise<OpenExportResult> {
  const row = await ownExport(db, who, id);
  if (!row) return { ok: false, reason: "not_found" };
  const state = exportState(row, now);
  if (state === "expired") return { ok: false, reason: "expired" };
  if (state === "failed" || state === "cancelled") return { ok: false, reason: "failed" };
  if (state !== "ready" || !row.objectKey) return { ok: false, reason: "not_ready" };
  if (row.includesWorkspace && !roleAtLeast(who.role, "admin")) return { ok: false, reason: "role" };
  const object = await files.get(row.objectKey);
  if (!object) return { ok: false, reason: "expired" };
  return { ok: true, row, object };
}

/** The audit entry of a download. */
export async function recordExportDownload(
  db: Database,
  who: ExportRequester,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await auditInsert(db, {
    tenantId: who.tenantId,
    actorUserId: who.userId,
    action: "privacy.export_downloaded",
    targetType: "data_export",
    targetId: id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
}

/** The archive's file name: no tenant or user text in it. */
export function dataExportFileName(readyAt: number): string {
  return `customertrackr-my-data-${isoTime(readyAt).slice(0, 10)}.zip`;
}

// ---- building the archive --------------------------------------------------------------------------

export interface ManifestFile {
  name: string;
  format: "json" | "csv";
  /** Records in the file (for CSV, rows after the header). */
  records: number;
  description: string;
}

/** Counts records as a file passes through: JSON exports write one record per line, CSV one per row. */
async function* counted(
  chunks: AsyncIterable<string>,
  format: ExportFormat,
  into: { records: number },
): AsyncGenerator<string> {
  let lines = 0;
  let inQuotes = false;
  for await (const chunk of chunks) {
    if (format === "json") {
      // The head has no line break and the tail "\n]}\n" two; every record starts on its own line.
      for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines += 1;
    } else {
      // RFC 4180: a line break inside quotes belongs to a value; outside, it ends a record.
      for (let i = 0; i < chunk.length; i += 1) {
        const ch = chunk.charCodeAt(i);
        if (ch === 34) inQuotes = !inQuotes;
        else if (ch === 10 && !inQuotes) lines += 1;
      }
    }
    yield chunk;
  }
  into.records = format === "json" ? Math.max(0, lines - 2) : Math.max(0, lines - 1);
}

/** One account document: the head, then records one per line (like the workspace exports). */
async function* accountDocument(
  kind: string,
  now: number,
  pages: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  into: { records: number },
): AsyncGenerator<string> {
  yield `{"format":${JSON.stringify(ACCOUNT_FORMAT_ID)},"kind":${JSON.stringify(kind)},"exported_at":${JSON.stringify(isoTime(now))},"records":[`;
  let n = 0;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield page.map((r, i) => (n + i === 0 ? "\n" : ",\n") + JSON.stringify(r)).join("");
    n += page.length;
  }
  into.records = n;
  yield "\n]}\n";
}

const time = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** Audit entries about the user in their workspaces, newest first, a page (one query) at a time. */
async function* auditPages(db: Database, tenantIds: string[], userId: string): AsyncGenerator<unknown[]> {
  let before: number | undefined;
  for (;;) {
    const rows = await auditAboutUser(db, tenantIds, userId, { before, limit: 1000 });
    yield rows.map((r) => {
      const e = auditAboutEntry(r, userId);
      return {
        id: e.id,
        workspace: e.workspace,
        action: e.action,
        description: e.description,
        by: e.by,
        target_type: e.targetType,
        target: e.target,
        detail: e.detail,
        ip: e.ip,
        user_agent: e.userAgent,
        created_at: isoTime(e.createdAt),
      };
    });
    if (rows.length < 1000) return;
    before = rows[rows.length - 1]!.id;
  }
}

const WORKSPACE_FILES: { kind: ExportKind; format: "json" | "csv"; description: string }[] = [
  {
    kind: "contacts",
    format: "json",
    description:
      "Every contact of the workspace with everything it carries: emails, phones, company, tags, owner, custom fields and notes (docs/export-format.md).",
  },
  {
    kind: "contacts",
    format: "csv",
    description: "Every contact, one row each, with a column per custom field; imports back into CustomerTrackr.",
  },
  {
    kind: "companies",
    format: "json",
    description: "Every company of the workspace with its tags, owner, custom fields and notes.",
  },
  {
    kind: "companies",
    format: "csv",
    description: "Every company, one row each, with a column per custom field; imports back into CustomerTrackr.",
  },
  {
    kind: "notes",
    format: "json",
    description: "Every note of the workspace, with the record it belongs to and its author.",
  },
  { kind: "notes", format: "csv", description: "Every note, one row each (for reading; notes are not imported)." },
];

/** Copies of mail in one archive at most (the mail period keeps far fewer). */
const MAIL_COPIES_LIMIT = 1000;

/** A mail's text with the token of every emailed link replaced, as the request log does: an archive is not a key. */
function withoutTokens(text: string): string {
  return text.replace(/https?:\/\/[^\s"<>]+/g, (link) => {
    try {
      const url = new URL(link);
      const path = redactPath(url.pathname);
      return path === url.pathname && !url.search ? link : `${url.origin}${path}`;
    } catch {
      return link;
    }
  });
}

/** Writes the whole archive; returns its manifest's file list. Exported for the operators' export. */
export async function writeDataExport(
  db: Database,
  zip: R2ZipWriter,
  who: { userId: string; tenantId: string; includesWorkspace: boolean },
  now: number,
): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const [[user], memberRows, sessionRows, consentRows, prefs, [tenant]] = await Promise.all([
    db.select().from(users).where(eq(users.id, who.userId)).limit(1),
    db
      .select({
        tenantId: memberships.tenantId,
        name: tenants.name,
        role: memberships.role,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, who.userId))
      .orderBy(memberships.createdAt),
    db
      .select({
        createdAt: sessions.createdAt,
        lastActiveAt: sessions.lastActiveAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
        workspace: tenants.name,
      })
      .from(sessions)
      .leftJoin(tenants, eq(tenants.id, sessions.tenantId))
      .where(eq(sessions.userId, who.userId))
      .orderBy(desc(sessions.lastActiveAt)),
    db.select().from(consentRecords).where(eq(consentRecords.userId, who.userId)).orderBy(desc(consentRecords.id)),
    getEmailPreferences(db, who.userId),
    db.select({ id: tenants.id, name: tenants.name }).from(tenants).where(eq(tenants.id, who.tenantId)).limit(1),
  ]);
  if (!user || !tenant) throw new Error("data export: the user or the workspace is gone");

  const add = async (name: string, description: string, doc: (into: { records: number }) => AsyncIterable<string>) => {
    const into = { records: 0 };
    await zip.addFile(name, doc(into));
    files.push({ name, format: name.endsWith(".csv") ? "csv" : "json", records: into.records, description });
  };

  await add(
    "account/user.json",
    "Your account: email address, name, when you signed up, confirmed your email address and your age, and accepted the terms. Never your password (we keep only a hash of it).",
    (into) =>
      accountDocument(
        "user",
        now,
        [
          [
            {
              id: user.id,
              email: user.email,
              name: user.name,
              email_verified_at: time(user.emailVerifiedAt),
              age_confirmed_at: time(user.ageConfirmedAt),
              terms_accepted_at: time(user.termsAcceptedAt),
              privacy_notice_seen: user.privacySeenVersion,
              created_at: time(user.createdAt),
              updated_at: time(user.updatedAt),
            },
          ],
        ],
        into,
      ),
  );
  await add("account/memberships.json", "The workspaces you belong to, your role in each, and since when.", (into) =>
    accountDocument(
      "memberships",
      now,
      [
        memberRows.map((m) => ({
          workspace_id: m.tenantId,
          workspace: m.name,
          role: m.role,
          since: isoTime(m.createdAt),
        })),
      ],
      into,
    ),
  );
  await add(
    "account/sessions.json",
    "Your sign-in sessions we hold: when each began and was last active, its IP address and browser. Never the session token.",
    (into) =>
      accountDocument(
        "sessions",
        now,
        [
          sessionRows.map((s) => ({
            workspace: s.workspace,
            created_at: isoTime(s.createdAt),
            last_active_at: isoTime(s.lastActiveAt),
            ip: s.ip,
            user_agent: s.userAgent,
            device: describeDevice(s.userAgent),
          })),
        ],
        into,
      ),
  );
  await add(
    "account/consent.json",
    "The analytics cookie choices you made while signed in, with the cookie-policy version each was made under.",
    (into) =>
      accountDocument(
        "consent",
        now,
        [
          consentRows.map((r) => ({
            analytics: r.analytics,
            policy_version: r.policyVersion,
            created_at: isoTime(r.createdAt),
          })),
        ],
        into,
      ),
  );
  await add(
    "account/email-preferences.json",
    "Your choice of non-essential email: the weekly activity digest and product news.",
    (into) =>
      accountDocument(
        "email_preferences",
        now,
        [[{ weekly_digest: prefs.digest, product_news: prefs.news, changed_at: time(prefs.updatedAt) }]],
        into,
      ),
  );
  const [messageRows, mailRows] = await db.batch([
    db.select().from(supportMessages).where(eq(supportMessages.email, user.email)).orderBy(supportMessages.createdAt),
    db
      .select()
      .from(emailOutbox)
      .where(or(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.userId, user.id)))
      .orderBy(emailOutbox.createdAt)
      .limit(MAIL_COPIES_LIMIT),
  ]);
  await add(
    "account/contact-messages.json",
    `The messages you sent us through the contact page from your account's address (kept ${RETENTION.supportMessageDays} days).`,
    (into) =>
      accountDocument(
        "contact_messages",
        now,
        [
          messageRows.map((m) => ({
            name: m.name,
            email: m.email,
            message: m.message,
            created_at: isoTime(m.createdAt),
          })),
        ],
        into,
      ),
  );
  await add(
    "account/emails.json",
    `The copies we keep of the emails we sent you (kept ${RETENTION.mailBodyDays} days): address, kind, subject, status and dates, and the text while we still hold it. Links that carry a one-time token show :token instead.`,
    (into) =>
      accountDocument(
        "emails",
        now,
        [
          mailRows.map((m) => ({
            to: m.toAddress,
            kind: m.kind,
            essential: m.essential,
            subject: m.bodyClearedAt === null ? m.subject : null,
            text: m.bodyClearedAt === null ? withoutTokens(m.textBody) : null,
            status: m.status,
            created_at: isoTime(m.createdAt),
            sent_at: time(m.sentAt),
          })),
        ],
        into,
      ),
  );
  await add(
    "account/audit-log.json",
    "Audit-trail entries about you in your workspaces: what you did, and what was done to your account (failed sign-ins, role changes).",
    (into) =>
      accountDocument(
        "audit_log",
        now,
        auditPages(
          db,
          memberRows.map((m) => m.tenantId),
          who.userId,
        ),
        into,
      ),
  );
  const recent = await recentViewRows(db, who.userId);
  await add(
    "account/recently-viewed.json",
    "The records you opened lately in each workspace (the dashboard's shortcuts), by type and id.",
    (into) => accountDocument("recently_viewed", now, [recent], into),
  );

  if (who.includesWorkspace) {
    for (const f of WORKSPACE_FILES) {
      await add(`workspace/${f.kind}.${f.format}`, f.description, (into) =>
        counted(exportChunks(db, who.tenantId, f.kind, f.format, { now }), f.format, into),
      );
    }
    await add(
      "workspace/activity.json",
      "The timeline of every record: creations, each change with its values before and after, notes added, and who did it.",
      (into) => accountDocument("activity", now, activityPages(db, who.tenantId), into),
    );
  }

  const manifest = {
    format: DATA_EXPORT_FORMAT_ID,
    exported_at: isoTime(now),
    account: { id: user.id, email: user.email },
    workspace: { id: tenant.id, name: tenant.name },
    includes_workspace_records: who.includesWorkspace,
    files: [
      ...files,
      {
        name: "manifest.json",
        format: "json",
        records: files.length + 1,
        description: "This list of the archive's files.",
      },
    ],
  };
  await zip.addFile("manifest.json", [`${JSON.stringify(manifest, null, 2)}\n`]);
  return manifest.files as ManifestFile[];
}

/**
 * The R2 key of one build of an archive: each delivery of the message writes its own object, so two
 * deliveries running at once never write the same one; the one that marks the row ready keeps its own.
 */
export const exportObjectKey = (tenantId: string, userId: string, id: string, build: string) =>
  `exports/${tenantId}/${userId}/${id}-${build}.zip`;

class ExportStopped extends Error {}

/** The queue consumer's step: builds the archive, marks it ready and emails the link. Safe to run twice, or at once. */
export async function runDataExport(env: Bindings, message: DataExportMessage, now: number): Promise<void> {
  const db = createDb(env.DB);
  const [row] = await db
    .select()
    .from(dataExports)
    .where(
      and(
        eq(dataExports.id, message.exportId),
        eq(dataExports.tenantId, message.tenantId),
        eq(dataExports.userId, message.userId),
      ),
    )
    .limit(1);
  if (row?.status !== "queued") return;
  const key = exportObjectKey(row.tenantId, row.userId, row.id, newId().slice(0, 12));
  // The heartbeat: the watchdog sees the build alive, and the build sees a cancellation.
  let beatAt = Date.now();
  const heartbeat = async () => {
    if (Date.now() - beatAt < HEARTBEAT_MS) return;
    beatAt = Date.now();
    const [alive] = await db
      .update(dataExports)
      .set({ updatedAt: beatAt })
      .where(and(eq(dataExports.id, row.id), eq(dataExports.status, "queued")))
      .returning({ id: dataExports.id });
    if (!alive) throw new ExportStopped();
  };
  const zip = await R2ZipWriter.open(env.FILES, key, { mtime: now, onProgress: heartbeat });
  let size: number;
  try {
    await writeDataExport(db, zip, row, now);
    size = await zip.close();
  } catch (err) {
    await zip.abort();
    if (err instanceof ExportStopped) return; // cancelled, or finished by another delivery
    // The reason is shown once the watchdog gives up; the heartbeat is left alone, since this is no progress.
    await db
      .update(dataExports)
      .set({
        message:
          "The archive could not be built. Try again later; an administrator can also download each list from Export.",
      })
      .where(and(eq(dataExports.id, row.id), eq(dataExports.status, "queued")));
    throw err;
  }
  const readyAt = Date.now();
  const expiresAt = readyAt + EXPORT_LINK_MS;
  const [ready] = await db
    .update(dataExports)
    .set({ status: "ready", objectKey: key, size, message: null, readyAt, expiresAt, updatedAt: readyAt })
    .where(and(eq(dataExports.id, row.id), eq(dataExports.status, "queued")))
    .returning({ id: dataExports.id });
  if (!ready) {
    // Another delivery finished first (its archive is the one kept, and it sent the mail), or the user cancelled.
    await env.FILES.delete(key);
    return;
  }
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId)).limit(1);
  if (!user) return;
  const mail = queueMail(
    db,
    {
      to: user.email,
      tenantId: row.tenantId,
      userId: row.userId,
      ...dataExportReadyMail({
        link: `${message.baseUrl}/app/settings/privacy/exports/${row.id}`,
        expiresAt,
        includesWorkspace: row.includesWorkspace,
      }),
    },
    readyAt,
  );
  await mail.query;
  // The cron sweep retries whatever does not go out now.
  await deliverDue(db, senderFromEnv(env), readyAt, { ids: [mail.id] }).catch(() => undefined);
}

/** Objects under exports/ looked at per hourly sweep (ten list pages). */
const SWEEP_MAX_OBJECTS = 10_000;

/**
 * Deletes every archive in R2 older than the link's 24 hours, whatever became of its row: a user
 * who deleted their account or a workspace erased takes its data_exports rows with it (ON DELETE
 * CASCADE), but not its objects. Run hourly by purgeExpiredExports.
 */
export async function sweepExportObjects(files: R2Bucket, now: number): Promise<number> {
  let cursor: string | undefined;
  let seen = 0;
  let deleted = 0;
  do {
    const page = await files.list({ prefix: "exports/", cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.uploaded.getTime() <= now - EXPORT_LINK_MS).map((o) => o.key);
    if (old.length) await files.delete(old);
    deleted += old.length;
    seen += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor && seen < SWEEP_MAX_OBJECTS);
  return deleted;
}

/**
 * Deletes archives whose link has expired (the privacy page promises 24 hours) and forgets rows a
 * month old (a build that went silent is the job watchdog's); once an hour also sweeps R2 for archives whose
 * row is gone. Bounded per run; the cron runs it every minute.
 */
export async function purgeExpiredExports(db: Database, files: R2Bucket, now: number): Promise<number> {
  const swept = new Date(now).getUTCMinutes() === 0 ? await sweepExportObjects(files, now) : 0;
  const due = await db
    .select({ id: dataExports.id, objectKey: dataExports.objectKey })
    .from(dataExports)
    .where(and(eq(dataExports.status, "ready"), lte(dataExports.expiresAt, now)))
    .limit(100);
  const keys = due.map((d) => d.objectKey).filter((k): k is string => !!k);
  if (keys.length) await files.delete(keys);
  const forget = db.delete(dataExports).where(lt(dataExports.updatedAt, now - EXPORT_ROW_KEEP_MS));
  const expire = db
    .update(dataExports)
    .set({ status: "expired", objectKey: null, updatedAt: now })
    .where(
      inArray(
        dataExports.id,
        due.map((d) => d.id),
      ),
    );
  if (due.length) await db.batch([expire, forget]);
  else await forget;
  return due.length + swept;
}
