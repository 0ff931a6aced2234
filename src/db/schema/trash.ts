/**
 * The trash: deleted records kept 30 days, restorable.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";
import { SUBJECT_TYPES } from "./contacts";

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
