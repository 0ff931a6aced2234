/**
 * Creating and updating a contact. Each write is one db.batch (one SQL transaction). A new contact's
 * id only exists inside that batch, so the statements that hang rows off it (emails, phones, tags,
 * custom values, activity) select the contact row itself as their source (`... SELECT ... FROM
 * contacts c WHERE <target>`): they write exactly when the contact row they belong to is there, in
 * the version this batch wrote. For an update that makes the whole batch conditional on the version
 * the form was loaded from, so a concurrent edit or delete leaves nothing half-written.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  activities,
  contactEmails,
  contactPhones,
  contacts,
  contactTags,
  customFieldValues,
  type ContactSource,
} from "../../db/schema";
import { contactWithinLimit, guardedValue, isPlanLimitError, PlanLimitError } from "../billing/limits";
import { diff } from "../records/activity";
import { CompanyGoneError, companyColumn, companyGone, companyGuarded } from "../records/company-ref";
import { counterChange } from "../records/counters";
import { listTags } from "../records/tags";
import { listOwners } from "../records/workspace";
import { webhookEventInsert } from "../webhooks/events";
import { contactData } from "../webhooks/payloads";
import type { ContactInput } from "./form";
import { nameSortOf } from "./names";
import { getContact, getContactWithExtras, type ContactDetail } from "./page";
import { type WatchedContact, watchedRecord } from "./watched";

/**
 * A contact's columns from the input. Its company's name is read by the write itself (records/company-ref.ts):
 * renamed since checkReferences, the new one; deleted since, company_sort is NULL and the write fails whole.
 */
export function contactColumns(t: TenantDb, input: ContactInput) {
  const company = input.companyId;
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    nameSort: nameSortOf(input.firstName, input.lastName),
    primaryEmail: input.emails[0] ?? null,
    primaryPhone: input.phones[0] ?? null,
    jobTitle: input.jobTitle,
    companyId: company === null ? null : companyColumn(t, company, "id"),
    companyName: company === null ? null : companyColumn(t, company, "name"),
    companySort: company === null ? "" : companyColumn(t, company, "name_sort"),
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
export function childStatements(
  t: TenantDb,
  target: SQL,
  parts: { emails?: string[]; phones?: string[]; tagIds?: number[]; customValues?: Map<number, string | null> },
) {
  const statements = [];
  // Emails and phones: (tenant, contact, position, value), the position being the list's index.
  for (const [table, list] of [
    [contactEmails, parts.emails],
    [contactPhones, parts.phones],
  ] as const) {
    if (!list?.length) continue;
    statements.push(
      t.db.insert(table).select(
        sql`SELECT c.tenant_id, c.id, j.key, j.value
          FROM contacts c CROSS JOIN json_each(${JSON.stringify(list)}) j
          WHERE c.tenant_id = ${t.tenantId} AND ${target}`,
      ),
    );
  }
  if (parts.tagIds?.length) {
    // Joined with tags of the same tenant: only the tenant's own tags can ever be attached.
    statements.push(
      t.db
        .insert(contactTags)
        .select(
          sql`SELECT c.tenant_id, c.id, t.id FROM contacts c CROSS JOIN json_each(${JSON.stringify(parts.tagIds)}) j
            JOIN tags t ON t.id = j.value AND t.tenant_id = c.tenant_id
            WHERE c.tenant_id = ${t.tenantId} AND ${target}`,
        )
        .onConflictDoNothing(),
    );
  }
  const values: Record<string, string> = {};
  for (const [fieldId, value] of parts.customValues ?? []) if (value !== null) values[String(fieldId)] = value;
  if (Object.keys(values).length) {
    // Likewise only the tenant's own contact fields; a field deleted meanwhile is skipped.
    statements.push(
      t.db
        .insert(customFieldValues)
        .select(
          sql`SELECT c.tenant_id, f.id, c.id, j.value FROM contacts c CROSS JOIN json_each(${JSON.stringify(values)}) j
            JOIN custom_fields f ON f.id = CAST(j.key AS INTEGER) AND f.tenant_id = c.tenant_id AND f.entity = 'contact'
            WHERE c.tenant_id = ${t.tenantId} AND ${target}`,
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
export function activityFromTarget(
  t: TenantDb,
  target: SQL,
  actorId: string | null,
  kind: "created" | "updated" | "merged",
  changes: Record<string, [unknown, unknown]> | null,
  now: number,
) {
  return t.db.insert(activities).select(
    sql`SELECT NULL, c.tenant_id, 'contact', c.id, ${actorId}, ${kind},
        ${changes ? JSON.stringify(changes) : null}, ${now}
        FROM contacts c WHERE c.tenant_id = ${t.tenantId} AND ${target}`,
  );
}

/**
 * Creates a contact with its children, activity and counter in one batch. `freeMaxContacts` (null or
 * absent: no limit) is the Free plan's cap, checked inside the batch against tenant_counters, so
 * simultaneous creates at the limit cannot all pass; at the limit nothing is written and this throws
 * PlanLimitError. Imports (a later Queue consumer) must guard their chunks the same way.
 */
export async function createContact(
  t: TenantDb,
  actorId: string | null,
  input: ContactInput & { companyName: string | null; source?: ContactSource },
  now: number,
  freeMaxContacts: number | null = null,
): Promise<number> {
  const { db, tenantId } = t;
  // The newest contact of this tenant created at `now` is the one this batch just inserted: ids only
  // grow (AUTOINCREMENT) and the batch runs alone. contacts_tenant_created_idx finds it directly.
  const target = sql`c.tenant_id = ${tenantId} AND c.id = (SELECT id FROM contacts
    WHERE tenant_id = ${tenantId} AND created_at = ${now} ORDER BY id DESC LIMIT 1)`;
  // At the Free limit the tenant id becomes NULL: NOT NULL fails and the whole batch rolls back (so
  // this insert sets tenant_id itself rather than through t.insert).
  const guardedTenantId =
    freeMaxContacts === null ? tenantId : guardedValue(contactWithinLimit(tenantId, freeMaxContacts), tenantId);
  let inserted: { id: number }[];
  try {
    [inserted] = await db.batch([
      db
        .insert(contacts)
        .values({
          tenantId: guardedTenantId,
          ...contactColumns(t, input),
          createdBy: actorId,
          source: input.source ?? "manual",
          createdAt: now,
          updatedAt: now,
          lastActivityAt: now,
        })
        .returning({ id: contacts.id }),
      ...childStatements(t, target, input),
      activityFromTarget(t, target, actorId, "created", null, now),
      counterChange(t, { contacts: 1 }),
      webhookEventInsert(
        t,
        "contact.created",
        contactData(),
        sql`FROM contacts c WHERE c.tenant_id = ${tenantId} AND ${target}`,
        now,
      ),
    ]);
  } catch (err) {
    if (freeMaxContacts !== null && isPlanLimitError(err, "contacts.tenant_id"))
      throw new PlanLimitError("contacts", freeMaxContacts);
    if (companyGone(err, "contacts.company_sort")) throw new CompanyGoneError();
    throw err;
  }
  return inserted[0]!.id;
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
  t: TenantDb,
  actorId: string | null,
  id: number,
  expectedUpdatedAt: number | null,
  input: ContactInput & { companyName: string | null },
  now: number,
): Promise<UpdateResult> {
  const before = await getContactWithExtras(t, id);
  if (!before) return { ok: false, reason: "not_found" };
  const expected = expectedUpdatedAt ?? before.contact.updatedAt;
  if (expected !== before.contact.updatedAt) return { ok: false, reason: "conflict", current: before.contact };

  const members = await listOwners(t);
  const ownerLabel = (userId: string | null) =>
    userId ? (members.find((m) => m.userId === userId)?.email ?? "former member") : null;
  const allTags = await listTags(t);
  const tagNames = (ids: number[]) =>
    allTags
      .filter((t) => ids.includes(t.id))
      .map((t) => t.name)
      .join(", ");
  const watched = (c: WatchedContact) => watchedRecord(c, { owner: ownerLabel, tags: tagNames }, before.customFields);
  const beforeRecord = watched({ ...before.contact, tagIds: before.tags.map((t) => t.id), values: before.values });
  const afterValues = new Map<number, string | null>(before.values);
  for (const [k, v] of input.customValues) afterValues.set(k, v);
  const afterRecord = watched({ ...input, companyName: input.companyName, values: afterValues });
  const changes = diff(beforeRecord, afterRecord, Object.keys(beforeRecord));
  if (Object.keys(changes).length === 0) return { ok: true, changed: false };

  // A save in the same millisecond as the version it replaces must still change the version.
  const version = Math.max(now, expected + 1);
  const target = sql`c.tenant_id = ${t.tenantId} AND c.id = ${id} AND c.updated_at = ${version}`;
  const guard = sql`EXISTS (SELECT 1 FROM contacts c
    WHERE c.tenant_id = ${t.tenantId} AND c.id = ${id} AND c.updated_at = ${version})`;
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
  const [updated] = await companyGuarded(
    t.db.batch([
      t
        .update(
          contacts,
          { ...contactColumns(t, input), updatedAt: version, lastActivityAt: version },
          eq(contacts.id, id),
          eq(contacts.updatedAt, expected),
        )
        .returning({ id: contacts.id }),
      ...(emailsChanged ? [t.delete(contactEmails, eq(contactEmails.contactId, id), guard)] : []),
      ...(phonesChanged ? [t.delete(contactPhones, eq(contactPhones.contactId, id), guard)] : []),
      ...(tagsChanged ? [t.delete(contactTags, eq(contactTags.contactId, id), guard)] : []),
      ...(cleared.length
        ? [
            t.delete(
              customFieldValues,
              eq(customFieldValues.entityId, id),
              sql`${customFieldValues.fieldId} IN (SELECT value FROM json_each(${JSON.stringify(cleared)}))`,
              guard,
            ),
          ]
        : []),
      ...childStatements(t, target, {
        emails: emailsChanged ? input.emails : undefined,
        phones: phonesChanged ? input.phones : undefined,
        tagIds: tagsChanged ? input.tagIds : undefined,
        customValues: changedValues,
      }),
      activityFromTarget(t, target, actorId, "updated", changes, version),
      webhookEventInsert(
        t,
        "contact.updated",
        contactData(),
        sql`FROM contacts c WHERE c.tenant_id = ${t.tenantId} AND ${target}`,
        version,
      ),
    ]),
    "contacts.company_sort",
  );
  if (updated.length === 0) {
    const current = await getContact(t, id);
    return current ? { ok: false, reason: "conflict", current } : { ok: false, reason: "not_found" };
  }
  return { ok: true, changed: true };
}
