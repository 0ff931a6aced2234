/**
 * Creating and updating a company. Every write goes in one db.batch with its activity entry and
 * counter change, so a record never exists without them. An update is conditional on the version the
 * form (or the API's read) started from, every statement of its batch included, as contacts' are.
 */
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { activities, companies, companyTags, contacts } from "../../db/schema";
import { cleanName } from "../../lib/setting-names";
import { isPlanLimitError } from "../billing/limits";
import { webhookEventInsert } from "../webhooks/events";
import { companyData } from "../webhooks/payloads";
import { counterChange } from "../records/counters";
import { TagLimitError } from "../records/tags";
import { nameSortKey, type CompanyFormContext, type CompanyInput } from "./form";
import { getCompany, getCompanyForEdit, type Company } from "./page";
import { tagStatements, valueStatements } from "./write-statements";

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

export type UpdateCompanyResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: "not_found" | "conflict"; current?: Company };

/**
 * Updates a company if it is still at `expectedUpdatedAt` (the version the form showed, or the API read; null:
 * as it is now): its fields, tags and custom values, the copy of its name on its contacts (the contacts' search
 * index follows through its triggers), and an "updated" activity with what changed, all in one batch. Every
 * statement of the batch is conditional on the company carrying the version this batch writes, so when someone
 * else saved, merged into or deleted it first, nothing at all is written. Writes nothing when nothing changed.
 */
export async function updateCompany(
  t: TenantDb,
  // Null: an API key whose maker's account is gone (src/services/api/).
  actorId: string | null,
  id: number,
  expectedUpdatedAt: number | null,
  input: CompanyInput,
  ctx: CompanyFormContext,
  now: number,
): Promise<UpdateCompanyResult> {
  const before = await getCompanyForEdit(t, id);
  if (!before) return { ok: false, reason: "not_found" };
  const b = before.company;
  const expected = expectedUpdatedAt ?? b.updatedAt;
  if (expected !== b.updatedAt) return { ok: false, reason: "conflict", current: b };
  const changes: Record<string, [unknown, unknown]> = {};
  // An owner kept as it is keeps its label, a former member's included.
  const ownerAfter =
    input.ownerId === b.ownerId ? b.ownerEmail : (ctx.members.find((m) => m.userId === input.ownerId)?.email ?? null);
  const scalar: [string, unknown, unknown][] = [
    ["name", b.name, input.name],
    ["domain", b.domain, input.domain],
    ["industry", b.industry, input.industry],
    ["size", b.size, input.size],
    ["address", b.address, input.address],
    ["phone", b.phone, input.phone],
    ["owner", b.ownerEmail, ownerAfter],
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
  if (Object.keys(changes).length === 0) return { ok: true, changed: false };

  // A save in the same millisecond as the version it replaces must still change the version.
  const version = Math.max(now, expected + 1);
  const guard = sql`EXISTS (SELECT 1 FROM companies k
    WHERE k.tenant_id = ${t.tenantId} AND k.id = ${id} AND k.updated_at = ${version})`;
  const renamed = input.name !== b.name;
  const [updated] = await withTagLimit(() =>
    t.db.batch([
      t
        .update(
          companies,
          { ...companyColumns(input), updatedAt: version, lastActivityAt: version },
          eq(companies.id, id),
          eq(companies.updatedAt, expected),
        )
        .returning({ id: companies.id }),
      ...(changes.tags
        ? [
            t.delete(companyTags, eq(companyTags.companyId, id), guard),
            ...tagStatements(t, id, input, ctx, version, guard),
          ]
        : []),
      ...valueStatements(t, id, changedValues, guard),
      // contacts_tenant_company_idx finds them; the contacts_fts_update trigger re-indexes each one.
      ...(renamed
        ? [
            t.update(
              contacts,
              // The contacts' company name changes: a newer version, so an API sync reads them again.
              {
                companyName: input.name,
                companySort: nameSortKey(input.name),
                updatedAt: sql`max(${contacts.updatedAt} + 1, ${version})`,
              },
              eq(contacts.companyId, id),
              guard,
            ),
          ]
        : []),
      t.db.insert(activities).select(
        sql`SELECT NULL, ${t.tenantId}, 'company', ${id}, ${actorId}, 'updated', ${JSON.stringify(changes)}, ${version}
          WHERE ${guard}`,
      ),
      webhookEventInsert(
        t,
        "company.updated",
        companyData(),
        sql`FROM companies co WHERE co.tenant_id = ${t.tenantId} AND co.id = ${id} AND co.updated_at = ${version}`,
        version,
      ),
    ]),
  );
  if (updated.length === 0) {
    const current = await getCompany(t, id);
    return current ? { ok: false, reason: "conflict", current } : { ok: false, reason: "not_found" };
  }
  return { ok: true, changed: true };
}
