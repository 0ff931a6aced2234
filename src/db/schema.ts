/**
 * The single source of truth for the database. drizzle-kit generates `migrations/` from this file.
 * Times are Unix epoch milliseconds (integers). Ids are random, unguessable strings.
 */
import { sql } from "drizzle-orm";
import { blob, foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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

// ---- CRM core --------------------------------------------------------------------------------
// Records use integer keys (compact indexes at 100k+ rows; the FTS index keys on them too). A key is
// global, never per tenant, and every query still filters by tenant_id, so another tenant's id is
// simply not found.

export const SUBJECT_TYPES = ["contact", "company", "deal"] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const companies = sqliteTable(
  "companies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower(name), the sort and keyset key. */
    nameSort: text("name_sort").notNull(),
    /** Normalised: lower case, no scheme, no "www.", no path ("example.com"). */
    domain: text("domain"),
    industry: text("industry"),
    size: text("size"),
    address: text("address"),
    /** E.164. */
    phone: text("phone"),
    ownerId: text("owner_id"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastActivityAt: integer("last_activity_at").notNull(),
    /** When a call, meeting or email was last logged on it (interactions), kept in the logging batch. */
    lastContactedAt: integer("last_contacted_at"),
    /** The earliest open task's due date ('YYYY-MM-DD'), kept in every task write's batch. */
    nextTaskDue: text("next_task_due"),
  },
  (t) => [
    index("companies_tenant_name_idx").on(t.tenantId, t.nameSort, t.id),
    // The API's keyset order: without it and without statistics, SQLite sorts the workspace for each page.
    index("companies_tenant_id_idx").on(t.tenantId, t.id),
    index("companies_tenant_contacted_idx").on(t.tenantId, t.lastContactedAt, t.id),
    index("companies_tenant_next_task_idx").on(t.tenantId, t.nextTaskDue, t.id),
    index("companies_tenant_domain_idx").on(t.tenantId, t.domain),
    index("companies_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("companies_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
  ],
);

export const CONTACT_SOURCES = ["manual", "import", "api"] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export const contacts = sqliteTable(
  "contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    /** lower("last first"), the name sort and keyset key. */
    nameSort: text("name_sort").notNull(),
    /** The first of contact_emails, kept here so lists need no join. */
    primaryEmail: text("primary_email"),
    /** The first of contact_phones (E.164). */
    primaryPhone: text("primary_phone"),
    jobTitle: text("job_title"),
    companyId: integer("company_id").references(() => companies.id, { onDelete: "set null" }),
    /** The company's name, copied so lists sort and show it without a join. */
    companyName: text("company_name"),
    /** lower(company_name), or "" without a company, the company sort key. */
    companySort: text("company_sort").notNull().default(""),
    address: text("address"),
    ownerId: text("owner_id"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastActivityAt: integer("last_activity_at").notNull(),
    /** When a call, meeting or email was last logged on it (interactions), kept in the logging batch. */
    lastContactedAt: integer("last_contacted_at"),
    /** The earliest open task's due date ('YYYY-MM-DD'), kept in every task write's batch. */
    nextTaskDue: text("next_task_due"),
    /** How it came: typed in, imported from a file, or through the API (the contact sources report). */
    source: text("source", { enum: CONTACT_SOURCES }).notNull().default("manual"),
  },
  (t) => [
    index("contacts_tenant_name_idx").on(t.tenantId, t.nameSort, t.id),
    // The API's keyset order: without it and without statistics, SQLite sorts the workspace for each page.
    index("contacts_tenant_id_idx").on(t.tenantId, t.id),
    index("contacts_tenant_contacted_idx").on(t.tenantId, t.lastContactedAt, t.id),
    index("contacts_tenant_next_task_idx").on(t.tenantId, t.nextTaskDue, t.id),
    index("contacts_tenant_company_sort_idx").on(t.tenantId, t.companySort, t.id),
    index("contacts_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("contacts_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    index("contacts_tenant_activity_idx").on(t.tenantId, t.lastActivityAt, t.id),
    index("contacts_tenant_company_idx").on(t.tenantId, t.companyId, t.nameSort, t.id),
    index("contacts_tenant_owner_idx").on(t.tenantId, t.ownerId, t.nameSort, t.id),
    // SQLite finds the children of a deleted company by company_id alone (ON DELETE SET NULL).
    index("contacts_company_fk_idx").on(t.companyId),
  ],
);

export const contactEmails = sqliteTable(
  "contact_emails",
  {
    tenantId: text("tenant_id").notNull(),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Trimmed and lower-cased. */
    email: text("email").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.position] }),
    index("contact_emails_tenant_email_idx").on(t.tenantId, t.email),
  ],
);

export const contactPhones = sqliteTable(
  "contact_phones",
  {
    tenantId: text("tenant_id").notNull(),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** E.164. */
    phone: text("phone").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.position] }),
    index("contact_phones_tenant_phone_idx").on(t.tenantId, t.phone),
  ],
);

export const notes = sqliteTable(
  "notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }).notNull(),
    subjectId: integer("subject_id").notNull(),
    /** Null once the author has left: shown as "former member". */
    authorId: text("author_id"),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("notes_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.id),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("notes_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

export const tags = sqliteTable(
  "tags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower(name): one tag per name, whatever the case. */
    nameKey: text("name_key").notNull(),
    /** One of the palette's names (TAG_COLORS). */
    color: text("color").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("tags_tenant_name_unique").on(t.tenantId, t.nameKey)],
);

export const contactTags = sqliteTable(
  "contact_tags",
  {
    tenantId: text("tenant_id").notNull(),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.contactId, t.tagId] }),
    index("contact_tags_tenant_tag_idx").on(t.tenantId, t.tagId, t.contactId),
    // Foreign-key lookups by the parent's id alone, when a contact or a tag is deleted.
    index("contact_tags_contact_fk_idx").on(t.contactId),
    index("contact_tags_tag_fk_idx").on(t.tagId),
  ],
);

export const companyTags = sqliteTable(
  "company_tags",
  {
    tenantId: text("tenant_id").notNull(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.companyId, t.tagId] }),
    index("company_tags_tenant_tag_idx").on(t.tenantId, t.tagId, t.companyId),
    // Foreign-key lookups by the parent's id alone, when a company or a tag is deleted.
    index("company_tags_company_fk_idx").on(t.companyId),
    index("company_tags_tag_fk_idx").on(t.tagId),
  ],
);

export const CUSTOM_FIELD_KINDS = ["text", "number", "date", "select", "checkbox", "url"] as const;
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number];

export const customFields = sqliteTable(
  "custom_fields",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    entity: text("entity", { enum: SUBJECT_TYPES }).notNull(),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    kind: text("kind", { enum: CUSTOM_FIELD_KINDS }).notNull(),
    /** For "select": a JSON array of the allowed options. */
    options: text("options"),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("custom_fields_tenant_name_unique").on(t.tenantId, t.entity, t.nameKey)],
);

/**
 * One value per field and record. Values are stored as canonical text (numbers as written by
 * String(number), dates as YYYY-MM-DD, checkboxes as "1"), so equality filters use the index.
 */
export const customFieldValues = sqliteTable(
  "custom_field_values",
  {
    tenantId: text("tenant_id").notNull(),
    fieldId: integer("field_id")
      .notNull()
      .references(() => customFields.id, { onDelete: "cascade" }),
    /** A contact or company id, as the field's entity says. */
    entityId: integer("entity_id").notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.fieldId, t.entityId] }),
    index("custom_field_values_tenant_value_idx").on(t.tenantId, t.fieldId, t.value, t.entityId),
    // A record's values: covering, so that without statistics SQLite prefers it to the value index, which has
    // tenant_id first too and would walk every value of the workspace for each record.
    index("custom_field_values_tenant_entity_idx").on(t.tenantId, t.entityId, t.fieldId, t.value),
    // Foreign-key lookup by field id alone, when a field is deleted.
    index("custom_field_values_field_fk_idx").on(t.fieldId),
  ],
);

/** The timeline: creation, field changes, notes. */
export const activities = sqliteTable(
  "activities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }).notNull(),
    subjectId: integer("subject_id").notNull(),
    actorId: text("actor_id"),
    /** "created", "updated", "note_added", ... */
    kind: text("kind").notNull(),
    /** JSON: for "updated", the changed fields as { field: [from, to] }. */
    detail: text("detail"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("activities_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.id),
    index("activities_tenant_idx").on(t.tenantId, t.id),
  ],
);

/** Per-tenant record counts, kept in the same batch as every create and delete. */
export const tenantCounters = sqliteTable("tenant_counters", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  contacts: integer("contacts").notNull().default(0),
  companies: integer("companies").notNull().default(0),
  notes: integer("notes").notNull().default(0),
  deals: integer("deals").notNull().default(0),
});

export const recentViews = sqliteTable(
  "recent_views",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }).notNull(),
    subjectId: integer("subject_id").notNull(),
    viewedAt: integer("viewed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.subjectType, t.subjectId] }),
    index("recent_views_tenant_user_idx").on(t.tenantId, t.userId, t.viewedAt),
    // Erasing a person: what they viewed, in every workspace.
    index("recent_views_user_idx").on(t.userId),
  ],
);

// ---- Billing ---------------------------------------------------------------------------------
// Stripe holds the payment details (Checkout and the Customer Portal collect them); we keep only
// which plan a tenant is on. No card data is ever stored here.

/** free | trialing | active | past_due. A tenant without a tenant_billing row is on Free. */
export const BILLING_STATES = ["free", "trialing", "active", "past_due"] as const;
export type BillingState = (typeof BILLING_STATES)[number];

/** One row per tenant that has ever started a checkout: its Stripe customer and subscription. */
export const tenantBilling = sqliteTable(
  "tenant_billing",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    state: text("state", { enum: BILLING_STATES }).notNull().default("free"),
    /** The only key a webhook may use to find its tenant. Created once, reused afterwards. */
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    priceId: text("price_id"),
    /** Epoch ms: the end of the paid (or trial) period, from the subscription's items. */
    currentPeriodEnd: integer("current_period_end"),
    trialEnd: integer("trial_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** When the tenant first had a subscription: the trial is offered only before that. */
    firstSubscribedAt: integer("first_subscribed_at"),
    /**
     * The `created` time (Unix seconds) of the newest Stripe event applied. An update only applies
     * when its event is at least as new, so a late or replayed event never rolls the state back.
     */
    syncedEventCreated: integer("synced_event_created").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenant_billing_customer_unique").on(t.stripeCustomerId)],
);

/** Stripe events already processed, by id, written in the same batch as their effect. */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** The tenant the event was applied to (for operators tracing a change). */
    tenantId: text("tenant_id"),
    receivedAt: integer("received_at").notNull(),
  },
  // Erasing a closed workspace deletes its events.
  (t) => [index("stripe_events_tenant_idx").on(t.tenantId)],
);

// ---- Imports ---------------------------------------------------------------------------------
// An upload is stored in R2; a Queue consumer reads it (analyse: preview counts, prepared chunks
// and the error file in R2), then commits it chunk by chunk. Nothing changes on a GET.

export const IMPORT_KINDS = ["contacts", "companies", "deals"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
/**
 * analysing → ready (preview shown) → committing → done; undoing → undone. `failed`: the file as a
 * whole was refused (message says why) or the commit stopped (e.g. a plan limit) with the chunks
 * committed so far kept.
 */
export const IMPORT_STATUSES = [
  "analysing",
  "ready",
  "committing",
  "done",
  "failed",
  "undoing",
  "undone",
  "cancelled",
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const importJobs = sqliteTable(
  "import_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull(),
    fileName: text("file_name").notNull(),
    fileSize: integer("file_size").notNull(),
    /** R2 key prefix of the upload and everything derived from it; objects removed by retention. */
    fileKey: text("file_key").notNull(),
    /** "auto" or the encoding the user chose; `encoding` is the one used. */
    encodingChoice: text("encoding_choice").notNull().default("auto"),
    encoding: text("encoding"),
    delimiter: text("delimiter"),
    /** JSON: the file's header row. */
    headers: text("headers"),
    /** JSON: one target per column ("first_name", "tags", "cf:12", "" to skip). */
    mapping: text("mapping"),
    /** A deals import: the pipeline whose stages the file's stage names are (the first one unless chosen). */
    pipelineId: integer("pipeline_id"),
    totalRows: integer("total_rows").notNull().default(0),
    newCount: integer("new_count").notNull().default(0),
    updateCount: integer("update_count").notNull().default(0),
    unchangedCount: integer("unchanged_count").notNull().default(0),
    duplicateCount: integer("duplicate_count").notNull().default(0),
    invalidCount: integer("invalid_count").notNull().default(0),
    /** Empty rows between the header and the last row: counted in total_rows, so row numbers and totals agree. */
    emptyCount: integer("empty_count").notNull().default(0),
    /** Rows not imported because their email is on a contact of another name (never merged, listed for review). */
    conflictCount: integer("conflict_count").notNull().default(0),
    /** New rows that share a phone with a contact of another name: created, and listed for review. */
    possibleDuplicateCount: integer("possible_duplicate_count").notNull().default(0),
    /** Prepared chunks in R2, and how many the commit (or the undo) has finished. */
    chunkCount: integer("chunk_count").notNull().default(0),
    chunksDone: integer("chunks_done").notNull().default(0),
    createdCount: integer("created_count").notNull().default(0),
    updatedCount: integer("updated_count").notNull().default(0),
    /** JSON: what undo kept because someone edited it since ([{type, id, name, fields}]). */
    undoKept: text("undo_kept"),
    /** Why the file was refused or the commit stopped. */
    message: text("message"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    committedAt: integer("committed_at"),
    finishedAt: integer("finished_at"),
    undoneAt: integer("undone_at"),
    /** When the retention job deleted the upload, its chunks and its error file from R2. */
    filesDeletedAt: integer("files_deleted_at"),
    /** When the retention job deleted the job's import_records (the values before): undo ends then. */
    recordsDeletedAt: integer("records_deleted_at"),
    /**
     * The job watchdog (src/services/jobs/watchdog.ts). `updated_at` is the heartbeat: every step writes
     * it in the same statement or batch as its progress. When it last re-sent a silent job's step, the
     * heartbeat it saw then, and how many times in a row it re-sent without seeing progress since.
     */
    watchdogAt: integer("watchdog_at"),
    watchdogSeenAt: integer("watchdog_seen_at"),
    watchdogTries: integer("watchdog_tries").notNull().default(0),
    /** The working status the job was in when it failed for want of progress or was cancelled (Retry goes back to it). */
    stoppedDuring: text("stopped_during", { enum: ["analysing", "committing", "undoing"] }),
  },
  (t) => [
    index("import_jobs_tenant_idx").on(t.tenantId, t.createdAt),
    // The retention job's sweep of jobs whose files are past their period, across workspaces.
    index("import_jobs_files_due_idx").on(t.filesDeletedAt, t.createdAt),
    // The same for the records undo needs.
    index("import_jobs_records_due_idx").on(t.recordsDeletedAt, t.createdAt),
    // The watchdog's sweep of working jobs by heartbeat, across workspaces: only working jobs are in it.
    index("import_jobs_working_idx").on(t.updatedAt).where(sql`status IN ('analysing', 'committing', 'undoing')`),
  ],
);

/** One row per chunk committed (or undone), written in that chunk's batch: a replayed message fails on the key. */
export const importChunks = sqliteTable(
  "import_chunks",
  {
    tenantId: text("tenant_id").notNull(),
    importId: text("import_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: ["commit", "undo"] }).notNull(),
    chunkNo: integer("chunk_no").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.phase, t.chunkNo] }),
    index("import_chunks_import_fk_idx").on(t.importId),
  ],
);

/**
 * Every record an import created or changed, with the values before and after, so undo can remove
 * what it created and restore what it changed unless someone edited it since.
 */
export const importRecords = sqliteTable(
  "import_records",
  {
    tenantId: text("tenant_id").notNull(),
    importId: text("import_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    /** A contact, company or deal; "tag" for a tag the import created (undo removes it when unused). */
    entityType: text("entity_type", { enum: ["contact", "company", "deal", "tag"] }).notNull(),
    entityId: integer("entity_id").notNull(),
    action: text("action", { enum: ["created", "updated"] }).notNull(),
    /** The file's row number (1 = the first row after the header). */
    rowNo: integer("row_no").notNull(),
    /** JSON: for "updated", the changed fields' values before; additions listed as added. */
    before: text("before"),
    /** JSON: the values the import wrote. */
    after: text("after"),
    /** The record's updated_at as the import left it: a later value means someone edited it. */
    writtenAt: integer("written_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.entityType, t.entityId] }),
    index("import_records_tenant_entity_idx").on(t.tenantId, t.entityType, t.entityId),
    index("import_records_import_fk_idx").on(t.importId),
  ],
);

// ---- Privacy: consent records, support messages ------------------------------------------------
// Neither belongs to a tenant: a consent is a browser's, a support message a visitor's.

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
// ---- Deals and pipelines (issue 14) ----------------------------------------------------------

export const DEAL_STATUSES = ["open", "won", "lost"] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** A workspace's sales processes; every workspace starts with "Sales" (sign-up, and migration 0013). */
export const pipelines = sqliteTable(
  "pipelines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower(name): one pipeline per name. */
    nameKey: text("name_key").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("pipelines_tenant_name_unique").on(t.tenantId, t.nameKey),
    index("pipelines_tenant_position_idx").on(t.tenantId, t.position),
  ],
);

/** The open stages of a pipeline, in order. Won and lost are a deal's status, not stages. */
export const pipelineStages = sqliteTable(
  "pipeline_stages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    pipelineId: integer("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** The pipeline's position, copied so the deal list's stage sort walks one index (migration 0014). */
    pipelinePosition: integer("pipeline_position").notNull().default(0),
    /** Win probability in percent (0-100), for the weighted totals and the forecast. */
    probability: integer("probability").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("pipeline_stages_tenant_pipeline_idx").on(t.tenantId, t.pipelineId, t.position),
    index("pipeline_stages_pipeline_fk_idx").on(t.pipelineId),
    index("pipeline_stages_tenant_order_idx").on(t.tenantId, t.pipelinePosition, t.pipelineId, t.position),
  ],
);

/** The reasons a workspace offers when a deal is lost (a deal may also give free text). */
export const lostReasons = sqliteTable(
  "lost_reasons",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("lost_reasons_tenant_name_unique").on(t.tenantId, t.nameKey)],
);

export const deals = sqliteTable(
  "deals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower(name), the sort key. */
    nameSort: text("name_sort").notNull(),
    /** Whole minor units of `currency` (cents; none for JPY): never a float. */
    amountMinor: integer("amount_minor").notNull().default(0),
    /** ISO 4217. */
    currency: text("currency").notNull(),
    /** Expected close date, a calendar date ('YYYY-MM-DD'), never shifted by time zones. */
    closeDate: text("close_date"),
    /** close_date, or '9999-12-31' without one: the board's order, so undated deals come last. */
    closeKey: text("close_key").notNull().default("9999-12-31"),
    ownerId: text("owner_id"),
    companyId: integer("company_id").references(() => companies.id, { onDelete: "set null" }),
    pipelineId: integer("pipeline_id")
      .notNull()
      .references(() => pipelines.id),
    stageId: integer("stage_id")
      .notNull()
      .references(() => pipelineStages.id),
    status: text("status", { enum: DEAL_STATUSES }).notNull().default("open"),
    /** When lost: the reason's name from the list, or the text typed. */
    lostReason: text("lost_reason"),
    /** When won or lost: the actual close date. */
    closedOn: text("closed_on"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastActivityAt: integer("last_activity_at").notNull(),
  },
  (t) => [
    // A board column: a stage's open deals by close date.
    index("deals_tenant_stage_idx").on(t.tenantId, t.stageId, t.status, t.closeKey, t.id),
    // Closed deals of a pipeline, newest close first (the board's Won and Lost areas, "Show closed").
    index("deals_tenant_closed_idx").on(t.tenantId, t.pipelineId, t.status, t.closedOn, t.id),
    // The list's sorts.
    index("deals_tenant_amount_idx").on(t.tenantId, t.amountMinor, t.id),
    index("deals_tenant_close_idx").on(t.tenantId, t.closeKey, t.id),
    index("deals_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("deals_tenant_id_idx").on(t.tenantId, t.id),
    index("deals_tenant_name_idx").on(t.tenantId, t.nameSort, t.id),
    index("deals_tenant_owner_idx").on(t.tenantId, t.ownerId, t.closeKey, t.id),
    index("deals_tenant_company_idx").on(t.tenantId, t.companyId, t.status, t.id),
    index("deals_company_fk_idx").on(t.companyId),
    index("deals_pipeline_fk_idx").on(t.pipelineId),
    index("deals_stage_fk_idx").on(t.stageId),
  ],
);

/** The people of a deal, each with a role ("decision maker", "champion", ...). */
export const dealContacts = sqliteTable(
  "deal_contacts",
  {
    tenantId: text("tenant_id").notNull(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    role: text("role"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dealId, t.contactId] }),
    index("deal_contacts_tenant_contact_idx").on(t.tenantId, t.contactId, t.dealId),
    index("deal_contacts_deal_fk_idx").on(t.dealId),
    index("deal_contacts_contact_fk_idx").on(t.contactId),
  ],
);

export const dealTags = sqliteTable(
  "deal_tags",
  {
    tenantId: text("tenant_id").notNull(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dealId, t.tagId] }),
    index("deal_tags_tenant_tag_idx").on(t.tenantId, t.tagId, t.dealId),
    index("deal_tags_deal_fk_idx").on(t.dealId),
    index("deal_tags_tag_fk_idx").on(t.tagId),
  ],
);

/** Where a deal was, and when: one span per stage (and per outcome), for the time-in-stage report. */
export const dealStageHistory = sqliteTable(
  "deal_stage_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    pipelineId: integer("pipeline_id").notNull(),
    stageId: integer("stage_id").notNull(),
    status: text("status", { enum: DEAL_STATUSES }).notNull(),
    enteredAt: integer("entered_at").notNull(),
    /** Null while the deal is still there. */
    leftAt: integer("left_at"),
    actorId: text("actor_id"),
  },
  (t) => [
    index("deal_stage_history_tenant_deal_idx").on(t.tenantId, t.dealId, t.enteredAt),
    index("deal_stage_history_tenant_stage_idx").on(t.tenantId, t.stageId, t.enteredAt),
    index("deal_stage_history_deal_fk_idx").on(t.dealId),
  ],
);

/**
 * Open deals per stage and currency: count and amount, changed in the same batch as every write that
 * moves, adds, changes or closes an open deal, so the board's column heads never scan the deals.
 */
export const dealStageTotals = sqliteTable(
  "deal_stage_totals",
  {
    tenantId: text("tenant_id").notNull(),
    stageId: integer("stage_id")
      .notNull()
      .references(() => pipelineStages.id, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    deals: integer("deals").notNull().default(0),
    amountMinor: integer("amount_minor").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.stageId, t.currency] }),
    index("deal_stage_totals_stage_fk_idx").on(t.stageId),
  ],
);

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

export const TASK_KINDS = ["todo", "call", "email", "meeting"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_PRIORITIES = ["normal", "high"] as const;
export const TASK_STATUSES = ["open", "done"] as const;
/** Recurrence: every N days, weeks or months, or every week on one weekday (repeat_every is 1-7, Monday 1). */
export const TASK_REPEATS = ["day", "week", "month", "weekday"] as const;
export type TaskRepeat = (typeof TASK_REPEATS)[number];
/** Reminder lead times in minutes before a timed task (0: at the time). */
export const REMINDER_LEADS = [0, 15, 60, 1440] as const;

/** A follow-up: due on a calendar date (and maybe a time), assigned to a member, maybe linked to a record. */
export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description"),
    kind: text("kind", { enum: TASK_KINDS }).notNull().default("todo"),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("normal"),
    /** A calendar date ('YYYY-MM-DD'), never shifted by zones. */
    dueDate: text("due_date").notNull(),
    /** 'HH:MM' wall time in time_zone, or null for a task due on a day. */
    dueTime: text("due_time"),
    /** The zone due_time was given in (the creator's). */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** due_date + due_time in time_zone as UTC ms; null without a time. */
    dueAt: integer("due_at"),
    /** Minutes before due_at to remind (timed tasks), or any value for 08:00 on the day (dated tasks); null: none. */
    remindLead: integer("remind_lead"),
    /** When the reminder is due (UTC ms), null when none is or the task is done: the sweep's key. */
    remindAt: integer("remind_at"),
    /** A member's user id; a removed member's tasks pass to the owner. */
    assigneeId: text("assignee_id").notNull(),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }),
    subjectId: integer("subject_id"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("open"),
    completedAt: integer("completed_at"),
    completedBy: text("completed_by"),
    repeatUnit: text("repeat_unit", { enum: TASK_REPEATS }),
    repeatEvery: integer("repeat_every"),
    /** The task this one was created from by completing a recurring task (so undo can remove it). */
    previousId: integer("previous_id"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // My tasks: an assignee's open tasks by due date; everyone's for admins.
    index("tasks_tenant_assignee_idx").on(t.tenantId, t.assigneeId, t.status, t.dueDate, t.id),
    index("tasks_tenant_status_idx").on(t.tenantId, t.status, t.dueDate, t.id),
    // A record's tasks, and its earliest open due date.
    index("tasks_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.status, t.dueDate),
    // The reminder sweep across workspaces: only tasks with a reminder still to send.
    index("tasks_remind_idx").on(t.remindAt).where(sql`remind_at IS NOT NULL`),
    index("tasks_tenant_previous_idx").on(t.tenantId, t.previousId),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("tasks_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/**
 * Reminders sent, one row per task and due instant and lead time: the unique key that makes a
 * reminder go out once however often the sweep runs. Written in the same batch as its mail and bell entry.
 */
export const taskReminders = sqliteTable(
  "task_reminders",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    /** The remind_at it was sent for: rescheduling the task makes a new reminder due. */
    remindAt: integer("remind_at").notNull(),
    userId: text("user_id").notNull(),
    /** The sweep that claimed it, so only that sweep queues its mail. */
    claim: text("claim").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.remindAt] }),
    index("task_reminders_tenant_idx").on(t.tenantId, t.sentAt),
    // Account erasure deletes a user's rows in every workspace (src/services/account/deletion.ts).
    index("task_reminders_user_idx").on(t.userId),
  ],
);

/** The bell: reminders in the app, per member and workspace. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    taskId: integer("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    /** The note that @mentioned the user (migration 0025): the entry goes with the note. */
    noteId: integer("note_id").references(() => notes.id, { onDelete: "cascade" }),
    /** What the bell says ("Call Ada — due 14:00"), written when the reminder is sent. */
    title: text("title").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    index("notifications_tenant_user_idx").on(t.tenantId, t.userId, t.readAt, t.id),
    // A move's pages (src/services/shards/rows.ts): the index above holds read_at, which may be null.
    index("notifications_tenant_id_idx").on(t.tenantId, t.id),
    index("notifications_user_fk_idx").on(t.userId),
    index("notifications_task_fk_idx").on(t.taskId),
    index("notifications_note_fk_idx").on(t.noteId),
  ],
);

export const INTERACTION_KINDS = ["call", "meeting", "email"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** A logged call, meeting or email on a contact, company or deal. */
export const interactions = sqliteTable(
  "interactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }).notNull(),
    subjectId: integer("subject_id").notNull(),
    kind: text("kind", { enum: INTERACTION_KINDS }).notNull(),
    /** When it happened (UTC ms). */
    occurredAt: integer("occurred_at").notNull(),
    durationMinutes: integer("duration_minutes"),
    /** For calls: connected, no_answer, voicemail, busy, wrong_number; free text otherwise. */
    outcome: text("outcome"),
    notes: text("notes"),
    /** Null once the member has left. */
    loggedBy: text("logged_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("interactions_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.occurredAt),
    // The dashboard's recent activity.
    index("interactions_tenant_idx").on(t.tenantId, t.occurredAt, t.id),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("interactions_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/**
 * A member's private calendar feed of one workspace: the secret in its URL, stored as SHA-256 only. One per
 * membership (migration 0034), so reading a feed reads one workspace's database; it goes with the membership.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastReadAt: integer("last_read_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete("cascade"),
    uniqueIndex("calendar_feeds_secret_unique").on(t.secretHash),
  ],
);

// ---- Reports: aggregates kept by triggers (migration 0020), read by the dashboard and /app/reports ----------
// Each row counts what is in its key now; a row that falls to zero is deleted. Days are UTC calendar days.

/** Open deals by stage, close month ('YYYY-MM', '' undated), owner ('' none) and currency. */
export const reportOpenDeals = sqliteTable(
  "report_open_deals",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    stageId: integer("stage_id").notNull(),
    closeMonth: text("close_month").notNull(),
    ownerKey: text("owner_key").notNull(),
    currency: text("currency").notNull(),
    deals: integer("deals").notNull().default(0),
    amountMinor: integer("amount_minor").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.stageId, t.closeMonth, t.ownerKey, t.currency] })],
);

/** Won and lost deals by the day they closed, pipeline, owner, lost reason ('' for won) and currency. */
export const reportDealOutcomes = sqliteTable(
  "report_deal_outcomes",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["won", "lost"] }).notNull(),
    day: text("day").notNull(),
    pipelineId: integer("pipeline_id").notNull(),
    ownerKey: text("owner_key").notNull(),
    reason: text("reason").notNull(),
    currency: text("currency").notNull(),
    deals: integer("deals").notNull().default(0),
    amountMinor: integer("amount_minor").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.status, t.day, t.pipelineId, t.ownerKey, t.reason, t.currency] })],
);

/** Finished stays in an open stage (deal_stage_history spans) by the day they ended: how many, how long in all. */
export const reportStageDays = sqliteTable(
  "report_stage_days",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    pipelineId: integer("pipeline_id").notNull(),
    stageId: integer("stage_id").notNull(),
    spans: integer("spans").notNull().default(0),
    totalMs: integer("total_ms").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.pipelineId, t.stageId] })],
);

export const ACTIVITY_REPORT_KINDS = ["call", "meeting", "email", "note", "task"] as const;
export type ActivityReportKind = (typeof ACTIVITY_REPORT_KINDS)[number];

/** Calls, meetings, emails (interactions), notes and completed tasks by day, kind and who did them. */
export const reportActivityDays = sqliteTable(
  "report_activity_days",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    kind: text("kind", { enum: ACTIVITY_REPORT_KINDS }).notNull(),
    userKey: text("user_key").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.kind, t.userKey] })],
);

/** Contacts added by day, source and who added them. */
export const reportContactDays = sqliteTable(
  "report_contact_days",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    source: text("source", { enum: CONTACT_SOURCES }).notNull(),
    userKey: text("user_key").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.source, t.userKey] })],
);

// ---- staff and support access (issue 17) ---------------------------------------------------------
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

export const ACCOUNT_ACTION_KINDS = ["erase"] as const;

/**
 * An account action one staff admin asked for and a second must approve (two-person rule): erasing an
 * account now. Keyed by the account, not a workspace; the row goes with the users row. Waits a day at most.
 */
export const accountActions = sqliteTable(
  "account_actions",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ACCOUNT_ACTION_KINDS }).notNull(),
    targetUserId: text("target_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The admin who asked, and their name then. */
    staffId: text("staff_id").notNull(),
    staffName: text("staff_name").notNull(),
    reason: text("reason").notNull(),
    ticket: text("ticket"),
    createdAt: integer("created_at").notNull(),
    /** Set while the approving admin's erasure runs (it deletes the row); cleared again if it could not run. */
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

export type Task = typeof tasks.$inferSelect;
export type Interaction = typeof interactions.$inferSelect;
export type Tenant = typeof tenants.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type TenantBilling = typeof tenantBilling.$inferSelect;
export type ImportJob = typeof importJobs.$inferSelect;
export type ImportRecord = typeof importRecords.$inferSelect;
export type Deal = typeof deals.$inferSelect;
export type Pipeline = typeof pipelines.$inferSelect;
export type PipelineStage = typeof pipelineStages.$inferSelect;
export type ConsentRecord = typeof consentRecords.$inferSelect;
export type SupportMessage = typeof supportMessages.$inferSelect;
export type EmailPreferences = typeof emailPreferences.$inferSelect;
export type DataExport = typeof dataExports.$inferSelect;
export type ClosedTenantLedger = typeof closedTenantLedger.$inferSelect;

// ---- usage analytics ----
// First-party usage data (src/services/usage/definitions.ts says what and for how long). Raw events are
// the D1 sink's (development and tests; production writes to Analytics Engine); the daily aggregates are
// what reports read, kept 25 months. user_id is no foreign key: account deletion deletes these rows itself.

/** One usage point as recorded: a page viewed, a feature used, or visible seconds on a page. */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["page", "feature", "time"] }).notNull(),
    /** A route pattern (page, time) or a feature event's name: never a URL, query or record content. */
    name: text("name").notNull(),
    plan: text("plan", { enum: ["free", "team"] }).notNull(),
    /** UTC day, YYYY-MM-DD. */
    day: text("day").notNull(),
    device: text("device", { enum: ["desktop", "mobile", "tablet", "other"] }).notNull(),
    seconds: integer("seconds").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("usage_events_tenant_user_idx").on(t.tenantId, t.userId, t.day),
    // The rollup reads one day across workspaces; retention deletes by day.
    index("usage_events_day_idx").on(t.day),
    // Account deletion deletes a user's rows in every workspace.
    index("usage_events_user_idx").on(t.userId),
  ],
);

/** Usage by workspace, day, user, kind, name, device and plan: how many points, how many seconds. */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["page", "feature", "time"] }).notNull(),
    name: text("name").notNull(),
    device: text("device", { enum: ["desktop", "mobile", "tablet", "other"] }).notNull(),
    plan: text("plan", { enum: ["free", "team"] }).notNull(),
    count: integer("count").notNull().default(0),
    seconds: integer("seconds").notNull().default(0),
  },
  (t) => [
    uniqueIndex("usage_daily_unique").on(t.tenantId, t.day, t.userId, t.kind, t.name, t.device, t.plan),
    // The rollup replaces a day across workspaces; retention and the staff charts read by day.
    index("usage_daily_day_idx").on(t.day),
    index("usage_daily_user_idx").on(t.userId),
  ],
);

/** Days the rollup has made aggregates of (re-running a day replaces its rows). */
export const usageRollups = sqliteTable("usage_rollups", {
  day: text("day").primaryKey(),
  rolledAt: integer("rolled_at").notNull(),
});

// ---- the trash (issue 18) ----
// A deleted contact, company, deal, note or task is kept here for 30 days, restorable (src/services/trash/).
// The live tables never hold deleted rows: the snapshot is written in the same batch as the delete.

export const TRASH_KINDS = ["contact", "company", "deal", "note", "task"] as const;
export type TrashKind = (typeof TRASH_KINDS)[number];

/** One trashed record: what the list shows, who may restore it, and when the retention job purges it. */
export const trashItems = sqliteTable(
  "trash_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: TRASH_KINDS }).notNull(),
    /** The record's own id, given back on restore (integer keys are never reused: AUTOINCREMENT). */
    recordId: integer("record_id").notNull(),
    /** The name the list shows (a contact's name, a note's first words). */
    title: text("title").notNull(),
    /** A note's or task's record (contact, company or deal), which must be live for it to come back. */
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }),
    subjectId: integer("subject_id"),
    /** Who may restore it besides admins: the record's owner, the note's author, the task's assignee. */
    ownerId: text("owner_id"),
    deletedBy: text("deleted_by"),
    deletedAt: integer("deleted_at").notNull(),
    purgeAfter: integer("purge_after").notNull(),
  },
  (t) => [
    // The trash page, newest first (ids grow with time), a page at a time.
    index("trash_items_tenant_idx").on(t.tenantId, t.id),
    // One item per record: a record is either live or in the trash once.
    uniqueIndex("trash_items_tenant_record_unique").on(t.tenantId, t.kind, t.recordId),
    // Erasing a contact also erases the notes and tasks about it that sit in the trash.
    index("trash_items_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId),
    // The retention job's sweep of items past their 30 days, across workspaces.
    index("trash_items_purge_idx").on(t.purgeAfter),
  ],
);

/** The rows a trashed record's delete removed, each as a JSON object of its columns, to be inserted back. */
export const trashRows = sqliteTable(
  "trash_rows",
  {
    id: integer("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    itemId: integer("item_id")
      .notNull()
      .references(() => trashItems.id, { onDelete: "cascade" }),
    /** The table the row came from ("contacts", "notes", ...), or "link:contacts" for a company's contacts. */
    tableName: text("table_name").notNull(),
    data: text("data").notNull(),
  },
  (t) => [
    index("trash_rows_tenant_item_idx").on(t.tenantId, t.itemId, t.tableName),
    index("trash_rows_item_fk_idx").on(t.itemId),
  ],
);

export type TrashItem = typeof trashItems.$inferSelect;

// ---- Bulk jobs (issue 18) --------------------------------------------------------------------
// "Select all matching" beyond what one request may do: the list's filters (as canonical query params,
// never SQL) and the action, walked by id keyset in chunks by a Queue consumer (src/services/bulk-jobs/).

export const BULK_JOB_ACTIONS = ["tag", "untag", "delete"] as const;
export type BulkJobAction = (typeof BULK_JOB_ACTIONS)[number];
/** working → done, or failed (message says why; what was done so far stays done). */
export const BULK_JOB_STATUSES = ["working", "done", "failed"] as const;

export const bulkJobs = sqliteTable(
  "bulk_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Whose records: "contacts" today. */
    entity: text("entity", { enum: ["contacts"] }).notNull(),
    action: text("action", { enum: BULK_JOB_ACTIONS }).notNull(),
    tagId: integer("tag_id"),
    /** The list's filters as the list's own query string (parsed again by every step). */
    matchQuery: text("match_query").notNull(),
    status: text("status", { enum: BULK_JOB_STATUSES }).notNull(),
    /** The keyset: the last id a finished chunk reached; the next chunk starts after it. */
    afterId: integer("after_id").notNull().default(0),
    /** Matches when it started (bounded count), matches walked so far, and records the action changed. */
    total: integer("total").notNull().default(0),
    walked: integer("walked").notNull().default(0),
    changed: integer("changed").notNull().default(0),
    message: text("message"),
    /** Who started it (the delete's actor): nulled by account erasure, after which the job stops. */
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    /** The job watchdog, as on import_jobs: `updated_at` is the heartbeat, written with each chunk's progress. */
    watchdogAt: integer("watchdog_at"),
    watchdogSeenAt: integer("watchdog_seen_at"),
    watchdogTries: integer("watchdog_tries").notNull().default(0),
  },
  (t) => [
    index("bulk_jobs_tenant_idx").on(t.tenantId, t.createdAt),
    // The watchdog's sweep of working jobs by heartbeat, across workspaces.
    index("bulk_jobs_working_idx").on(t.updatedAt).where(sql`status = 'working'`),
  ],
);

export type BulkJob = typeof bulkJobs.$inferSelect;
// ---- saved views (issue 18) ----
// A named list state (filters + sort + columns) as validated canonical query parameters, never SQL
// (src/services/records/saved-views.ts). Private to its owner, or shared with the workspace.

export const savedViews = sqliteTable(
  "saved_views",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    /** Null once its owner's account is erased (only shared views outlive it; admins manage them). */
    ownerUserId: text("owner_user_id"),
    entity: text("entity", { enum: ["contact", "deal"] }).notNull(),
    name: text("name").notNull(),
    shared: integer("shared", { mode: "boolean" }).notNull().default(false),
    /** The list's canonical query string ("tag=3&cols=email,cf_12"), re-validated whenever it is opened. */
    query: text("query").notNull(),
    position: integer("position").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("saved_views_tenant_entity_idx").on(t.tenantId, t.entity, t.position, t.id),
    // Account erasure deletes a user's private views and releases their shared ones, in every workspace.
    index("saved_views_owner_idx").on(t.ownerUserId),
  ],
);

/** Which saved view opens when a user opens a list with no parameters. */
export const savedViewDefaults = sqliteTable(
  "saved_view_defaults",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    entity: text("entity", { enum: ["contact", "deal"] }).notNull(),
    viewId: integer("view_id")
      .notNull()
      .references(() => savedViews.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.entity] }),
    index("saved_view_defaults_user_fk_idx").on(t.userId),
    index("saved_view_defaults_view_fk_idx").on(t.viewId),
  ],
);

export type SavedView = typeof savedViews.$inferSelect;

// ---- API keys (issue 19) ----
// A workspace's keys for /api/v1 (src/services/api/keys.ts): only the secret's SHA-256 is stored.

export const API_KEY_SCOPES = ["read", "read_write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: API_KEY_SCOPES }).notNull(),
    /** The key's first characters ("ct_live_AbCd"), shown in the list so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** Who made it: nulled by account erasure; the key belongs to the workspace and keeps working. */
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    /** Written at most once a minute per key (src/services/api/auth.ts). */
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    // A request arrives with only the key: it is found by its hash, before any workspace is known.
    uniqueIndex("api_keys_secret_unique").on(t.secretHash),
    index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;

// ---- webhooks out (issue 19) ----
// Endpoints a workspace's admins add, the events its changes write in their own batch (the outbox) and one
// delivery per endpoint and event, sent through the Queue (src/services/webhooks/).

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of the event types it is subscribed to. */
    events: text("events").notNull(),
    /** `whsec_` + base64 of 24 random bytes (Standard Webhooks); admins can reveal it. */
    secret: text("secret").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    /** The first failed delivery since the last success; three days of failures disable it. */
    failingSince: integer("failing_since"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.enabled)],
);

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    /** "msg_" + random hex: the webhook-id header, the same on every attempt and replay. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    /** JSON: the event's `data`. */
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("webhook_events_tenant_idx").on(t.tenantId, t.createdAt),
    // The retention job's sweep of events past 30 days, across workspaces.
    index("webhook_events_created_idx").on(t.createdAt),
  ],
);

/** Rows are added by the trigger webhook_events_fan_out (hand-written in migration 0030), one per subscribed endpoint. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due; while an attempt runs, the end of its lease. */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** When a Queue message was last sent for it (null: never): the sweep re-sends a silent one. */
    queuedAt: integer("queued_at"),
    lastStatus: integer("last_status"),
    durationMs: integer("duration_ms"),
    /** The first 1 KB of the last answer, or why there was none. */
    response: text("response"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("webhook_deliveries_tenant_endpoint_idx").on(t.tenantId, t.endpointId, t.createdAt),
    index("webhook_deliveries_endpoint_fk_idx").on(t.endpointId),
    index("webhook_deliveries_event_fk_idx").on(t.eventId),
    // The sweep of due deliveries whose message was lost, across workspaces.
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // The same, for one workspace: the dispatch right after an admin's test or replay.
    index("webhook_deliveries_tenant_due_idx").on(t.tenantId, t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export const API_IDEMPOTENCY_STATES = ["in_progress", "done"] as const;

/** The first answer to a POST under an Idempotency-Key, per API key, replayed for 24 h (src/services/api/idempotency.ts). */
export const apiIdempotency = sqliteTable(
  "api_idempotency",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The API key's id; no foreign key: keys are revoked, never deleted, and go with their workspace. */
    keyId: text("key_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 (hex) of the method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: API_IDEMPOTENCY_STATES }).notNull(),
    status: integer("status"),
    /** JSON: the answer's Content-Type and Location. */
    responseHeaders: text("response_headers"),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.keyId, t.idempotencyKey] }),
    // The retention job's sweep of rows past 24 h, across workspaces.
    index("api_idempotency_created_idx").on(t.createdAt),
  ],
);

/** Where a workspace's CRM data lives (migration 0032; src/services/shards/). No row: on DB. */
export const SHARD_STATES = ["active", "moving"] as const;
export type ShardState = (typeof SHARD_STATES)[number];

export const workspaceShards = sqliteTable("workspace_shards", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** A D1 binding name: "DB" or "SHARD_0".."SHARD_n" (src/services/shards/bindings.ts). */
  shard: text("shard").notNull(),
  state: text("state", { enum: SHARD_STATES }).notNull().default("active"),
  movedAt: integer("moved_at"),
  createdAt: integer("created_at").notNull(),
  /** Set when the workspace's people changed and their copy on its shard may not have (src/services/shards/mirror.ts). */
  peopleStaleSince: integer("people_stale_since"),
});

/** What placement reads per database: its size as D1 reported it, and its workspaces. */
export const shardStats = sqliteTable("shard_stats", {
  shard: text("shard").primaryKey(),
  bytes: integer("bytes").notNull().default(0),
  workspaces: integer("workspaces").notNull().default(0),
  measuredAt: integer("measured_at"),
});

export const SHARD_MOVE_STATUSES = [
  "copying",
  "catching_up",
  "pruning",
  "verifying",
  "cleaning",
  "rolling_back",
  "done",
  "failed",
] as const;
export type ShardMoveStatus = (typeof SHARD_MOVE_STATUSES)[number];

/** A workspace's move between databases, one bounded step per Queue message (src/services/shards/move.ts). */
export const shardMoves = sqliteTable(
  "shard_moves",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    target: text("target").notNull(),
    status: text("status", { enum: SHARD_MOVE_STATUSES }).notNull(),
    /** The table the step works on, an index into the phase's list of tables. */
    tableIndex: integer("table_index").notNull().default(0),
    /** JSON: the last key the phase finished in that table. */
    cursor: text("cursor"),
    /** JSON: verify's running count and checksum of the table on each side. */
    tally: text("tally"),
    frozenAt: integer("frozen_at"),
    message: text("message"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    watchdogAt: integer("watchdog_at"),
    watchdogSeenAt: integer("watchdog_seen_at"),
    watchdogTries: integer("watchdog_tries").notNull().default(0),
  },
  (t) => [
    index("shard_moves_tenant_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("shard_moves_one_working").on(t.tenantId).where(sql`status NOT IN ('done', 'failed')`),
    index("shard_moves_working_idx").on(t.updatedAt).where(sql`status NOT IN ('done', 'failed')`),
  ],
);
export type ShardMove = typeof shardMoves.$inferSelect;
