/**
 * What the lists keep: bulk jobs over every match, and saved views.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenants, users } from "./accounts";

// Bulk jobs: "Select all matching" beyond what one request may do: the list's filters (as canonical query params,
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
    /**
     * The workspace's highest contact id when the job was confirmed: the walk stops there, so contacts made
     * since (a colleague's, a running import's) are not reached. Null on jobs from before it was kept.
     */
    upToId: integer("up_to_id"),
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
    /**
     * Its numbers are plain decimals (saved since migration 0044), which each reader's links write in their format;
     * false: as its saver typed them (older views), passed through as they are.
     */
    numbersCanonical: integer("numbers_canonical", { mode: "boolean" }).notNull().default(false),
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
