/**
 * First-party usage analytics: raw events and their daily aggregates.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

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
