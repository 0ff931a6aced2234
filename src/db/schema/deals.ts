/**
 * Deals and pipelines: stages, lost reasons, deals with their contacts and tags, and each deal's time in a stage.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";
import { companies, contacts, tags } from "./contacts";

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
    /** The name lower-cased in JavaScript (SQLite's lower() folds ASCII only): one stage per name in a pipeline. */
    nameKey: text("name_key").notNull(),
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
    uniqueIndex("pipeline_stages_tenant_pipeline_name_unique").on(t.tenantId, t.pipelineId, t.nameKey),
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

export type Deal = typeof deals.$inferSelect;
export type Pipeline = typeof pipelines.$inferSelect;
export type PipelineStage = typeof pipelineStages.$inferSelect;
