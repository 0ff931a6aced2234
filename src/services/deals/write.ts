/**
 * Creating and updating a deal (deleting: delete.ts). Each is ONE batch: the row, its contacts, tags and custom
 * values, the stage totals (statements.ts: out before the row changes, in after), the stage history,
 * the timeline, tenant_counters.deals and the audit entry. An update is conditional on the version
 * the form was loaded from, so a concurrent edit or move leaves nothing half-written. A stage removed after the
 * form's check fails the batch whole on its foreign key: StageGoneError (stage-gone.ts).
 */
import { eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { contacts, customFieldValues, dealContacts, deals, dealTags } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { formatAmount } from "../../lib/money";
import { contactDisplayName } from "../contacts/names";
import { diff } from "../records/activity";
import { companyColumn, companyGuarded, whileCompanyExists } from "../records/company-ref";
import { listTags } from "../records/tags";
import { listOwners } from "../records/workspace";
import { webhookEventInsert } from "../webhooks/events";
import { dealData } from "../webhooks/payloads";
import { nameSortOf, type DealInput } from "./form";
import { getDealForEdit } from "./page";
import { stageGuarded } from "./stage-gone";
import { updatedFields, updateEvents } from "./update-events";
import {
  NEW_DEAL_ID,
  dealActivity,
  dealAudit,
  dealCounter,
  historyClose,
  historyOpen,
  totalsIn,
  totalsOut,
} from "./statements";

/**
 * A deal's columns. Its company is read by the write itself: deleted since the form's check, company_id is NULL
 * (no foreign key fails) and name_sort too, so the write fails whole and says so (records/company-ref.ts).
 */
function dealColumns(t: TenantDb, input: DealInput, pipelineId: number) {
  return {
    name: input.name,
    nameSort: whileCompanyExists(t, input.companyId, nameSortOf(input.name)) as string,
    amountMinor: input.amountMinor,
    currency: input.currency,
    closeDate: input.closeDate,
    closeKey: input.closeDate ?? "9999-12-31",
    ownerId: input.ownerId,
    companyId: input.companyId === null ? null : companyColumn(t, input.companyId, "id"),
    pipelineId,
    stageId: input.stageId,
  };
}

/** The column a deal's write fails on when its company is gone (dealColumns). */
export const DEAL_COMPANY_GUARD = "deals.name_sort";

/** Rows hung off the deal `dealId` (an id or NEW_DEAL_ID), joined with the workspace's own records only. */
function childStatements(
  t: TenantDb,
  dealId: number | SQL,
  parts: { contacts?: DealInput["contacts"]; tagIds?: number[]; values?: Map<number, string | null> },
): SQL[] {
  const out: SQL[] = [];
  if (parts.contacts?.length) {
    const rows = JSON.stringify(parts.contacts.map((c) => [c.contactId, c.role]));
    out.push(sql`INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role)
      SELECT c.tenant_id, ${dealId}, c.id, j.value ->> 1 FROM json_each(${rows}) j
      JOIN contacts c ON c.id = j.value ->> 0 AND c.tenant_id = ${t.tenantId}
      WHERE 1 ON CONFLICT DO NOTHING`);
  }
  if (parts.tagIds?.length) {
    out.push(sql`INSERT INTO deal_tags (tenant_id, deal_id, tag_id)
      SELECT g.tenant_id, ${dealId}, g.id FROM json_each(${JSON.stringify(parts.tagIds)}) j
      JOIN tags g ON g.id = j.value AND g.tenant_id = ${t.tenantId}
      WHERE 1 ON CONFLICT DO NOTHING`);
  }
  const values: Record<string, string> = {};
  for (const [fieldId, value] of parts.values ?? []) if (value !== null) values[String(fieldId)] = value;
  if (Object.keys(values).length) {
    out.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
      SELECT f.tenant_id, f.id, ${dealId}, j.value FROM json_each(${JSON.stringify(values)}) j
      JOIN custom_fields f ON f.id = CAST(j.key AS INTEGER) AND f.tenant_id = ${t.tenantId} AND f.entity = 'deal'
      WHERE 1 ON CONFLICT (tenant_id, field_id, entity_id) DO UPDATE SET value = excluded.value`);
  }
  return out;
}

/** Creates a deal with everything that hangs off it, in one batch. Returns its id. */
export async function createDeal(t: TenantDb, actor: KeyActor, input: DealInput, pipelineId: number): Promise<number> {
  const now = actor.now;
  const [inserted] = await stageGuarded(
    t,
    input.stageId,
    companyGuarded(
      runRawBatchRows(t.db, [
        t
          .insert(deals, {
            ...dealColumns(t, input, pipelineId),
            createdBy: actor.userId,
            createdAt: now,
            updatedAt: now,
            lastActivityAt: now,
          })
          .returning({ id: deals.id }),
        ...childStatements(t, NEW_DEAL_ID, {
          contacts: input.contacts,
          tagIds: input.tagIds,
          values: input.customValues,
        }),
        totalsIn(t, NEW_DEAL_ID),
        historyOpen(t, NEW_DEAL_ID, actor.userId, now),
        dealActivity(t, NEW_DEAL_ID, { actorId: actor.userId, kind: "created", detail: null, now }),
        dealCounter(t, 1),
        dealAudit(t, NEW_DEAL_ID, actor, "deal.created"),
        webhookEventInsert(
          t,
          "deal.created",
          dealData("d"),
          sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${NEW_DEAL_ID}`,
          now,
        ),
      ]),
      DEAL_COMPANY_GUARD,
    ),
  );
  return Number(inserted![0]!.id);
}

export type DealUpdateResult = { ok: true; changed: boolean } | { ok: false; reason: "not_found" | "conflict" };
type DealUpdatePlan =
  | { ok: true; changed: false }
  | { ok: false; reason: "not_found" | "conflict" }
  | { ok: true; changed: true; statements: SQLWrapper[]; updatedIndex: number; version: number };

/**
 * Updates a deal if it is still at `expected` (the version the form showed; null: whatever it is).
 * `names` gives the stage and company names for the timeline; `locale` formats amounts there.
 */
export async function updateDeal(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  expected: number | null,
  input: DealInput,
  ctx: DealUpdateContext,
): Promise<DealUpdateResult> {
  const plan = await planDealUpdate(t, actor, id, expected, input, ctx);
  if (!plan.ok || !plan.changed) return plan;
  const results = await stageGuarded(
    t,
    input.stageId,
    companyGuarded(runRawBatchRows(t.db, plan.statements), DEAL_COMPANY_GUARD),
  );
  if (results[plan.updatedIndex]!.length === 0) return { ok: false, reason: "conflict" };
  return { ok: true, changed: true };
}

type DealUpdateContext = { pipelineId: number; stageName: string; companyName: string | null; locale: string };

/** updateDeal's checks and its batch, not run: the API's PATCH runs it with a move and an outcome (patch.ts). */
export async function planDealUpdate(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  expected: number | null,
  input: DealInput,
  ctx: DealUpdateContext,
): Promise<DealUpdatePlan> {
  const before = await getDealForEdit(t, id);
  if (!before) return { ok: false, reason: "not_found" };
  const d = before.deal;
  const version0 = expected ?? d.updatedAt;
  if (version0 !== d.updatedAt) return { ok: false, reason: "conflict" };
  const [members, allTags] = await Promise.all([listOwners(t), listTags(t)]);
  const owner = (userId: string | null) =>
    userId ? (members.find((m) => m.userId === userId)?.email ?? "former member") : null;
  const tagNames = (ids: number[]) =>
    allTags
      .filter((g) => ids.includes(g.id))
      .map((g) => g.name)
      .join(", ") || null;
  const contactKey = (list: { id: number; role: string | null }[]) =>
    list
      .map((c) => `${c.id}:${c.role ?? ""}`)
      .sort()
      .join("|");
  const beforeRecord: Record<string, unknown> = {
    name: d.name,
    amount: formatAmount(d.amountMinor, d.currency, ctx.locale),
    closeDate: d.closeDate,
    owner: owner(d.ownerId),
    company: d.companyName,
    stage: d.stageName,
    tags: tagNames(before.tags.map((g) => g.id)),
  };
  const afterRecord: Record<string, unknown> = {
    name: input.name,
    amount: formatAmount(input.amountMinor, input.currency, ctx.locale),
    closeDate: input.closeDate,
    owner: owner(input.ownerId),
    company: ctx.companyName,
    stage: ctx.stageName,
    tags: tagNames(input.tagIds),
  };
  for (const f of before.customFields) {
    beforeRecord[`cf_${f.id}`] = before.values.get(f.id) ?? null;
    afterRecord[`cf_${f.id}`] = input.customValues.has(f.id)
      ? input.customValues.get(f.id)
      : (before.values.get(f.id) ?? null);
  }
  const changes = diff(beforeRecord, afterRecord, Object.keys(beforeRecord));
  const contactsChanged =
    contactKey(before.contacts) !== contactKey(input.contacts.map((c) => ({ id: c.contactId, role: c.role })));
  if (contactsChanged) {
    const rows = await t.db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        primaryEmail: contacts.primaryEmail,
      })
      .from(contacts)
      .where(
        t.where(
          contacts,
          inJsonList(
            contacts.id,
            input.contacts.map((c) => c.contactId),
          ),
        ),
      );
    const nameOf = new Map(rows.map((r) => [r.id, contactDisplayName(r)]));
    // Each person with their id, so erasing them can take their name out of this entry (contacts/erase-names.ts).
    const people = (list: { id: number; name: string; role: string | null }[]) =>
      list.length ? list.map((c) => ({ id: c.id, name: c.name, role: c.role })) : null;
    changes.contacts = [
      people(before.contacts),
      people(input.contacts.map((c) => ({ id: c.contactId, name: nameOf.get(c.contactId) ?? "", role: c.role }))),
    ];
  }
  if (Object.keys(changes).length === 0) return { ok: true, changed: false };

  const version = Math.max(actor.now, version0 + 1);
  const beforeGuard = sql`d.updated_at = ${version0}`;
  const afterGuard = sql`d.updated_at = ${version}`;
  const exists = sql`EXISTS (SELECT 1 FROM deals d
    WHERE d.tenant_id = ${t.tenantId} AND d.id = ${id} AND ${afterGuard})`;
  const stageChanged = d.stageId !== input.stageId;
  const tagsChanged = tagNames(before.tags.map((g) => g.id)) !== tagNames(input.tagIds);
  const changedValues = new Map(
    [...input.customValues].filter(([fieldId, v]) => (before.values.get(fieldId) ?? null) !== v),
  );
  const cleared = [...changedValues].filter(([, v]) => v === null).map(([fieldId]) => fieldId);
  const statements: SQLWrapper[] = [
    totalsOut(t, id, beforeGuard),
    ...(stageChanged ? [historyClose(t, id, version, beforeGuard)] : []),
    t
      .update(
        deals,
        { ...dealColumns(t, input, ctx.pipelineId), updatedAt: version, lastActivityAt: version },
        eq(deals.id, id),
        eq(deals.updatedAt, version0),
      )
      .returning({ id: deals.id }),
    ...(contactsChanged ? [t.delete(dealContacts, eq(dealContacts.dealId, id), exists)] : []),
    ...(tagsChanged ? [t.delete(dealTags, eq(dealTags.dealId, id), exists)] : []),
    ...(cleared.length
      ? [
          t.delete(
            customFieldValues,
            eq(customFieldValues.entityId, id),
            inJsonList(customFieldValues.fieldId, cleared),
            exists,
          ),
        ]
      : []),
    ...childStatements(t, id, {
      contacts: contactsChanged ? input.contacts : undefined,
      tagIds: tagsChanged ? input.tagIds : undefined,
      values: changedValues,
    }),
    totalsIn(t, id, afterGuard),
    ...(stageChanged ? [historyOpen(t, id, actor.userId, version, afterGuard)] : []),
    dealActivity(t, id, {
      actorId: actor.userId,
      kind: "updated",
      detail: JSON.stringify(changes),
      now: version,
      when: afterGuard,
    }),
    dealAudit(t, id, actor, "deal.updated", null, afterGuard),
    ...updateEvents(t, id, version, afterGuard, updatedFields(changes, d, input), stageChanged ? d : null),
  ];
  return { ok: true, changed: true, statements, updatedIndex: stageChanged ? 2 : 1, version };
}
