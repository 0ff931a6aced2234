/**
 * The single source of truth for the database. drizzle-kit generates `migrations/` from this file.
 * Times are Unix epoch milliseconds (integers). Ids are random, unguessable strings.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

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
  ],
);

/** Fixed-window counters for brute-force protection (per IP, per account). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull().default(0),
});

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
  (t) => [index("auth_tokens_user_idx").on(t.userId, t.kind)],
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
  (t) => [index("invitations_tenant_email_idx").on(t.tenantId, t.email), uniqueIndex("invitations_token_unique").on(t.tokenHash)],
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
  },
  (t) => [index("email_outbox_due_idx").on(t.status, t.nextAttemptAt), index("email_outbox_tenant_idx").on(t.tenantId, t.createdAt)],
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
  ],
);

export type Tenant = typeof tenants.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Session = typeof sessions.$inferSelect;

