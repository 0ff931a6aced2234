/**
 * Accounts: workspaces (tenants), people, memberships and sessions, sign-in tokens, invitations, the mail
 * outbox and the audit trail.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** ISO 3166 region for reading national phone numbers ("US", "DE", ...). */
    defaultRegion: text("default_region").notNull().default("US"),
    /** ISO 4217: a new deal's currency unless its form says otherwise. */
    currency: text("currency").notNull().default("USD"),
    /** BCP 47: how amounts and numbers are written and read ("12,500.50" or "12.500,50"). */
    locale: text("locale").notNull().default("en-US"),
    /** IANA zone: times are shown in it to members who have not chosen their own. */
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** When the owner closed the workspace (src/services/privacy/closure.ts); null while it is open. */
    closedAt: integer("closed_at"),
    /** A closed workspace can be reopened until then; afterwards the retention job erases it. */
    eraseAfter: integer("erase_after"),
    /** SHA-256 of the single-use token in the emailed reopen link (base64url); null when there is none. */
    reopenTokenHash: text("reopen_token_hash"),
    /** When its erasure began: from then on its audit entries may be deleted (trigger in migration 0009). */
    erasingAt: integer("erasing_at"),
    /** How far the erasure has got (an index into ERASURE_STEPS), so it resumes where it stopped. */
    eraseStep: integer("erase_step").notNull().default(0),
    /** What members and viewers see in reports: the whole team's figures, or only their own. */
    reportScope: text("report_scope", { enum: ["team", "own"] })
      .notNull()
      .default("team"),
  },
  // The retention job's "closed workspaces whose grace period is over".
  (t) => [index("tenants_erase_after_idx").on(t.eraseAfter)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Trimmed and lower-cased, so one address is one account. */
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** When the user confirmed that they are 18 or older (sign-up requires it). */
    ageConfirmedAt: integer("age_confirmed_at").notNull(),
    /** When the user accepted the terms and the privacy policy. */
    termsAcceptedAt: integer("terms_accepted_at").notNull(),
    emailVerifiedAt: integer("email_verified_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /**
     * The privacy policy's date ("YYYY-MM-DD") whose change notice the user dismissed. A newer
     * policy date shows the notice again (src/lib/legal.ts).
     */
    privacySeenVersion: text("privacy_seen_version"),
    /** The name the user goes by (display name), as they typed it; optional. */
    name: text("name"),
    /** IANA zone the user reads times in (from their browser at sign-up, or the profile); null: the workspace's. */
    timeZone: text("time_zone"),
    /**
     * When the user last chose their zone on the profile (the workspace's included, a null time_zone); null: never,
     * so a sign-in may still take the browser's zone.
     */
    timeZoneChosenAt: integer("time_zone_chosen_at"),
    /** BCP 47 locale the user reads and types numbers and dates in; null: the workspace's. */
    locale: text("locale"),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    // "which tenants does this user belong to" (tenant switcher, login).
    index("memberships_user_idx").on(t.userId),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** The public half of the token; the cookie holds `<id>.<secret>`. */
    id: text("id").primaryKey(),
    /** SHA-256 of the secret half. The secret itself is never stored. */
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The tenant this session is working in; its membership is checked on every request. */
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastActiveAt: integer("last_active_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("sessions_user_idx").on(t.userId),
    index("sessions_tenant_user_idx").on(t.tenantId, t.userId),
    // The retention job's sweep of sessions idle past the inactivity timeout, across workspaces.
    index("sessions_last_active_idx").on(t.lastActiveAt),
  ],
);

/** Fixed-window counters for brute-force protection (per IP, per account). */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  // The retention job deletes windows older than the longest limit's.
  (t) => [index("rate_limits_window_idx").on(t.windowStart)],
);

/** Single-use tokens mailed to a user: email verification, email change, password reset. */
export const TOKEN_KINDS = ["verify_email", "change_email", "password_reset"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const authTokens = sqliteTable(
  "auth_tokens",
  {
    /** SHA-256 of the token (base64url); the token itself only ever exists in the email. */
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind", { enum: TOKEN_KINDS }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The address the token was sent to (the new address for an email change). */
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("auth_tokens_user_idx").on(t.userId, t.kind), index("auth_tokens_expires_idx").on(t.expiresAt)],
);

export const INVITABLE_ROLES = ["viewer", "member", "admin"] as const;

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: INVITABLE_ROLES }).notNull(),
    /** SHA-256 of the token in the invitation link (base64url). */
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
    uniqueIndex("invitations_token_unique").on(t.tokenHash),
    // A deleted user's invitations, in every workspace.
    index("invitations_email_idx").on(t.email),
  ],
);

export const MAIL_STATUSES = ["pending", "sending", "sent", "failed"] as const;

/**
 * Every email, written in the same batch as the change that causes it, then delivered (and retried)
 * by the mailer. Failed mail stays here, visibly.
 */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    /** Null for account mail that belongs to no workspace (verification, password reset). */
    tenantId: text("tenant_id"),
    userId: text("user_id"),
    toAddress: text("to_address").notNull(),
    kind: text("kind").notNull(),
    /** Security, account and billing mail; non-essential mail can be turned off by the recipient. */
    essential: integer("essential", { mode: "boolean" }).notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: text("status", { enum: MAIL_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    sentAt: integer("sent_at"),
    /** JSON object of extra headers for the sender (List-Unsubscribe on non-essential mail); null for none. */
    headers: text("headers"),
    /** When the retention job emptied subject and bodies (sent or failed mail past its period). */
    bodyClearedAt: integer("body_cleared_at"),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_tenant_idx").on(t.tenantId, t.createdAt),
    // The retention job's sweep of bodies not yet cleared, oldest first, across workspaces.
    index("email_outbox_body_due_idx").on(t.bodyClearedAt, t.createdAt),
    // Erasing and exporting what was mailed to one address (a deleted user, a contact-page sender).
    index("email_outbox_to_idx").on(t.toAddress),
    // A data export's mail of its user, by id (with the address above: one OR, an index each).
    index("email_outbox_user_idx").on(t.userId, t.createdAt),
  ],
);

/** Who did what, when, from where. Append-only (triggers in the migration refuse edits). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Null for events that belong to no workspace (a failed sign-in for an unknown email). */
    tenantId: text("tenant_id"),
    /** Null for anonymous actors and for members who have since deleted their account. */
    actorUserId: text("actor_user_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** A human label for the target at the time (an invited address, a role). Never a secret. */
    targetLabel: text("target_label"),
    detail: text("detail"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("audit_log_tenant_idx").on(t.tenantId, t.id),
    index("audit_log_tenant_action_idx").on(t.tenantId, t.action, t.id),
    index("audit_log_tenant_actor_idx").on(t.tenantId, t.actorUserId, t.id),
    // "What happened to this user" (role changes, failed sign-ins on their account): their profile.
    index("audit_log_tenant_target_idx").on(t.tenantId, t.targetType, t.targetId, t.id),
    // The retention job's sweep of entries past their period, across workspaces.
    index("audit_log_created_idx").on(t.createdAt),
  ],
);
export type Tenant = typeof tenants.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Session = typeof sessions.$inferSelect;
