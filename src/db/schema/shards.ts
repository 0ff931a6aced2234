/**
 * Shards: where each workspace's CRM data lives, the shards' sizes, and moves between them.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

/** Where a workspace's CRM data lives (migration 0032; src/services/shards/). No row: on DB. */
export const SHARD_STATES = ["active", "moving"] as const;
export type ShardState = (typeof SHARD_STATES)[number];

export const workspaceShards = sqliteTable(
  "workspace_shards",
  {
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
  },
  // The sweep that brings stale copies up to date (migration 0033).
  (t) => [index("workspace_shards_people_stale_idx").on(t.peopleStaleSince).where(sql`people_stale_since IS NOT NULL`)],
);

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
