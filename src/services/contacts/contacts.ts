/**
 * Contacts: the people a tenant keeps, with their emails, phones, company, tags, custom values and
 * owner. Every query filters by tenant_id; another tenant's id is simply not found.
 *
 * Writes are one db.batch each (one SQL transaction). A new contact's id only exists inside that
 * batch, so the statements that hang rows off it (emails, phones, tags, custom values, activity)
 * select the contact row itself as their source (`... SELECT ... FROM contacts c WHERE <target>`):
 * they write exactly when the contact row they belong to is there, in the version this batch wrote.
 * For an update that makes the whole batch conditional on the version the form was loaded from, so a
 * concurrent edit or delete leaves nothing half-written.
 */
import { encodeBase64urlNoPadding, decodeBase64urlIgnorePadding } from "@oslojs/encoding";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  activities,
  companies,
  contactEmails,
  contactPhones,
  contacts,
  contactTags,
  customFieldValues,
  customFields,
  importRecords,
  memberships,
  recentViews,
  tags,
  tenantCounters,
  tenants,
  users,
} from "../../db/schema";
import { activityFromRows, activityQuery, diff } from "../records/activity";
import { auditInsert } from "../audit/audit";
import { contactWithinLimit, guardedValue, isPlanLimitError, PlanLimitError } from "../billing/limits";
import { counterChange } from "../records/counters";
import {
  customFieldsQuery,
  deleteValuesStatement,
  listCustomFields,
  recordValuesQuery,
  toCustomField,
  valuesOfRecord,
  type CustomField,
} from "../records/custom-fields";
import { deleteNotesOfStatements, notesFromRows, notesQuery } from "../records/notes";
import { suppressStatements } from "../privacy/suppression";
import {
  createTag,
  listTags,
  ownedTagIds,
  TAG_COLORS,
  tagsByRecord,
  tagsForQuery,
  type Tag,
  type TagColor,
} from "../records/tags";

/** Length limits of the contact form's fields (characters, after trimming). */
export const CONTACT_LIMITS = {
  name: 100,
  jobTitle: 150,
  address: 1000,
  emails: 5,
  phones: 5,
  tags: 50,
  tagName: 50,
} as const;

export const CONTACTS_PAGE_SIZE = 50;
/** Bulk actions take at most this many ids: one bounded batch, well inside D1's per-request limits. */
export const BULK_MAX_IDS = 500;
/** The company select lists this many companies by name; a tenant with more picks from a company's page. */
export const COMPANY_CHOICES_LIMIT = 500;

export const CONTACT_SORTS = ["name", "company", "created", "updated", "activity"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export type SortDirection = "asc" | "desc";
/** Names read A to Z; times read newest first. */
export const DEFAULT_DIRECTION: Record<ContactSort, SortDirection> = {
  name: "asc",
  company: "asc",
  created: "desc",
  updated: "desc",
  activity: "desc",
};

// Each sort is one index: (tenant_id, <column>, id). The keyset is (<column>, id).
const SORT_COLUMNS = {
  name: contacts.nameSort,
  company: contacts.companySort,
  created: contacts.createdAt,
  updated: contacts.updatedAt,
  activity: contacts.lastActivityAt,
} as const;

/** lower("last first"), the name sort key (imports use it too, so every contact sorts alike). */
export function nameSortOf(firstName: string, lastName: string): string {
  return `${lastName} ${firstName}`.trim().toLowerCase();
}

/** lower(company name), or "" without a company. */
export function companySortOf(companyName: string | null): string {
  return (companyName ?? "").toLowerCase();
}

/** How a contact is named on screen: its name, else its email, else its number. */
export function contactDisplayName(c: {
  id: number;
  firstName: string;
  lastName: string;
  primaryEmail?: string | null;
}): string {
  return `${c.firstName} ${c.lastName}`.trim() || c.primaryEmail || `Contact #${c.id}`;
}

/** The tenant's region for reading national phone numbers ("US" when unset). */
export async function tenantRegion(db: Database, tenantId: string): Promise<string> {
  const [row] = await db
    .select({ region: tenants.defaultRegion })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return row?.region ?? "US";
}

export interface Member {
  userId: string;
  email: string;
}

/** The tenant's members (possible owners), by email. */
export async function listOwners(db: Database, tenantId: string): Promise<Member[]> {
  return ownersQuery(db, tenantId);
}

/** The query behind listOwners, for batches. */
function ownersQuery(db: Database, tenantId: string) {
  return db
    .select({ userId: memberships.userId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.email));
}

export interface CompanyChoice {
  id: number;
  name: string;
}

/** What the contact form offers: companies (the first COMPANY_CHOICES_LIMIT by name), tags, fields, members. */
export async function contactFormChoices(db: Database, tenantId: string, currentCompanyId: number | null = null) {
  const [companyRows, tags, customFields, members, current] = await Promise.all([
    db
      .select({ id: companies.id, name: companies.name })
      .from(companies)
      .where(eq(companies.tenantId, tenantId))
      .orderBy(asc(companies.nameSort), asc(companies.id))
      .limit(COMPANY_CHOICES_LIMIT + 1),
    listTags(db, tenantId),
    listCustomFields(db, tenantId, "contact"),
    listOwners(db, tenantId),
    currentCompanyId === null
      ? Promise.resolve([])
      : db
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(and(eq(companies.tenantId, tenantId), eq(companies.id, currentCompanyId))),
  ]);
  const companyChoices = companyRows.slice(0, COMPANY_CHOICES_LIMIT);
  // The contact's own company stays selectable even when it is beyond the first page of names.
  for (const c of current) if (!companyChoices.some((x) => x.id === c.id)) companyChoices.unshift(c);
  return {
    companies: companyChoices,
    companiesTruncated: companyRows.length > COMPANY_CHOICES_LIMIT,
    tags,
    customFields,
    members,
  };
}

/** A contact as the form submits it, already validated for shape and normalised (emails, E.164 phones). */
export interface ContactInput {
  firstName: string;
  lastName: string;
  emails: string[];
  phones: string[];
  jobTitle: string | null;
  companyId: number | null;
  address: string | null;
  tagIds: number[];
  /** A tag to create (or reuse, whatever its case) and attach. */
  newTag: string | null;
  /** Parsed `cf_<id>` values; null clears. */
  customValues: Map<number, string | null>;
  ownerId: string | null;
}

export type ReferenceResult = { ok: true; companyName: string | null } | { ok: false; errors: Record<string, string> };

/** Checks that the company, tags and owner named by the input are the tenant's. */
export async function checkReferences(
  db: Database,
  tenantId: string,
  input: Pick<ContactInput, "companyId" | "tagIds" | "ownerId">,
): Promise<ReferenceResult> {
  const [company, tagIds, owner] = await Promise.all([
    input.companyId === null
      ? Promise.resolve([])
      : db
          .select({ name: companies.name })
          .from(companies)
          .where(and(eq(companies.tenantId, tenantId), eq(companies.id, input.companyId)))
          .limit(1),
    ownedTagIds(db, tenantId, input.tagIds),
    input.ownerId === null
      ? Promise.resolve([])
      : db
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.ownerId)))
          .limit(1),
  ]);
  const errors: Record<string, string> = {};
  if (input.companyId !== null && company.length === 0) errors.company_id = "Choose a company from the list.";
  if (tagIds.length !== new Set(input.tagIds).size) errors.tag_ids = "Choose tags from the list.";
  if (input.ownerId !== null && owner.length === 0) errors.owner_id = "Choose a member of this workspace as the owner.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, companyName: company[0]?.name ?? null };
}

export interface DuplicateContact {
  id: number;
  name: string;
  /** The emails and phones it shares with the new contact. */
  matched: string[];
}

/** Contacts of the tenant that already have one of these emails or phones (at most 10). */
export async function findDuplicates(
  db: Database,
  tenantId: string,
  input: { emails: string[]; phones: string[] },
  excludeId?: number,
): Promise<DuplicateContact[]> {
  const fields = {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    primaryEmail: contacts.primaryEmail,
  };
  const [byEmail, byPhone] = await Promise.all([
    input.emails.length
      ? db
          .select({ ...fields, matched: contactEmails.email })
          .from(contactEmails)
          .innerJoin(contacts, and(eq(contacts.id, contactEmails.contactId), eq(contacts.tenantId, tenantId)))
          .where(
            and(
              eq(contactEmails.tenantId, tenantId),
              inArray(contactEmails.email, input.emails.slice(0, CONTACT_LIMITS.emails)),
            ),
          )
          .limit(10)
      : Promise.resolve([]),
    input.phones.length
      ? db
          .select({ ...fields, matched: contactPhones.phone })
          .from(contactPhones)
          .innerJoin(contacts, and(eq(contacts.id, contactPhones.contactId), eq(contacts.tenantId, tenantId)))
          .where(
            and(
              eq(contactPhones.tenantId, tenantId),
              inArray(contactPhones.phone, input.phones.slice(0, CONTACT_LIMITS.phones)),
            ),
          )
          .limit(10)
      : Promise.resolve([]),
  ]);
  const out = new Map<number, DuplicateContact>();
  for (const r of [...byEmail, ...byPhone]) {
    if (r.id === excludeId) continue;
    const d = out.get(r.id) ?? { id: r.id, name: contactDisplayName(r), matched: [] };
    if (!d.matched.includes(r.matched)) d.matched.push(r.matched);
    out.set(r.id, d);
  }
  return [...out.values()].slice(0, 10);
}

/**
 * The tag named `name` (any case), created if the tenant has none; its colour is picked from the
 * name so the same name always gets the same colour.
 */
export async function findOrCreateTag(db: Database, tenantId: string, name: string, now: number): Promise<Tag> {
  const key = name.toLowerCase();
  const existing = (await listTags(db, tenantId)).find((t) => t.name.toLowerCase() === key);
  if (existing) return existing;
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const color: TagColor = TAG_COLORS[hash % TAG_COLORS.length]!;
  const created = await createTag(db, tenantId, { name, color }, now);
  if (created.ok) return created.tag;
  // Someone created it a moment ago: use theirs.
  const raced = (await listTags(db, tenantId)).find((t) => t.name.toLowerCase() === key);
  if (!raced) throw new Error("tag could not be created or found");
  return raced;
}

// ---- writing ----------------------------------------------------------------------------------

/** A contact's columns from the input (companyName already looked up by checkReferences). */
function contactColumns(input: ContactInput, companyName: string | null) {
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    nameSort: nameSortOf(input.firstName, input.lastName),
    primaryEmail: input.emails[0] ?? null,
    primaryPhone: input.phones[0] ?? null,
    jobTitle: input.jobTitle,
    companyId: input.companyId,
    companyName,
    companySort: companySortOf(companyName),
    address: input.address,
    ownerId: input.ownerId,
  };
}

/**
 * The statements that hang a contact's rows off the contact row matched by `target` (a condition on
 * `contacts c`). Each is an INSERT ... SELECT from that row, so it writes only if the row is there.
 * Lists go in as one JSON parameter each (json_each), so no statement has more than a handful of
 * bound parameters whatever the input. Parts left out are not written (an update rewrites only what
 * changed: every row written, index entries included, costs).
 */
function childStatements(
  db: Database,
  tenantId: string,
  target: SQL,
  parts: { emails?: string[]; phones?: string[]; tagIds?: number[]; customValues?: Map<number, string | null> },
) {
  const statements = [];
  if (parts.emails?.length) {
    statements.push(
      db
        .insert(contactEmails)
        .select(
          sql`SELECT c.tenant_id, c.id, j.key, j.value FROM contacts c CROSS JOIN json_each(${JSON.stringify(parts.emails)}) j WHERE c.tenant_id = ${tenantId} AND ${target}`,
        ),
    );
  }
  if (parts.phones?.length) {
    statements.push(
      db
        .insert(contactPhones)
        .select(
          sql`SELECT c.tenant_id, c.id, j.key, j.value FROM contacts c CROSS JOIN json_each(${JSON.stringify(parts.phones)}) j WHERE c.tenant_id = ${tenantId} AND ${target}`,
        ),
    );
  }
  if (parts.tagIds?.length) {
    // Joined with tags of the same tenant: only the tenant's own tags can ever be attached.
    statements.push(
      db
        .insert(contactTags)
        .select(
          sql`SELECT c.tenant_id, c.id, t.id FROM contacts c CROSS JOIN json_each(${JSON.stringify(parts.tagIds)}) j
            JOIN tags t ON t.id = j.value AND t.tenant_id = c.tenant_id WHERE c.tenant_id = ${tenantId} AND ${target}`,
        )
        .onConflictDoNothing(),
    );
  }
  const values: Record<string, string> = {};
  for (const [fieldId, value] of parts.customValues ?? []) if (value !== null) values[String(fieldId)] = value;
  if (Object.keys(values).length) {
    // Likewise only the tenant's own contact fields; a field deleted meanwhile is skipped.
    statements.push(
      db
        .insert(customFieldValues)
        .select(
          sql`SELECT c.tenant_id, f.id, c.id, j.value FROM contacts c CROSS JOIN json_each(${JSON.stringify(values)}) j
            JOIN custom_fields f ON f.id = CAST(j.key AS INTEGER) AND f.tenant_id = c.tenant_id AND f.entity = 'contact' WHERE c.tenant_id = ${tenantId} AND ${target}`,
        )
        .onConflictDoUpdate({
          target: [customFieldValues.tenantId, customFieldValues.fieldId, customFieldValues.entityId],
          set: { value: sql`excluded.value` },
        }),
    );
  }
  return statements;
}

/** The timeline entry for the contact matched by `target` (columns in table order; id NULL is a new id). */
function activityFromTarget(
  db: Database,
  tenantId: string,
  target: SQL,
  actorId: string | null,
  kind: "created" | "updated",
  changes: Record<string, [unknown, unknown]> | null,
  now: number,
) {
  return db
    .insert(activities)
    .select(
      sql`SELECT NULL, c.tenant_id, 'contact', c.id, ${actorId}, ${kind}, ${changes ? JSON.stringify(changes) : null}, ${now} FROM contacts c WHERE c.tenant_id = ${tenantId} AND ${target}`,
    );
}

/** Creates a contact with everything it has, in one batch. Returns its id. */
/**
 * Creates a contact with its children, activity and counter in one batch. `freeMaxContacts` (null or
 * absent: no limit) is the Free plan's cap, checked inside the batch against tenant_counters, so
 * simultaneous creates at the limit cannot all pass; at the limit nothing is written and this throws
 * PlanLimitError. Imports (a later Queue consumer) must guard their chunks the same way.
 */
export async function createContact(
  db: Database,
  tenantId: string,
  actorId: string,
  input: ContactInput & { companyName: string | null },
  now: number,
  freeMaxContacts: number | null = null,
): Promise<number> {
  // The newest contact of this tenant created at `now` is the one this batch just inserted: ids only
  // grow (AUTOINCREMENT) and the batch runs alone. contacts_tenant_created_idx finds it directly.
  const target = sql`c.tenant_id = ${tenantId} AND c.id = (SELECT id FROM contacts WHERE tenant_id = ${tenantId} AND created_at = ${now} ORDER BY id DESC LIMIT 1)`;
  // At the Free limit the tenant id becomes NULL: NOT NULL fails and the whole batch rolls back.
  const guardedTenantId =
    freeMaxContacts === null ? tenantId : guardedValue(contactWithinLimit(tenantId, freeMaxContacts), tenantId);
  let inserted: { id: number }[];
  try {
    [inserted] = await db.batch([
      db
        .insert(contacts)
        .values({
          tenantId: guardedTenantId,
          ...contactColumns(input, input.companyName),
          createdBy: actorId,
          createdAt: now,
          updatedAt: now,
          lastActivityAt: now,
        })
        .returning({ id: contacts.id }),
      ...childStatements(db, tenantId, target, input),
      activityFromTarget(db, tenantId, target, actorId, "created", null, now),
      counterChange(db, tenantId, { contacts: 1 }),
    ]);
  } catch (err) {
    if (freeMaxContacts !== null && isPlanLimitError(err, "contacts.tenant_id"))
      throw new PlanLimitError("contacts", freeMaxContacts);
    throw err;
  }
  return inserted[0]!.id;
}

export interface ContactDetail {
  id: number;
  firstName: string;
  lastName: string;
  name: string;
  primaryEmail: string | null;
  jobTitle: string | null;
  companyId: number | null;
  companyName: string | null;
  address: string | null;
  ownerId: string | null;
  /** The owner's email while they are a member; null otherwise. */
  ownerEmail: string | null;
  createdAt: number;
  updatedAt: number;
  emails: string[];
  phones: string[];
}

/** One contact of the tenant with its emails and phones (one query), or null. */
export async function getContact(db: Database, tenantId: string, id: number): Promise<ContactDetail | null> {
  return contactDetailFromRows(await contactDetailQuery(db, tenantId, id));
}

/** The query behind getContact (map with contactDetailFromRows), for batches. Column names are unique. */
function contactDetailQuery(db: Database, tenantId: string, id: number) {
  return db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      primaryEmail: contacts.primaryEmail,
      jobTitle: contacts.jobTitle,
      companyId: contacts.companyId,
      companyName: contacts.companyName,
      address: contacts.address,
      ownerId: contacts.ownerId,
      ownerEmail: users.email,
      createdAt: contacts.createdAt,
      updatedAt: contacts.updatedAt,
      emails: sql<string>`(SELECT json_group_array(email) FROM (SELECT email FROM contact_emails WHERE tenant_id = ${tenantId} AND contact_id = ${contacts.id} ORDER BY position))`,
      phones: sql<string>`(SELECT json_group_array(phone) FROM (SELECT phone FROM contact_phones WHERE tenant_id = ${tenantId} AND contact_id = ${contacts.id} ORDER BY position))`,
    })
    .from(contacts)
    .leftJoin(memberships, and(eq(memberships.tenantId, contacts.tenantId), eq(memberships.userId, contacts.ownerId)))
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
    .limit(1);
}

function contactDetailFromRows(rows: Awaited<ReturnType<typeof contactDetailQuery>>): ContactDetail | null {
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    name: contactDisplayName(row),
    emails: JSON.parse(row.emails) as string[],
    phones: JSON.parse(row.phones) as string[],
  };
}

/**
 * Everything the contact page reads (the contact with its emails, phones and owner; its tags; the
 * tenant's contact fields and its values of them; its notes and activity) as statements for ONE
 * D1 batch, none depending on another's answer; the route adds the session check to the same batch
 * (withSessionBatch). Every statement is scoped by tenant and id, so another tenant's id reads
 * nothing and the page is a 404.
 */
export function contactPageStatements(db: Database, tenantId: string, id: number) {
  return [
    ...contactExtrasStatements(db, tenantId, id),
    notesQuery(db, tenantId, "contact", id),
    activityQuery(db, tenantId, "contact", id),
  ] as const;
}

/** The contact page's data from what contactPageStatements read; null when there is no such contact. */
export function contactPageFromResults(id: number, results: unknown[]) {
  const extras = contactExtrasFromResults(id, results.slice(0, 4));
  if (!extras) return null;
  const [noteRows, activityRows] = results.slice(4) as [
    Awaited<ReturnType<typeof notesQuery>>,
    Awaited<ReturnType<typeof activityQuery>>,
  ];
  return { ...extras, timeline: { notes: notesFromRows(noteRows), activity: activityFromRows(activityRows) } };
}

/** A contact with its tags and custom values too: what the contact page and the edit form show. */
export async function getContactWithExtras(db: Database, tenantId: string, id: number) {
  return contactExtrasFromResults(id, await db.batch(contactExtrasStatements(db, tenantId, id)));
}

/** The contact with its emails, phones and owner, its tags, the tenant's contact fields and its values of them. */
function contactExtrasStatements(db: Database, tenantId: string, id: number) {
  return [
    contactDetailQuery(db, tenantId, id),
    tagsForQuery(db, tenantId, "contact", [id]),
    customFieldsQuery(db, tenantId, "contact"),
    recordValuesQuery(db, tenantId, "contact", id),
  ] as const;
}

function contactExtrasFromResults(id: number, results: readonly unknown[]) {
  const [detail, tagRows, fieldRows, valueRows] = results as [
    Awaited<ReturnType<typeof contactDetailQuery>>,
    Awaited<ReturnType<typeof tagsForQuery>>,
    Awaited<ReturnType<typeof customFieldsQuery>>,
    Awaited<ReturnType<typeof recordValuesQuery>>,
  ];
  const contact = contactDetailFromRows(detail);
  if (!contact) return null;
  return {
    contact,
    tags: tagsByRecord(tagRows).get(id) ?? [],
    customFields: fieldRows.map(toCustomField),
    values: valuesOfRecord(valueRows),
  };
}

export type UpdateResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: "not_found" | "conflict"; current?: ContactDetail };

/**
 * Updates a contact if it is still at `expectedUpdatedAt` (the version the form showed). Every
 * statement of the batch is conditional on the contact row carrying the version this batch writes,
 * so when someone else saved or deleted it first, nothing at all is written.
 */
export async function updateContact(
  db: Database,
  tenantId: string,
  actorId: string,
  id: number,
  expectedUpdatedAt: number | null,
  input: ContactInput & { companyName: string | null },
  now: number,
): Promise<UpdateResult> {
  const before = await getContactWithExtras(db, tenantId, id);
  if (!before) return { ok: false, reason: "not_found" };
  const expected = expectedUpdatedAt ?? before.contact.updatedAt;
  if (expected !== before.contact.updatedAt) return { ok: false, reason: "conflict", current: before.contact };

  const members = await listOwners(db, tenantId);
  const ownerLabel = (userId: string | null) =>
    userId ? (members.find((m) => m.userId === userId)?.email ?? "former member") : null;
  const allTags = await listTags(db, tenantId);
  const tagNames = (ids: number[]) =>
    allTags
      .filter((t) => ids.includes(t.id))
      .map((t) => t.name)
      .join(", ");
  const watched = (c: {
    firstName: string;
    lastName: string;
    jobTitle: string | null;
    companyName: string | null;
    address: string | null;
    ownerId: string | null;
    emails: string[];
    phones: string[];
    tagIds: number[];
    values: Map<number, string | null>;
  }) => {
    const record: Record<string, unknown> = {
      firstName: c.firstName,
      lastName: c.lastName,
      jobTitle: c.jobTitle,
      company: c.companyName,
      address: c.address,
      owner: ownerLabel(c.ownerId),
      emails: c.emails.join(", ") || null,
      phones: c.phones.join(", ") || null,
      tags: tagNames(c.tagIds) || null,
    };
    for (const f of before.customFields) record[`cf_${f.id}`] = c.values.get(f.id) ?? null;
    return record;
  };
  const beforeRecord = watched({ ...before.contact, tagIds: before.tags.map((t) => t.id), values: before.values });
  const afterValues = new Map<number, string | null>(before.values);
  for (const [k, v] of input.customValues) afterValues.set(k, v);
  const afterRecord = watched({ ...input, companyName: input.companyName, values: afterValues });
  const changes = diff(beforeRecord, afterRecord, Object.keys(beforeRecord));
  if (Object.keys(changes).length === 0) return { ok: true, changed: false };

  // A save in the same millisecond as the version it replaces must still change the version.
  const version = Math.max(now, expected + 1);
  const target = sql`c.tenant_id = ${tenantId} AND c.id = ${id} AND c.updated_at = ${version}`;
  const guard = sql`EXISTS (SELECT 1 FROM contacts c WHERE c.tenant_id = ${tenantId} AND c.id = ${id} AND c.updated_at = ${version})`;
  const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const emailsChanged = !same(before.contact.emails, input.emails);
  const phonesChanged = !same(before.contact.phones, input.phones);
  const tagIdsBefore = before.tags.map((t) => t.id).sort((a, b) => a - b);
  const tagsChanged = !same(
    tagIdsBefore,
    [...input.tagIds].sort((a, b) => a - b),
  );
  const changedValues = new Map(
    [...input.customValues].filter(([fieldId, v]) => (before.values.get(fieldId) ?? null) !== v),
  );
  const cleared = [...changedValues].filter(([, v]) => v === null).map(([fieldId]) => fieldId);
  const [updated] = await db.batch([
    db
      .update(contacts)
      .set({ ...contactColumns(input, input.companyName), updatedAt: version, lastActivityAt: version })
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id), eq(contacts.updatedAt, expected)))
      .returning({ id: contacts.id }),
    ...(emailsChanged
      ? [
          db
            .delete(contactEmails)
            .where(and(eq(contactEmails.tenantId, tenantId), eq(contactEmails.contactId, id), guard)),
        ]
      : []),
    ...(phonesChanged
      ? [
          db
            .delete(contactPhones)
            .where(and(eq(contactPhones.tenantId, tenantId), eq(contactPhones.contactId, id), guard)),
        ]
      : []),
    ...(tagsChanged
      ? [db.delete(contactTags).where(and(eq(contactTags.tenantId, tenantId), eq(contactTags.contactId, id), guard))]
      : []),
    ...(cleared.length
      ? [
          db
            .delete(customFieldValues)
            .where(
              and(
                eq(customFieldValues.tenantId, tenantId),
                eq(customFieldValues.entityId, id),
                sql`${customFieldValues.fieldId} IN (SELECT value FROM json_each(${JSON.stringify(cleared)}))`,
                guard,
              ),
            ),
        ]
      : []),
    ...childStatements(db, tenantId, target, {
      emails: emailsChanged ? input.emails : undefined,
      phones: phonesChanged ? input.phones : undefined,
      tagIds: tagsChanged ? input.tagIds : undefined,
      customValues: changedValues,
    }),
    activityFromTarget(db, tenantId, target, actorId, "updated", changes, version),
  ]);
  if (updated.length === 0) {
    const current = await getContact(db, tenantId, id);
    return current ? { ok: false, reason: "conflict", current } : { ok: false, reason: "not_found" };
  }
  return { ok: true, changed: true };
}

// ---- deleting and bulk actions ------------------------------------------------------------------

/** The tenant's contacts among `ids` (SQL), driven by the id list so it reads only those rows. */
function ownedIdsSql(tenantId: string, ids: number[]) {
  // CROSS JOIN fixes the join order: look each id up by primary key rather than walk the tenant.
  return sql`SELECT c.id FROM json_each(${JSON.stringify(ids)}) j CROSS JOIN contacts c ON c.id = j.value WHERE c.tenant_id = ${tenantId}`;
}

/** Of the given ids, the tenant's contacts, with their display names, in the order given. */
export async function ownedContacts(
  db: Database,
  tenantId: string,
  ids: number[],
): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db.all<{ id: number; first_name: string; last_name: string; primary_email: string | null }>(
    sql`SELECT c.id, c.first_name, c.last_name, c.primary_email FROM json_each(${JSON.stringify(ids)}) j CROSS JOIN contacts c ON c.id = j.value WHERE c.tenant_id = ${tenantId} ORDER BY j.key`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: contactDisplayName({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      primaryEmail: r.primary_email,
    }),
  }));
}

export interface DeleteActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

/** Erasing (a privacy request) rather than deleting: audited as such, optionally suppressing future imports. */
export interface EraseOptions {
  /** SUPPRESSION_KEY: the contacts' email addresses go onto the tenant's suppression list (as keyed hashes). */
  suppressKey?: string;
}

/**
 * Deletes contacts of the tenant with everything that refers to them: notes, custom values, activity,
 * recent views and the import history's rows about them (emails, phones and tags go by foreign-key
 * cascade, the search index by trigger), adjusts the counters and writes the audit entry, all in one
 * batch. With `erase`, the entry says "erased" and the addresses may be suppressed in the same batch.
 * Ids that are not the tenant's are ignored. Returns how many were deleted.
 */
export async function deleteContacts(
  db: Database,
  tenantId: string,
  actor: DeleteActor,
  ids: number[],
  now: number,
  opts: { bulk: boolean; erase?: EraseOptions },
): Promise<number> {
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const owned = (await ownedContacts(db, tenantId, unique)).map((c) => c.id);
  if (owned.length === 0) return 0;
  const fields = await listCustomFields(db, tenantId, "contact");
  const idsJson = JSON.stringify(owned);
  const valueStatements = fields.length ? [deleteValuesStatement(db, tenantId, fields, owned)] : [];
  const suppressKey = opts.erase?.suppressKey;
  const suppression = suppressKey
    ? await suppressStatements(
        db,
        tenantId,
        suppressKey,
        (
          await db
            .select({ email: contactEmails.email })
            .from(contactEmails)
            .where(
              and(
                eq(contactEmails.tenantId, tenantId),
                sql`${contactEmails.contactId} IN (SELECT value FROM json_each(${idsJson}))`,
              ),
            )
        ).map((r) => r.email),
        now,
      )
    : [];
  const action = opts.erase ? "record.erased" : "record.deleted";
  const eraseDetail: Record<string, boolean> = opts.erase ? { suppressed: suppression.length > 0 } : {};
  // The audit trail is append-only, so it names contacts by id only: a deleted person's name must not
  // outlive them there.
  const audit = opts.bulk
    ? auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetLabel: `${owned.length} contacts (bulk)`,
        detail: { bulk: true, count: owned.length, ids: owned.join(" "), ...eraseDetail },
        ip: actor.ip,
        userAgent: actor.userAgent,
        now,
      })
    : auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetId: String(owned[0]),
        targetLabel: `Contact #${owned[0]}`,
        ...(opts.erase ? { detail: eraseDetail } : {}),
        ip: actor.ip,
        userAgent: actor.userAgent,
        now,
      });
  const results = await db.batch([
    // Counted inside the batch, just before the delete: if someone else deleted some of these a
    // moment ago, they are not subtracted twice.
    db
      .update(tenantCounters)
      .set({
        contacts: sql`max(0, ${tenantCounters.contacts} - (SELECT count(*) FROM (${ownedIdsSql(tenantId, owned)})))`,
      })
      .where(eq(tenantCounters.tenantId, tenantId)),
    ...deleteNotesOfStatements(db, tenantId, "contact", owned),
    ...valueStatements,
    db
      .delete(activities)
      .where(
        and(
          eq(activities.tenantId, tenantId),
          eq(activities.subjectType, "contact"),
          sql`${activities.subjectId} IN (SELECT value FROM json_each(${idsJson}))`,
        ),
      ),
    db
      .delete(recentViews)
      .where(
        and(
          eq(recentViews.tenantId, tenantId),
          eq(recentViews.subjectType, "contact"),
          sql`${recentViews.subjectId} IN (SELECT value FROM json_each(${idsJson}))`,
        ),
      ),
    // The import history keeps what an import wrote about a person (for undo); once they are gone it
    // must not keep them, and undo has nothing left to do for them.
    db
      .delete(importRecords)
      .where(
        and(
          eq(importRecords.tenantId, tenantId),
          eq(importRecords.entityType, "contact"),
          sql`${importRecords.entityId} IN (SELECT value FROM json_each(${idsJson}))`,
        ),
      ),
    ...suppression,
    audit,
    // The tenant condition is inside the id list, which drives the delete by primary key.
    db
      .delete(contacts)
      .where(sql`${contacts.id} IN (${ownedIdsSql(tenantId, owned)})`)
      .returning({ id: contacts.id }),
  ]);
  return (results[results.length - 1] as { id: number }[]).length;
}

/**
 * Attaches a tag to the tenant's contacts among `ids` (those that have it already are left alone),
 * with a timeline entry on each contact it changes. Null when the tag is not the tenant's.
 */
export async function tagContacts(
  db: Database,
  tenantId: string,
  actorId: string,
  ids: number[],
  tagId: number,
  now: number,
): Promise<number | null> {
  const tag = (await listTags(db, tenantId)).find((t) => t.id === tagId);
  if (!tag) return null;
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const lacking = sql`SELECT c.id FROM json_each(${JSON.stringify(unique)}) j CROSS JOIN contacts c ON c.id = j.value
    WHERE c.tenant_id = ${tenantId} AND NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tenant_id = c.tenant_id AND ct.contact_id = c.id AND ct.tag_id = ${tagId})`;
  const changes = JSON.stringify({ tags: [null, tag.name] });
  const [, , added] = await db.batch([
    db
      .insert(activities)
      .select(sql`SELECT NULL, ${tenantId}, 'contact', id, ${actorId}, 'tagged', ${changes}, ${now} FROM (${lacking})`),
    db.update(contacts).set({ updatedAt: now, lastActivityAt: now }).where(sql`${contacts.id} IN (${lacking})`),
    db
      .insert(contactTags)
      .select(
        sql`SELECT c.tenant_id, c.id, t.id FROM json_each(${JSON.stringify(unique)}) j CROSS JOIN contacts c ON c.id = j.value
          JOIN tags t ON t.id = ${tagId} AND t.tenant_id = c.tenant_id WHERE c.tenant_id = ${tenantId}`,
      )
      .onConflictDoNothing()
      .returning({ contactId: contactTags.contactId }),
  ]);
  return added.length;
}

/** Removes a tag from the tenant's contacts among `ids`. Null when the tag is not the tenant's. */
export async function untagContacts(
  db: Database,
  tenantId: string,
  actorId: string,
  ids: number[],
  tagId: number,
  now: number,
): Promise<number | null> {
  const tag = (await listTags(db, tenantId)).find((t) => t.id === tagId);
  if (!tag) return null;
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const having = sql`SELECT c.id FROM json_each(${JSON.stringify(unique)}) j CROSS JOIN contacts c ON c.id = j.value
    WHERE c.tenant_id = ${tenantId} AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tenant_id = c.tenant_id AND ct.contact_id = c.id AND ct.tag_id = ${tagId})`;
  const changes = JSON.stringify({ tags: [tag.name, null] });
  const [, , removed] = await db.batch([
    db
      .insert(activities)
      .select(sql`SELECT NULL, ${tenantId}, 'contact', id, ${actorId}, 'tagged', ${changes}, ${now} FROM (${having})`),
    db.update(contacts).set({ updatedAt: now, lastActivityAt: now }).where(sql`${contacts.id} IN (${having})`),
    db
      .delete(contactTags)
      .where(
        and(
          eq(contactTags.tenantId, tenantId),
          eq(contactTags.tagId, tagId),
          sql`${contactTags.contactId} IN (SELECT value FROM json_each(${JSON.stringify(unique)}))`,
        ),
      )
      .returning({ contactId: contactTags.contactId }),
  ]);
  return removed.length;
}

// ---- the list ---------------------------------------------------------------------------------

/** Where a page starts: the last (or, going back, the first) row's sort value and id. */
export interface ContactCursor {
  sort: ContactSort;
  dir: SortDirection;
  value: string | number;
  id: number;
  /** True for a "Previous" link: the rows before this one. */
  back: boolean;
}

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeCursor(c: ContactCursor): string {
  const json = JSON.stringify({ s: c.sort, d: c.dir, v: c.value, i: c.id, ...(c.back ? { b: 1 } : {}) });
  return encodeBase64urlNoPadding(new TextEncoder().encode(json));
}

/** A cursor from a URL, or null when it is malformed or belongs to another sort order. */
export function decodeCursor(raw: string | undefined, sort: ContactSort, dir: SortDirection): ContactCursor | null {
  if (!raw || raw.length > 1000) return null;
  try {
    const o = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(decodeBase64urlIgnorePadding(raw)),
    ) as Record<string, unknown>;
    if (o.s !== sort || o.d !== dir || !Number.isSafeInteger(o.i)) return null;
    const textSort = sort === "name" || sort === "company";
    if (textSort ? typeof o.v !== "string" || o.v.length > 500 : !Number.isSafeInteger(o.v)) return null;
    return { sort, dir, value: o.v as string | number, id: o.i as number, back: o.b === 1 };
  } catch {
    return null;
  }
}

export interface ContactListQuery {
  sort: ContactSort;
  dir: SortDirection;
  /** The FTS5 MATCH expression (from ftsQuery), or null for no search. */
  match: string | null;
  tagId: number | null;
  companyId: number | null;
  ownerId: string | null;
  /** Custom field equality filters: values already in canonical form. */
  custom: { fieldId: number; value: string }[];
  cursor: ContactCursor | null;
}

export interface ContactListRow {
  id: number;
  firstName: string;
  lastName: string;
  primaryEmail: string | null;
  primaryPhone: string | null;
  companyId: number | null;
  companyName: string | null;
  ownerId: string | null;
  updatedAt: number;
  /** The value of the column the page is sorted by, for the cursors. */
  sortValue: string | number;
  /** Comma-separated tag ids, or null. */
  tagIds: string | null;
}

/**
 * The columns of a list row: what the table shows, and the sort column's value once (the cursors
 * need it for the first and last rows), rather than every sortable column for every row.
 */
const listFields = (sort: ContactSort) => ({
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  primaryEmail: contacts.primaryEmail,
  primaryPhone: contacts.primaryPhone,
  companyId: contacts.companyId,
  companyName: contacts.companyName,
  ownerId: contacts.ownerId,
  updatedAt: contacts.updatedAt,
  sortValue: sql<string | number>`${SORT_COLUMNS[sort]}`.as("sort_value"),
  // The row's tag ids, looked up on contact_tags' primary key: no second query for the page's tags.
  tagIds: sql<
    string | null
  >`(SELECT group_concat(${contactTags.tagId}) FROM ${contactTags} WHERE ${contactTags.tenantId} = ${contacts.tenantId} AND ${contactTags.contactId} = ${contacts.id})`,
});

/**
 * The query for one page of the list (PAGE_SIZE + 1 rows, to know whether there is more). Exported
 * so tests can EXPLAIN exactly this SQL. Keyset paging: (sort column, id) beyond the cursor, on the
 * index (tenant_id, sort column, id); never OFFSET.
 */
export function contactsListQuery(db: Database, tenantId: string, q: ContactListQuery) {
  const column = SORT_COLUMNS[q.sort];
  const back = q.cursor?.back ?? false;
  // Going back reads the other way from the cursor; the rows are put back in order afterwards.
  const ascending = (q.dir === "asc") !== back;
  const conditions: SQL[] = [eq(contacts.tenantId, tenantId)];
  if (q.companyId !== null) conditions.push(eq(contacts.companyId, q.companyId));
  if (q.ownerId !== null) conditions.push(eq(contacts.ownerId, q.ownerId));
  if (q.tagId !== null) {
    conditions.push(
      sql`${contacts.id} IN (SELECT contact_id FROM contact_tags WHERE tenant_id = ${tenantId} AND tag_id = ${q.tagId})`,
    );
  }
  for (const f of q.custom.slice(0, 5)) {
    conditions.push(
      sql`${contacts.id} IN (SELECT entity_id FROM custom_field_values WHERE tenant_id = ${tenantId} AND field_id = ${f.fieldId} AND value = ${f.value})`,
    );
  }
  // In a search sorted by creation, order by the contact id (the search index's rowid; ids grow with
  // creation) so SQLite streams matches from the index and stops after one page instead of sorting
  // every match. The cursor's id alone is the keyset then.
  const byRowid = q.match !== null && q.sort === "created";
  if (q.cursor) {
    if (byRowid)
      conditions.push(ascending ? sql`contacts_fts.rowid > ${q.cursor.id}` : sql`contacts_fts.rowid < ${q.cursor.id}`);
    else
      conditions.push(
        ascending
          ? sql`(${column}, ${contacts.id}) > (${q.cursor.value}, ${q.cursor.id})`
          : sql`(${column}, ${contacts.id}) < (${q.cursor.value}, ${q.cursor.id})`,
      );
  }
  const order = byRowid
    ? [ascending ? sql`contacts_fts.rowid ASC` : sql`contacts_fts.rowid DESC`]
    : ascending
      ? [asc(column), asc(contacts.id)]
      : [desc(column), desc(contacts.id)];
  if (q.match !== null) {
    // The search index drives (CROSS JOIN fixes SQLite's join order): its MATCH always names the
    // tenant's token, and contacts are joined by rowid with the tenant condition repeated. Left to
    // itself the planner may walk the tenant's sort index and probe the search index row by row,
    // which costs the whole tenant when matches are rare; this way a search costs its matches.
    conditions.push(sql`contacts_fts MATCH ${q.match}`, sql`${contacts.id} = contacts_fts.rowid`);
    return db
      .select(listFields(q.sort))
      .from(sql`contacts_fts`)
      .crossJoin(contacts)
      .where(and(...conditions))
      .orderBy(...order)
      .limit(CONTACTS_PAGE_SIZE + 1);
  }
  return db
    .select(listFields(q.sort))
    .from(contacts)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(CONTACTS_PAGE_SIZE + 1);
}

export interface ContactListPage {
  rows: ContactListRow[];
  next: ContactCursor | null;
  previous: ContactCursor | null;
}

/** One page of the tenant's contacts, with cursors for the pages after and before it. */
export async function listContacts(db: Database, tenantId: string, q: ContactListQuery): Promise<ContactListPage> {
  const fetched = (await contactsListQuery(db, tenantId, q)) as ContactListRow[];
  // Nothing before the cursor any more (those rows were deleted): start from the beginning.
  if ((q.cursor?.back ?? false) && fetched.length === 0) return listContacts(db, tenantId, { ...q, cursor: null });
  return pageOf(fetched, q);
}

/** The page (rows in order, cursors) from the PAGE_SIZE + 1 rows the list query fetched. */
function pageOf(fetched: ContactListRow[], q: ContactListQuery): ContactListPage {
  const back = q.cursor?.back ?? false;
  const more = fetched.length > CONTACTS_PAGE_SIZE;
  const rows = fetched.slice(0, CONTACTS_PAGE_SIZE);
  if (back) rows.reverse();
  const at = (row: ContactListRow | undefined, isBack: boolean): ContactCursor | null =>
    row ? { sort: q.sort, dir: q.dir, value: row.sortValue, id: row.id, back: isBack } : null;
  // Forward: there is a next page when a row beyond this page came back; a previous one when we came
  // from somewhere. Backward: the other way round.
  const hasNext = back ? true : more;
  const hasPrevious = back ? more : q.cursor !== null;
  return {
    rows,
    next: hasNext ? at(rows.at(-1), false) : null,
    previous: hasPrevious ? at(rows[0], true) : null,
  };
}

export interface ContactListView {
  page: ContactListPage;
  customFields: CustomField[];
  tags: Tag[];
  tagsByContact: Map<number, Tag[]>;
  members: Member[];
  total: number;
  companyName: string | null;
}

/**
 * Everything the list page reads (the page of contacts with their tag ids, the tenant's custom
 * fields, tags, members, record count and the filtered company's name), as statements for ONE D1
 * batch; the route puts the session check in the same batch (withSessionBatch). Each round trip costs
 * about as much as the work it carries at this size.
 */
export function contactsListStatements(db: Database, tenantId: string, q: ContactListQuery, companyId: number | null) {
  // Two statements: the page, and the page's context aggregated into one row of JSON in SQL.
  return [
    contactsListQuery(db, tenantId, q),
    db
      .select({
        fields: sql<string>`(SELECT json_group_array(json_object('id', id, 'tenantId', tenant_id, 'entity', entity, 'name', name, 'nameKey', name_key, 'kind', kind, 'options', options, 'position', position, 'createdAt', created_at)) FROM (SELECT * FROM ${customFields} WHERE ${customFields.tenantId} = ${tenantId} AND ${customFields.entity} = 'contact' ORDER BY ${customFields.position}, ${customFields.id}))`,
        tags: sql<string>`(SELECT json_group_array(json_object('id', id, 'name', name, 'color', color)) FROM (SELECT ${tags.id} AS id, ${tags.name} AS name, ${tags.color} AS color FROM ${tags} WHERE ${tags.tenantId} = ${tenantId} ORDER BY ${tags.nameKey}))`,
        members: sql<string>`(SELECT json_group_array(json_object('userId', user_id, 'email', email)) FROM (SELECT ${memberships.userId} AS user_id, ${users.email} AS email FROM ${memberships} JOIN ${users} ON ${users.id} = ${memberships.userId} WHERE ${memberships.tenantId} = ${tenantId} ORDER BY ${users.email}))`,
        total: sql<
          number | null
        >`(SELECT ${tenantCounters.contacts} FROM ${tenantCounters} WHERE ${tenantCounters.tenantId} = ${tenantId})`,
        company: sql<
          string | null
        >`(SELECT ${companies.name} FROM ${companies} WHERE ${companies.tenantId} = ${tenantId} AND ${companies.id} = ${companyId ?? 0})`,
      })
      .from(sql`(SELECT 1)`),
  ] as const;
}

/** The list page's view from what contactsListStatements read (in a batch, maybe with the session check). */
export async function contactsListFromResults(
  db: Database,
  tenantId: string,
  q: ContactListQuery,
  results: unknown[],
): Promise<ContactListView> {
  const [fetched, contextRows] = results as [
    ContactListRow[],
    { fields: string; tags: string; members: string; total: number | null; company: string | null }[],
  ];
  const context = contextRows[0]!;
  const fieldRows = JSON.parse(context.fields) as (typeof customFields.$inferSelect)[];
  const tagRows = JSON.parse(context.tags) as Tag[];
  const members = JSON.parse(context.members) as Member[];
  const counterRows = [{ contacts: context.total ?? 0 }];
  const companyRows = context.company === null ? [] : [{ name: context.company }];
  const rows = fetched as ContactListRow[];
  const page =
    (q.cursor?.back ?? false) && rows.length === 0
      ? await listContacts(db, tenantId, { ...q, cursor: null })
      : pageOf(rows, q);
  const tagById = new Map(tagRows.map((t) => [t.id, t]));
  const tagsByContact = new Map<number, Tag[]>();
  for (const r of page.rows) {
    const ids = r.tagIds ? r.tagIds.split(",").map(Number) : [];
    tagsByContact.set(
      r.id,
      ids
        .map((id) => tagById.get(id))
        .filter((t): t is Tag => t !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  return {
    page,
    customFields: fieldRows.map(toCustomField),
    tags: tagRows,
    tagsByContact,
    members,
    total: counterRows[0]?.contacts ?? 0,
    companyName: companyRows[0]?.name ?? null,
  };
}

export type { CustomField, Tag };
