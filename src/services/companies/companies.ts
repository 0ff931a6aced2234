/**
 * Companies: create, read, update, delete and the list, tenant-scoped. Every write goes in one
 * db.batch with its activity entry and counter change, so a record never exists without them.
 */
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import {
  activities,
  companies,
  companyTags,
  contacts,
  customFieldValues,
  memberships,
  notes,
  recentViews,
  tags,
  tenantCounters,
  tenants,
  users,
} from "../../db/schema";
import { normalizeDomain } from "../../lib/domain";
import { normalizePhone } from "../../lib/phone";
import { parseForm, text, type FieldErrors } from "../../lib/validation";
import { activityFromRows, activityInsert, activityQuery, type ActivityEntry } from "../records/activity";
import { auditInsert } from "../audit/audit";
import { counterChange } from "../records/counters";
import {
  customFieldsQuery,
  listCustomFields,
  parseCustomFieldsForm,
  recordValuesQuery,
  saveValuesStatements,
  toCustomField,
  valuesOfRecord,
  type CustomField,
} from "../records/custom-fields";
import { notesFromRows, notesQuery, type Note } from "../records/notes";
import { listTags, TAG_COLORS, tagsByRecord, tagsForQuery, type Tag } from "../records/tags";

/** Head-count ranges offered by the size select. */
export const COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001+"] as const;
export const COMPANY_PAGE_SIZE = 50;
/** How many of a company's contacts its page shows; the contacts list shows them all. */
export const COMPANY_CONTACTS_SHOWN = 100;
export const COMPANY_NAME_MAX = 200;
const TAG_NAME_MAX = 50;

export interface Company {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  address: string | null;
  phone: string | null;
  ownerId: string | null;
  ownerEmail: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Member {
  userId: string;
  email: string;
}

/** What the company form needs to be shown and checked: the tenant's phone region, tags, fields, members. */
export interface CompanyFormContext {
  region: string;
  tags: Tag[];
  fields: CustomField[];
  members: Member[];
}

/** Loads the company form's context (four small queries, in one round trip). */
export async function companyFormContext(db: Database, tenantId: string): Promise<CompanyFormContext> {
  const [region, tagRows, fields, members] = await Promise.all([
    db.select({ region: tenants.defaultRegion }).from(tenants).where(eq(tenants.id, tenantId)).limit(1),
    listTags(db, tenantId),
    listCustomFields(db, tenantId, "company"),
    db
      .select({ userId: memberships.userId, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(asc(users.email)),
  ]);
  return { region: region[0]?.region ?? "US", tags: tagRows, fields, members };
}

/** A company as the form submits it, checked and normalised. */
export interface CompanyInput {
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  address: string | null;
  phone: string | null;
  ownerId: string | null;
  /** Tags of the tenant (checked against the context). */
  tagIds: number[];
  /** A tag to create (or reuse, whatever its case) and attach. */
  newTag: string | null;
  customValues: Map<number, string | null>;
}

const optional = (label: string, max: number) => z.preprocess((v) => (v === undefined ? "" : v), text(label, { max }));

const companySchema = z.object({
  name: z.preprocess((v) => (v === undefined ? "" : v), text("Name", { min: 1, max: COMPANY_NAME_MAX })),
  domain: optional("Domain", 300),
  industry: optional("Industry", 100),
  size: z.preprocess(
    (v) => (v === undefined ? "" : v),
    z.union([z.literal(""), z.enum(COMPANY_SIZES)], { error: "Choose one of the sizes." }),
  ),
  address: optional("Address", 500),
  phone: optional("Phone", 60),
  owner_id: optional("Owner", 100),
  new_tag: optional("New tag", TAG_NAME_MAX),
});

export type CompanyFormResult = { ok: true; input: CompanyInput } | { ok: false; errors: FieldErrors };

/** Checks a submitted company form against the tenant's context. Nothing is read or written here. */
export function validateCompanyForm(ctx: CompanyFormContext, body: Record<string, unknown>): CompanyFormResult {
  const parsed = parseForm(companySchema, body);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const d = parsed.ok ? parsed.data : null;

  let domain: string | null = null;
  if (d?.domain) {
    const r = normalizeDomain(d.domain);
    if (r.ok) domain = r.domain;
    else errors.domain = r.message;
  }
  let phone: string | null = null;
  if (d?.phone) {
    const r = normalizePhone(d.phone, ctx.region);
    if (r.ok) phone = r.e164;
    else errors.phone = r.message;
  }
  if (d?.owner_id && !ctx.members.some((m) => m.userId === d.owner_id))
    errors.owner_id = "Choose a member of this workspace.";

  // Checkboxes arrive as one string or a list of strings; anything else, or an id that is not one of
  // this tenant's tags, refuses the whole form rather than silently dropping it.
  const rawTags = body.tag_ids === undefined ? [] : Array.isArray(body.tag_ids) ? body.tag_ids : [body.tag_ids];
  const owned = new Set(ctx.tags.map((t) => t.id));
  const tagIds: number[] = [];
  for (const raw of rawTags) {
    const id = typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    if (!owned.has(id)) {
      errors.tag_ids = "Choose tags from the list.";
      break;
    }
    if (!tagIds.includes(id)) tagIds.push(id);
  }
  let newTag: string | null = null;
  if (d?.new_tag) {
    const existing = ctx.tags.find((t) => t.name.toLowerCase() === d.new_tag.toLowerCase());
    if (existing) {
      if (!tagIds.includes(existing.id)) tagIds.push(existing.id);
    } else newTag = d.new_tag;
  }

  const custom = parseCustomFieldsForm(ctx.fields, body);
  if (!custom.ok) Object.assign(errors, custom.errors);

  if (Object.keys(errors).length || !d || !custom.ok) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: d.name,
      domain,
      industry: d.industry || null,
      size: d.size || null,
      address: d.address || null,
      phone,
      ownerId: d.owner_id || null,
      tagIds,
      newTag,
      customValues: custom.values,
    },
  };
}

/** The tenant's companies with this (normalised) domain, for the duplicate warning. */
export async function companiesWithDomain(
  db: Database,
  tenantId: string,
  domain: string,
  exceptId?: number,
): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(and(eq(companies.tenantId, tenantId), eq(companies.domain, domain)))
    .limit(5);
  return rows.filter((r) => r.id !== exceptId);
}

/** The sort key of a name: lower case, as the name index and contacts' company_sort hold it. */
export function nameSortKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Statements that attach tags to a company: the checked tag ids (one JSON parameter, however many)
 * and the new tag by name, created first if it does not exist. `companyId` may be a subquery.
 */
function tagStatements(
  db: Database,
  tenantId: string,
  companyId: number | SQL,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
) {
  const statements = [];
  const newKey = input.newTag?.toLowerCase() ?? null;
  if (input.newTag) {
    const color = TAG_COLORS[ctx.tags.length % TAG_COLORS.length]!;
    statements.push(
      db
        .insert(tags)
        .values({ tenantId, name: input.newTag, nameKey: newKey!, color, createdAt: now })
        .onConflictDoNothing(),
    );
  }
  if (input.tagIds.length || newKey) {
    statements.push(
      db
        .insert(companyTags)
        .select(
          db
            .select({
              tenantId: sql<string>`${tenantId}`.as("tenant_id"),
              companyId: sql<number>`${companyId}`.as("company_id"),
              tagId: tags.id,
            })
            .from(tags)
            .where(
              and(
                eq(tags.tenantId, tenantId),
                sql`(${tags.id} IN (SELECT value FROM json_each(${JSON.stringify(input.tagIds)})) OR ${tags.nameKey} = ${newKey})`,
              ),
            ),
        )
        .onConflictDoNothing(),
    );
  }
  return statements;
}

/**
 * Creates a company with its tags, custom values, "created" activity and counter, in one batch.
 * The statements after the insert find the new row as the tenant's highest id created at `now`:
 * a batch is one transaction, so no other write can come between.
 */
export async function createCompany(
  db: Database,
  tenantId: string,
  actorId: string,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
): Promise<number> {
  const newId = sql`(SELECT max(${companies.id}) FROM ${companies} WHERE ${companies.tenantId} = ${tenantId} AND ${companies.createdAt} = ${now})`;
  const values = [...input.customValues].filter((e): e is [number, string] => e[1] !== null);
  const [inserted] = await db.batch([
    db
      .insert(companies)
      .values({
        tenantId,
        name: input.name,
        nameSort: nameSortKey(input.name),
        domain: input.domain,
        industry: input.industry,
        size: input.size,
        address: input.address,
        phone: input.phone,
        ownerId: input.ownerId,
        createdBy: actorId,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: companies.id }),
    ...tagStatements(db, tenantId, newId, input, ctx, now),
    ...values.map(([fieldId, value]) =>
      db.insert(customFieldValues).values({ tenantId, fieldId, entityId: newId as unknown as number, value }),
    ),
    db.insert(activities).values({
      tenantId,
      subjectType: "company",
      subjectId: newId as unknown as number,
      actorId,
      kind: "created",
      detail: null,
      createdAt: now,
    }),
    counterChange(db, tenantId, { companies: 1 }),
  ]);
  return inserted[0]!.id;
}

/** A company of the tenant with its owner's email, or null. */
export async function getCompany(db: Database, tenantId: string, id: number): Promise<Company | null> {
  return (await companyQuery(db, tenantId, id))[0] ?? null;
}

/** The query behind getCompany, for batches. Column names are unique. */
function companyQuery(db: Database, tenantId: string, id: number) {
  return db
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      industry: companies.industry,
      size: companies.size,
      address: companies.address,
      phone: companies.phone,
      ownerId: companies.ownerId,
      ownerEmail: users.email,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
    })
    .from(companies)
    .leftJoin(users, eq(users.id, companies.ownerId))
    .where(and(eq(companies.tenantId, tenantId), eq(companies.id, id)))
    .limit(1);
}

/** A company with what its edit form shows (tags, custom values), or null; one round trip. */
export async function getCompanyForEdit(db: Database, tenantId: string, id: number) {
  const [companyRows, tagRows, valueRows] = await db.batch([
    companyQuery(db, tenantId, id),
    tagsForQuery(db, tenantId, "company", [id]),
    recordValuesQuery(db, tenantId, "company", id),
  ]);
  const company = companyRows[0];
  if (!company) return null;
  return { company, tags: tagsByRecord(tagRows).get(id) ?? [], values: valuesOfRecord(valueRows) };
}

export interface CompanyContact {
  id: number;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  primaryEmail: string | null;
}

export interface CompanyPageData {
  company: Company;
  tags: Tag[];
  fields: CustomField[];
  values: Map<number, string>;
  contacts: CompanyContact[];
  /** Whether the company has more contacts than the page shows. */
  moreContacts: boolean;
  notes: Note[];
  activity: ActivityEntry[];
}

/**
 * Everything the company page shows (the company and its owner, tags, the tenant's company fields
 * and its values, its first contacts, notes and activity) as statements for ONE D1 batch, none
 * depending on another's answer, whatever the number of contacts, notes or values; the route adds
 * the session check to the same batch (withSessionBatch). Every statement is scoped by tenant and id.
 */
export function companyPageStatements(db: Database, tenantId: string, id: number) {
  return [
    companyQuery(db, tenantId, id),
    tagsForQuery(db, tenantId, "company", [id]),
    customFieldsQuery(db, tenantId, "company"),
    recordValuesQuery(db, tenantId, "company", id),
    // contacts_tenant_company_idx: (tenant_id, company_id, name_sort, id).
    db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        jobTitle: contacts.jobTitle,
        primaryEmail: contacts.primaryEmail,
      })
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.companyId, id)))
      .orderBy(asc(contacts.nameSort), asc(contacts.id))
      .limit(COMPANY_CONTACTS_SHOWN + 1),
    notesQuery(db, tenantId, "company", id),
    activityQuery(db, tenantId, "company", id),
  ] as const;
}

/** The company page's data from what companyPageStatements read; null when there is no such company. */
export function companyPageFromResults(id: number, results: unknown[]): CompanyPageData | null {
  const [companyRows, tagRows, fieldRows, valueRows, contactRows, noteRows, activityRows] = results as [
    Awaited<ReturnType<typeof companyQuery>>,
    Awaited<ReturnType<typeof tagsForQuery>>,
    Awaited<ReturnType<typeof customFieldsQuery>>,
    Awaited<ReturnType<typeof recordValuesQuery>>,
    CompanyContact[],
    Awaited<ReturnType<typeof notesQuery>>,
    Awaited<ReturnType<typeof activityQuery>>,
  ];
  const company = companyRows[0];
  if (!company) return null;
  return {
    company,
    tags: tagsByRecord(tagRows).get(id) ?? [],
    values: valuesOfRecord(valueRows),
    fields: fieldRows.map(toCustomField),
    contacts: contactRows.slice(0, COMPANY_CONTACTS_SHOWN),
    moreContacts: contactRows.length > COMPANY_CONTACTS_SHOWN,
    notes: notesFromRows(noteRows),
    activity: activityFromRows(activityRows),
  };
}

/** Sets a tag list apart for comparison: names, sorted. */
const tagNames = (list: { name: string }[]) => list.map((t) => t.name).sort((a, b) => a.localeCompare(b));

/**
 * Updates a company: its fields, tags and custom values, the copy of its name on its contacts (the
 * contacts' search index follows through its triggers), and an "updated" activity with what changed,
 * all in one batch. Returns false when the company is not the tenant's; true (and writes nothing)
 * when nothing changed.
 */
export async function updateCompany(
  db: Database,
  tenantId: string,
  actorId: string,
  id: number,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
): Promise<boolean> {
  const before = await getCompanyForEdit(db, tenantId, id);
  if (!before) return false;
  const b = before.company;
  const changes: Record<string, [unknown, unknown]> = {};
  const scalar: [string, unknown, unknown][] = [
    ["name", b.name, input.name],
    ["domain", b.domain, input.domain],
    ["industry", b.industry, input.industry],
    ["size", b.size, input.size],
    ["address", b.address, input.address],
    ["phone", b.phone, input.phone],
    ["owner", b.ownerEmail, ctx.members.find((m) => m.userId === input.ownerId)?.email ?? null],
  ];
  for (const [field, from, to] of scalar)
    if ((from ?? null) !== (to ?? null)) changes[field] = [from ?? null, to ?? null];
  if (b.ownerId !== input.ownerId && !changes.owner) changes.owner = [b.ownerEmail, null];

  const afterTags = tagNames([
    ...ctx.tags.filter((t) => input.tagIds.includes(t.id)),
    ...(input.newTag ? [{ name: input.newTag }] : []),
  ]);
  const beforeTags = tagNames(before.tags);
  if (afterTags.join("\n") !== beforeTags.join("\n")) changes.tags = [beforeTags, afterTags];

  const changedValues = new Map<number, string | null>();
  for (const [fieldId, value] of input.customValues) {
    const old = before.values.get(fieldId) ?? null;
    if (old === value) continue;
    changedValues.set(fieldId, value);
    const field = ctx.fields.find((f) => f.id === fieldId)!;
    changes[field.name] = [old, value];
  }
  if (Object.keys(changes).length === 0) return true;

  const renamed = input.name !== b.name;
  await db.batch([
    db
      .update(companies)
      .set({
        name: input.name,
        nameSort: nameSortKey(input.name),
        domain: input.domain,
        industry: input.industry,
        size: input.size,
        address: input.address,
        phone: input.phone,
        ownerId: input.ownerId,
        updatedAt: now,
        lastActivityAt: now,
      })
      .where(and(eq(companies.tenantId, tenantId), eq(companies.id, id))),
    ...(changes.tags
      ? [
          db.delete(companyTags).where(and(eq(companyTags.tenantId, tenantId), eq(companyTags.companyId, id))),
          ...tagStatements(db, tenantId, id, input, ctx, now),
        ]
      : []),
    ...saveValuesStatements(db, tenantId, id, changedValues),
    // contacts_tenant_company_idx finds them; the contacts_fts_update trigger re-indexes each one.
    ...(renamed
      ? [
          db
            .update(contacts)
            .set({ companyName: input.name, companySort: nameSortKey(input.name) })
            .where(and(eq(contacts.tenantId, tenantId), eq(contacts.companyId, id))),
        ]
      : []),
    activityInsert(db, { tenantId, subjectType: "company", subjectId: id, actorId, kind: "updated", changes, now }),
  ]);
  return true;
}

/**
 * Deletes a company. Its contacts stay, without a company; its notes, tags, custom values, timeline
 * and recent views go; the counters and the audit trail follow, all in one batch. False when the
 * company is not the tenant's.
 */
export async function deleteCompany(
  db: Database,
  tenantId: string,
  actor: { userId: string },
  id: number,
  meta: { ip: string | null; userAgent: string | null; now: number },
): Promise<boolean> {
  const company = await getCompany(db, tenantId, id);
  if (!company) return false;
  const ofCompany = and(eq(notes.tenantId, tenantId), eq(notes.subjectType, "company"), eq(notes.subjectId, id));
  // For the audit entry only: the counters below count inside the batch, so they stay exact even if
  // a note is added meanwhile or the same company is deleted twice at once.
  const [{ n: noteCount }] = (await db.select({ n: sql<number>`count(*)` }).from(notes).where(ofCompany)) as [
    { n: number },
  ];
  await db.batch([
    db
      .update(tenantCounters)
      .set({
        companies: sql`max(0, ${tenantCounters.companies} - (SELECT count(*) FROM companies c WHERE c.tenant_id = ${tenantId} AND c.id = ${id}))`,
        notes: sql`max(0, ${tenantCounters.notes} - (SELECT count(*) FROM notes n WHERE n.tenant_id = ${tenantId} AND n.subject_type = 'company' AND n.subject_id = ${id}))`,
      })
      .where(eq(tenantCounters.tenantId, tenantId)),
    db
      .update(contacts)
      .set({ companyId: null, companyName: null, companySort: "" })
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.companyId, id))),
    db.delete(notes).where(ofCompany),
    db
      .delete(customFieldValues)
      .where(
        and(
          eq(customFieldValues.tenantId, tenantId),
          eq(customFieldValues.entityId, id),
          sql`${customFieldValues.fieldId} IN (SELECT id FROM custom_fields WHERE tenant_id = ${tenantId} AND entity = 'company')`,
        ),
      ),
    db.delete(companyTags).where(and(eq(companyTags.tenantId, tenantId), eq(companyTags.companyId, id))),
    db
      .delete(activities)
      .where(
        and(eq(activities.tenantId, tenantId), eq(activities.subjectType, "company"), eq(activities.subjectId, id)),
      ),
    db
      .delete(recentViews)
      .where(
        and(eq(recentViews.tenantId, tenantId), eq(recentViews.subjectType, "company"), eq(recentViews.subjectId, id)),
      ),
    db.delete(companies).where(and(eq(companies.tenantId, tenantId), eq(companies.id, id))),
    auditInsert(db, {
      tenantId,
      actorUserId: actor.userId,
      action: "record.deleted",
      targetType: "company",
      targetId: String(id),
      targetLabel: company.name,
      detail: { notes: noteCount },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return true;
}

// ---- The list -------------------------------------------------------------------------------------

export const COMPANY_SORTS = ["name", "created", "updated"] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

export interface CompanyListParams {
  sort: CompanySort;
  dir: "asc" | "desc";
  /** A name prefix, matched on the name index (lower-cased). */
  q: string;
  tagId: number | null;
  cursor: string | null;
}

export interface CompanyRow {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  updatedAt: number;
  createdAt: number;
}

/** A page cursor: the sort key and id of the last row shown, base64url JSON (opaque to users). */
function encodeCursor(key: string | number, id: number): string {
  return btoa(JSON.stringify([key, id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function decodeCursor(cursor: string | null, sort: CompanySort): [string | number, number] | null {
  if (!cursor || cursor.length > 1200) return null;
  try {
    const v = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || !Number.isSafeInteger(v[1])) return null;
    if (sort === "name" ? typeof v[0] !== "string" : !Number.isSafeInteger(v[0])) return null;
    return [v[0] as string | number, v[1] as number];
  } catch {
    return null;
  }
}

// The largest code point: every string that starts with a prefix sorts below prefix + this.
const PREFIX_END = "\u{10FFFF}";

/**
 * One page of companies by keyset: the sort key and id of the last row of the previous page, never
 * OFFSET, and no COUNT(*). Each sort has an index that starts (tenant_id, key, id); a name prefix is
 * a range on the name index, so searching sorts by name.
 */
export async function listCompanies(
  db: Database,
  tenantId: string,
  params: CompanyListParams,
): Promise<{ rows: (CompanyRow & { tags: Tag[] })[]; nextCursor: string | null }> {
  const q = nameSortKey(params.q.trim()).slice(0, COMPANY_NAME_MAX);
  const sort: CompanySort = q ? "name" : params.sort;
  const key = sort === "name" ? companies.nameSort : sort === "created" ? companies.createdAt : companies.updatedAt;
  const after = decodeCursor(params.cursor, sort);
  const desc_ = params.dir === "desc";
  const conditions: (SQL | undefined)[] = [eq(companies.tenantId, tenantId)];
  if (q) conditions.push(sql`${companies.nameSort} >= ${q}`, sql`${companies.nameSort} < ${q + PREFIX_END}`);
  if (after)
    conditions.push(
      desc_
        ? sql`(${key}, ${companies.id}) < (${after[0]}, ${after[1]})`
        : sql`(${key}, ${companies.id}) > (${after[0]}, ${after[1]})`,
    );
  if (params.tagId !== null) {
    conditions.push(
      sql`${companies.id} IN (SELECT ${companyTags.companyId} FROM ${companyTags} WHERE ${companyTags.tenantId} = ${tenantId} AND ${companyTags.tagId} = ${params.tagId})`,
    );
  }
  const order = desc_ ? [desc(key), desc(companies.id)] : [asc(key), asc(companies.id)];
  const rows = await db
    .select({
      id: companies.id,
      name: companies.name,
      nameSort: companies.nameSort,
      domain: companies.domain,
      industry: companies.industry,
      size: companies.size,
      phone: companies.phone,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
      // The row's tags as JSON, so a page costs one query however many tags it shows.
      // Written with aliases: drizzle leaves columns unqualified in a one-table select.
      tags: sql<string>`(SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color))
        FROM (SELECT tg.id AS id, tg.name AS name, tg.color AS color FROM company_tags ct JOIN tags tg ON tg.id = ct.tag_id
              WHERE ct.tenant_id = ${tenantId} AND ct.company_id = companies.id ORDER BY tg.name_key) t)`,
    })
    .from(companies)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(COMPANY_PAGE_SIZE + 1);
  const page = rows.slice(0, COMPANY_PAGE_SIZE);
  const last = page[page.length - 1];
  const lastKey = last
    ? sort === "name"
      ? last.nameSort
      : sort === "created"
        ? last.createdAt
        : last.updatedAt
    : null;
  return {
    rows: page.map(({ nameSort: _n, tags: tagJson, ...r }) => ({ ...r, tags: JSON.parse(tagJson) as Tag[] })),
    nextCursor: rows.length > COMPANY_PAGE_SIZE && last && lastKey !== null ? encodeCursor(lastKey, last.id) : null,
  };
}
