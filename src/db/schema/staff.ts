/**
 * Staff and support access: the operators' own accounts, and the grants a workspace gives them.
 */
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants, users } from "./accounts";

// Staff are not customers: their own table, sessions and second factor. They reach a workspace's
// records only through a support grant the workspace gave (or a two-person break-glass), and every
// page they see there is written to the workspace's own audit trail.

export const STAFF_ROLES = ["support", "billing", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staff = sqliteTable(
  "staff",
  {
    id: text("id").primaryKey(),
    /** Trimmed and lower-cased. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: STAFF_ROLES }).notNull(),
    /** Null until the staff member enrols (sets a password and their authenticator). */
    passwordHash: text("password_hash"),
    /** The TOTP key (20 random bytes, base64). The server must read it to check codes, so it is not hashed. */
    totpKey: text("totp_key").notNull(),
    /** The last TOTP time step accepted: a code is good once. */
    totpLastStep: integer("totp_last_step"),
    enrolledAt: integer("enrolled_at"),
    /** SHA-256 of the enrolment link's secret (base64url), until it is used; the link lasts 24 hours. */
    enrolTokenHash: text("enrol_token_hash"),
    enrolExpiresAt: integer("enrol_expires_at"),
    /** A staff member who leaves is disabled, never deleted: the grants and trails they appear in keep their name. */
    disabledAt: integer("disabled_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("staff_email_unique").on(t.email), uniqueIndex("staff_enrol_token_unique").on(t.enrolTokenHash)],
);

/** Recovery codes: each good once, stored as SHA-256 (base64url) only. */
export const staffRecoveryCodes = sqliteTable(
  "staff_recovery_codes",
  {
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.codeHash] })],
);

/** Staff sessions (cookie __Host-staff): 8 hours at most, 30 minutes without activity. */
export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastActiveAt: integer("last_active_at").notNull(),
  },
  (t) => [index("staff_sessions_staff_fk_idx").on(t.staffId)],
);

export const SUPPORT_GRANT_KINDS = ["grant", "request", "break_glass"] as const;
export const SUPPORT_ACCESS = ["read", "write"] as const;
export type SupportAccess = (typeof SUPPORT_ACCESS)[number];

/**
 * Support access to one workspace. kind "grant": given by an owner or admin in Settings → Support access,
 * to any support staff. "request": asked by one staff member, live once an owner or admin approves it.
 * "break_glass": opened by a staff admin with a written reason, live once a second admin approves.
 * Live while started_at <= now < expires_at and not ended.
 */
export const supportGrants = sqliteTable(
  "support_grants",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SUPPORT_GRANT_KINDS }).notNull(),
    access: text("access", { enum: SUPPORT_ACCESS }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    /** Only this staff member may use it (requests, break-glass); null: any support staff (a workspace's grant). */
    staffId: text("staff_id"),
    /** The staff member's name when asked, as the workspace sees it. */
    staffName: text("staff_name"),
    ticket: text("ticket"),
    /** A request's message, or the break-glass reason. */
    reason: text("reason"),
    /** The owner or admin who gave or approved it (null after they leave, or for break-glass). */
    grantedBy: text("granted_by"),
    /** Break-glass: the second admin who approved it. */
    approvedByStaffId: text("approved_by_staff_id"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    expiresAt: integer("expires_at"),
    endedAt: integer("ended_at"),
    /** Who ended it early: a member's id, "staff", or null (it ran out, or has not ended). */
    endedBy: text("ended_by"),
    declinedAt: integer("declined_at"),
    /** When the owner was told it ended (early or by itself): the cron's sweep sends the mail once. */
    endNoticeAt: integer("end_notice_at"),
  },
  (t) => [
    index("support_grants_tenant_idx").on(t.tenantId, t.createdAt),
    // The cron's sweep for grants that ran out and whose end the owner has not yet been told of, across workspaces.
    index("support_grants_end_notice_idx").on(t.endNoticeAt, t.expiresAt),
  ],
);

export const ACCOUNT_ACTION_KINDS = ["erase", "correct_email"] as const;
export type AccountActionKind = (typeof ACCOUNT_ACTION_KINDS)[number];

/**
 * An account action one staff member asked for and a second, different admin must approve (two-person rule):
 * erasing an account now, or correcting its address (one person alone could otherwise take the account over
 * through a reset link sent to the new address). Keyed by the account, not a workspace; the row goes with the
 * users row. Waits a day at most.
 */
export const accountActions = sqliteTable(
  "account_actions",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ACCOUNT_ACTION_KINDS }).notNull(),
    targetUserId: text("target_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The staff member who asked, and their name then. */
    staffId: text("staff_id").notNull(),
    staffName: text("staff_name").notNull(),
    reason: text("reason").notNull(),
    ticket: text("ticket"),
    /** correct_email: the address asked for (trimmed, lower-cased); null for an erasure. */
    newEmail: text("new_email"),
    createdAt: integer("created_at").notNull(),
    /** Set once a second admin approves (an erasure then deletes the row); cleared again if it could not run. */
    approvedByStaffId: text("approved_by_staff_id"),
    approvedAt: integer("approved_at"),
  },
  (t) => [
    index("account_actions_target_user_fk_idx").on(t.targetUserId, t.createdAt),
    // The console's queue of requests waiting for a second admin.
    index("account_actions_pending_idx").on(t.createdAt).where(sql`approved_at IS NULL`),
  ],
);

export type Staff = typeof staff.$inferSelect;
export type SupportGrant = typeof supportGrants.$inferSelect;
