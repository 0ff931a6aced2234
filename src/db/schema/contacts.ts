/**
 * The CRM's core records: companies, contacts with their emails and phones, notes, and tags.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

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
