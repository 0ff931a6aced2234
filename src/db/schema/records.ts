/**
 * What every kind of record carries: custom fields and their values, activities, the workspace's counters and
 * each member's recently viewed records.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";
import { SUBJECT_TYPES } from "./contacts";

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
