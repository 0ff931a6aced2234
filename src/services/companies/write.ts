/**
 * Creating and updating a company. Every write goes in one db.batch with its activity entry and
 * counter change, so a record never exists without them.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { activities, companies, companyTags, contacts, customFieldValues, tags } from "../../db/schema";
import { cleanName, nameKeyOf } from "../../lib/setting-names";
import { guardedValue, isPlanLimitError } from "../billing/limits";
import { activityInsert } from "../records/activity";
import { webhookEventInsert } from "../webhooks/events";
import { companyData } from "../webhooks/payloads";
import { counterChange } from "../records/counters";
import { saveValuesStatements } from "../records/custom-fields";
import { TAG_COLORS, TagLimitError, tagRoomLeft } from "../records/tags";
import { nameSortKey, type CompanyFormContext, type CompanyInput } from "./form";
import { getCompanyForEdit } from "./page";

/**
 * Statements that attach tags to a company: the checked tag ids (one JSON parameter, however many)
 * and the new tag by name, created first if it does not exist. `companyId` may be a subquery.
 */
function tagStatements(
  t: TenantDb,
  companyId: number | SQL,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
) {
  const statements = [];
  const newKey = input.newTag ? nameKeyOf(input.newTag) : null;
  if (input.newTag && newKey) {
    const color = TAG_COLORS[ctx.tags.length % TAG_COLORS.length]!;
    // NULL past the workspace's tag limit (unless the tag exists): NOT NULL fails and the batch writes nothing.
    const allowed = sql`(${tagRoomLeft(t)} OR EXISTS (SELECT 1 FROM tags WHERE tenant_id = ${t.tenantId} AND name_key = ${newKey}))`;
    statements.push(
      t
        .insert(tags, { name: cleanName(input.newTag), nameKey: guardedValue(allowed, newKey), color, createdAt: now })
        .onConflictDoNothing(),
    );
  }
  if (input.tagIds.length || newKey) {
    statements.push(
      t.db
        .insert(companyTags)
        .select(
          t.db
            .select({
              tenantId: sql<string>`${t.tenantId}`.as("tenant_id"),
              companyId: sql<number>`${companyId}`.as("company_id"),
              tagId: tags.id,
            })
            .from(tags)
            .where(
              t.where(
                tags,
                sql`(${tags.id} IN (SELECT value FROM json_each(${JSON.stringify(input.tagIds)}))
                  OR ${tags.nameKey} = ${newKey})`,
              ),
            ),
        )
        .onConflictDoNothing(),
    );
  }
  return statements;
}

/**
 * Statements that set a company's custom values (`companyId` may be a subquery) and clear those set to null. Set
 * values are joined with the workspace's company fields, so a field deleted during the request is skipped, as
 * contacts and deals do, instead of failing the batch on the foreign key.
 */
function valueStatements(t: TenantDb, companyId: number | SQL, values: Map<number, string | null>) {
  const set: Record<string, string> = {};
  for (const [fieldId, value] of values) if (value !== null) set[String(fieldId)] = value;
  const cleared = new Map([...values].filter(([, value]) => value === null));
  const statements = [];
  if (Object.keys(set).length)
    statements.push(
      t.db
        .insert(customFieldValues)
        .select(
          sql`SELECT f.tenant_id, f.id, ${companyId}, j.value FROM json_each(${JSON.stringify(set)}) j
            JOIN custom_fields f ON f.id = CAST(j.key AS INTEGER) AND f.tenant_id = ${t.tenantId} AND f.entity = 'company'
            WHERE true`,
        )
        .onConflictDoUpdate({
          target: [customFieldValues.tenantId, customFieldValues.fieldId, customFieldValues.entityId],
          set: { value: sql`excluded.value` },
        }),
    );
  // Clearing needs no join (deleting a deleted field's value deletes nothing); a new company has none to clear.
  if (typeof companyId === "number") statements.push(...saveValuesStatements(t, companyId, cleared));
  return statements;
}

/** Runs a company's batch; the guard of a new tag past the workspace's limit becomes TagLimitError. */
async function withTagLimit<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isPlanLimitError(err, "tags.name_key")) throw new TagLimitError();
    throw err;
  }
}

/** A company's columns from the form's input. */
function companyColumns(input: CompanyInput) {
  return {
    name: input.name,
    nameSort: nameSortKey(input.name),
    domain: input.domain,
    industry: input.industry,
    size: input.size,
    address: input.address,
    phone: input.phone,
    ownerId: input.ownerId,
  };
}

/**
 * Creates a company with its tags, custom values, "created" activity and counter, in one batch.
 * The statements after the insert find the new row as the tenant's highest id created at `now`:
 * a batch is one transaction, so no other write can come between.
 */
export async function createCompany(
  t: TenantDb,
  // Null: an API key whose maker's account is gone (src/services/api/).
  actorId: string | null,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
): Promise<number> {
  const newId = sql`(SELECT max(${companies.id}) FROM ${companies}
    WHERE ${companies.tenantId} = ${t.tenantId} AND ${companies.createdAt} = ${now})`;
  const values = new Map([...input.customValues].filter(([, value]) => value !== null));
  const [inserted] = await withTagLimit(() =>
    t.db.batch([
      t
        .insert(companies, {
          ...companyColumns(input),
          createdBy: actorId,
          createdAt: now,
          updatedAt: now,
          lastActivityAt: now,
        })
        .returning({ id: companies.id }),
      ...tagStatements(t, newId, input, ctx, now),
      ...valueStatements(t, newId, values),
      t.insert(activities, {
        subjectType: "company",
        subjectId: newId as unknown as number,
        actorId,
        kind: "created",
        detail: null,
        createdAt: now,
      }),
      counterChange(t, { companies: 1 }),
      webhookEventInsert(
        t,
        "company.created",
        companyData(),
        sql`FROM companies co WHERE co.tenant_id = ${t.tenantId} AND co.id = ${newId}`,
        now,
      ),
    ]),
  );
  return inserted[0]!.id;
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
  t: TenantDb,
  // Null: an API key whose maker's account is gone (src/services/api/).
  actorId: string | null,
  id: number,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
): Promise<boolean> {
  const before = await getCompanyForEdit(t, id);
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
    ...(input.newTag ? [{ name: cleanName(input.newTag) }] : []),
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
  await withTagLimit(() =>
    t.db.batch([
      t.update(
        companies,
        {
          ...companyColumns(input),
          updatedAt: now,
          lastActivityAt: now,
        },
        eq(companies.id, id),
      ),
      ...(changes.tags
        ? [t.delete(companyTags, eq(companyTags.companyId, id)), ...tagStatements(t, id, input, ctx, now)]
        : []),
      ...valueStatements(t, id, changedValues),
      // contacts_tenant_company_idx finds them; the contacts_fts_update trigger re-indexes each one.
      ...(renamed
        ? [
            t.update(
              contacts,
              // The contacts' company name changes: a newer version, so an API sync reads them again.
              {
                companyName: input.name,
                companySort: nameSortKey(input.name),
                updatedAt: sql`max(${contacts.updatedAt} + 1, ${now})`,
              },
              eq(contacts.companyId, id),
            ),
          ]
        : []),
      activityInsert(t, { subjectType: "company", subjectId: id, actorId, kind: "updated", changes, now }),
      webhookEventInsert(
        t,
        "company.updated",
        companyData(),
        sql`FROM companies co WHERE co.tenant_id = ${t.tenantId} AND co.id = ${id}`,
        now,
      ),
    ]),
  );
  return true;
}
