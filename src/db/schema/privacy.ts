/**
 * Privacy: consent records, support messages, email preferences, data exports, the suppression list, closure
 * and retention.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenants, users } from "./accounts";

// Consent records and support messages belong to no tenant: a consent is a browser's, a support message a visitor's.

export const CONSENT_CHOICES = ["accepted", "rejected"] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/**
 * Every analytics consent choice a browser made (the proof of consent): the random id in its
 * consent cookie, the choice, the version of the cookie policy it was shown and when. No IP address.
 */
export const consentRecords = sqliteTable(
  "consent_records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    consentId: text("consent_id").notNull(),
    analytics: text("analytics", { enum: CONSENT_CHOICES }).notNull(),
    /** The cookie policy's date ("YYYY-MM-DD") when the choice was made. */
    policyVersion: text("policy_version").notNull(),
    /** The signed-in user who chose, if any, so their profile can show it; null once they are gone. */
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("consent_records_consent_idx").on(t.consentId, t.id),
    index("consent_records_user_fk_idx").on(t.userId),
    index("consent_records_created_idx").on(t.createdAt),
  ],
);

/** Messages sent through /contact. The sender's IP is kept only as a keyed hash (HMAC), if at all. */
export const supportMessages = sqliteTable(
  "support_messages",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    message: text("message").notNull(),
    /** HMAC-SHA256 of the IP under IP_HASH_KEY (base64url); null without a key or an IP. */
    ipHash: text("ip_hash"),
    createdAt: integer("created_at").notNull(),
  },
  // By address: erasing or exporting one sender's messages.
  (t) => [index("support_messages_created_idx").on(t.createdAt), index("support_messages_email_idx").on(t.email)],
);

// ---- Privacy: email preferences, data exports, the suppression list --------------------------------

/**
 * A user's choice of non-essential email. No row means the defaults: the weekly digest on, product
 * news off. Essential mail (security, account, billing) is not optional and has no switch here.
 */
export const emailPreferences = sqliteTable(
  "email_preferences",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    digest: integer("digest", { mode: "boolean" }).notNull().default(true),
    news: integer("news", { mode: "boolean" }).notNull().default(false),
    /** The ISO week ("2026-W48") of the last digest sent to the user: at most one per week. */
    digestWeek: text("digest_week"),
    /** Task reminders by email (the bell in the app shows them either way). */
    reminders: integer("reminders", { mode: "boolean" }).notNull().default(true),
    /** The daily agenda at 07:00 in the user's zone: opt-in. */
    agenda: integer("agenda", { mode: "boolean" }).notNull().default(false),
    /** A mail when a colleague @mentions the user in a note (the bell shows it either way); migration 0025. */
    mentions: integer("mentions", { mode: "boolean" }).notNull().default(true),
    /** The local date ('YYYY-MM-DD') of the last agenda sent: at most one a day. */
    agendaDate: text("agenda_date"),
    /** When the agenda sweep next looks at the user (their next 07:00, UTC ms); 0: at the next run. */
    agendaNextAt: integer("agenda_next_at").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  // The agenda sweep reads only the users who asked for it, and of those only the ones whose 07:00 has come.
  (t) => [
    index("email_preferences_agenda_idx").on(t.agenda, t.userId),
    index("email_preferences_agenda_due_idx").on(t.agenda, t.agendaNextAt),
  ],
);

/** The weekly digest's progress through the users, one row per ISO week, so a week's sweep resumes and ends. */
export const digestRuns = sqliteTable("digest_runs", {
  week: text("week").primaryKey(),
  /** Users are visited in id order; the sweep has handled every user up to this id. */
  afterUserId: text("after_user_id").notNull().default(""),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
});

/** queued → ready (a ZIP in R2, downloadable until expires_at) → expired (the ZIP deleted); or failed. */
export const DATA_EXPORT_STATUSES = ["queued", "ready", "failed", "expired", "cancelled"] as const;
export type DataExportStatus = (typeof DATA_EXPORT_STATUSES)[number];

/** "Download my data": one archive a user asked for, built by a Queue consumer, for that user only. */
export const dataExports = sqliteTable(
  "data_exports",
  {
    /** Random and unguessable; the download URL carries it, and only its requester may use it. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The workspace's records are included (the requester was an owner or an admin). */
    includesWorkspace: integer("includes_workspace", { mode: "boolean" }).notNull(),
    status: text("status", { enum: DATA_EXPORT_STATUSES }).notNull(),
    /** R2 key of the ZIP (exports/<tenant>/<user>/<id>-<build>.zip) while it exists. */
    objectKey: text("object_key"),
    size: integer("size"),
    /** Why a build failed. */
    message: text("message"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    readyAt: integer("ready_at"),
    /** The download link works until then (24 hours after the archive is ready). */
    expiresAt: integer("expires_at"),
    /** The origin the emailed link points to (the request's, or APP_URL), so the watchdog can re-send the step. */
    baseUrl: text("base_url"),
    /** The job watchdog, as on import_jobs: `updated_at` is the heartbeat (written per uploaded part while building). */
    watchdogAt: integer("watchdog_at"),
    watchdogSeenAt: integer("watchdog_seen_at"),
    watchdogTries: integer("watchdog_tries").notNull().default(0),
  },
  (t) => [
    index("data_exports_tenant_user_idx").on(t.tenantId, t.userId, t.createdAt),
    index("data_exports_user_fk_idx").on(t.userId),
    // The watchdog's sweep of archives being built, across workspaces.
    index("data_exports_working_idx").on(t.updatedAt).where(sql`status = 'queued'`),
    // The cron's sweeps: archives past their link's expiry, and rows past their keeping.
    index("data_exports_expiry_idx").on(t.expiresAt).where(sql`status = 'ready'`),
    index("data_exports_updated_idx").on(t.updatedAt),
  ],
);

/**
 * A workspace's suppression list: people erased on request whom a later import must skip. Only a
 * keyed hash of each email address is kept (HMAC-SHA256 under SUPPRESSION_KEY of the trimmed,
 * lower-cased address), never the address.
 */
export const suppressions = sqliteTable(
  "suppressions",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    emailHash: text("email_hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.emailHash] })],
);

// ---- Closure and retention ---------------------------------------------------------------------

export const CLOSED_BY = ["owner", "operator"] as const;

/**
 * What the law makes us keep about a closed workspace once everything else of it is erased: when it
 * was closed and erased, and its invoices (references, amounts, dates) as Stripe reported them at
 * closure. No names, no email addresses, no contact data. Kept until keep_until, then deleted.
 */
export const closedTenantLedger = sqliteTable(
  "closed_tenant_ledger",
  {
    /** No foreign key: the row outlives the tenant. */
    tenantId: text("tenant_id").primaryKey(),
    closedAt: integer("closed_at").notNull(),
    closedBy: text("closed_by", { enum: CLOSED_BY }).notNull(),
    eraseAfter: integer("erase_after").notNull(),
    /** When the erasure finished; null during the grace period and while it runs. */
    erasedAt: integer("erased_at"),
    /** erased_at plus the ledger's retention period (RETENTION.billingLedgerYears). */
    keepUntil: integer("keep_until"),
    /** When the Stripe customer was deleted (which cancels its subscriptions); null if there was none. */
    stripeCustomerDeletedAt: integer("stripe_customer_deleted_at"),
    /** JSON array of {id, number, status, currency, total, amount_paid, created, period_start, period_end}. */
    invoices: text("invoices").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
  },
  // The retention job's sweep of entries past their period, across workspaces.
  (t) => [index("closed_tenant_ledger_keep_idx").on(t.keepUntil)],
);

/**
 * Small state of the retention job. `horizon` of "audit_log" is the time before which audit entries
 * may be deleted: the append-only trigger (migration 0009) reads it. Only the retention job writes here.
 */
export const retentionState = sqliteTable("retention_state", {
  name: text("name").primaryKey(),
  horizon: integer("horizon"),
  cursor: text("cursor"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The one sanctioned change to audit entries about someone else: while a user's row is here, the
 * append-only trigger (migration 0011) lets entries naming them as target (their user id or address)
 * lose it: target_id to null, target_label to "former member", detail values holding an address or
 * their id to null. Written and deleted again in the same batch as the user's deletion
 * (userDeletionQueries in src/services/account/deletion.ts); no other code writes here.
 */
export const auditErasures = sqliteTable("audit_erasures", {
  userId: text("user_id").primaryKey(),
  email: text("email").notNull(),
});

export type ConsentRecord = typeof consentRecords.$inferSelect;
export type SupportMessage = typeof supportMessages.$inferSelect;
export type EmailPreferences = typeof emailPreferences.$inferSelect;
export type DataExport = typeof dataExports.$inferSelect;
export type ClosedTenantLedger = typeof closedTenantLedger.$inferSelect;
