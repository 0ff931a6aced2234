/**
 * Reports: aggregates kept by triggers, read by the dashboard and /app/reports.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";
import { CONTACT_SOURCES } from "./contacts";

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
