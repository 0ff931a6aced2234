/**
 * Restoring a trashed record: its rows go back with their own ids, in one batch, with the counters, the
 * open deal totals, next task dates and an audit entry; the search index and report aggregates follow
 * by their triggers. What the record pointed at and is gone meanwhile (a tag, a custom field or a select
 * option, a deal it was on) is left out; a company gone (or trashed) meanwhile leaves the contact or deal without one, and a stage
 * removed meanwhile brings the deal back in its pipeline's first stage (or the first pipeline's); the answer says so.
 * A contact passes the Free plan's limit only as an undo (./restore-limit.ts).
 */
import { sql, type SQL } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import { failedWith, isUniqueViolation } from "../../db/sql";
import { subjectExistsSql } from "../records/notes";
import type { TrashItem, TrashKind } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import type { Actor } from "../../lib/actor";
import { guardedValue, isPlanLimitError } from "../billing/limits";
import { totalsIn } from "../deals/statements";
import { nextTaskDueUpdate } from "../tasks/statements";
import { webhookEventSql } from "../webhooks/events";
import { companyData, contactData, dealData, dealUpdatedData, noteData } from "../webhooks/payloads";
import { canRestore, getTrashItem, type TrashViewer } from "./items";
import { columnsOf, MAIN_TABLE, PARTS, type Part, tableName } from "./parts";
import { recordPath, refusal } from "./restore-checks";
import { restoreAllowed, restoreAudit } from "./restore-limit";

/** What came back differently: a contact or deal without its company (gone, or in the trash), a deal in another stage. */
export type RestoreNote = "without_company" | "company_in_trash" | "new_stage";

export type RestoreResult =
  | { ok: true; path: string; notes: RestoreNote[] }
  | { ok: false; reason: "not_found" | "forbidden" }
  | { ok: false; reason: "conflict"; message: string }
  /** Not an undo (contacts were added since the delete) and the Free plan's limit is reached: nothing written. */
  | { ok: false; reason: "plan_limit"; max: number };

const value = (column: string) => sql.raw(`json_extract(r.data, '$.${column}')`);
const USER_COLUMN = /(_by|^owner_id|^author_id|^actor_id|^logged_by)$/;

/** The value restored for a column: the stored one, unless what it names is gone (then none, or a stand-in). */
function restoredValue(t: TenantDb, table: string, column: string, now: number): SQL {
  const v = value(column);
  if (table === "tasks" && column === "assignee_id")
    // The assignee may have left meanwhile: the task goes to the workspace's owner, as on a member's removal.
    return sql`coalesce((SELECT m.user_id FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${v}),
      (SELECT m.user_id FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.role = 'owner'))`;
  if (table === "tasks" && column === "remind_at") return sql`CASE WHEN ${v} > ${now} THEN ${v} END`;
  // A task trashed before migration 0037 has no title_sort in its snapshot: folded as that migration did.
  if (table === "tasks" && column === "title_sort") return sql`coalesce(${v}, lower(${value("title")}))`;
  if (table === "deals" && (column === "stage_id" || column === "pipeline_id")) {
    const fallback = fallbackStage(t);
    const fallbackPipeline = sql`(SELECT s.pipeline_id FROM pipeline_stages s
      WHERE s.tenant_id = ${t.tenantId} AND s.id = ${fallback})`;
    const live = stageLive(t);
    return sql`CASE WHEN ${live} THEN ${v} ELSE ${column === "stage_id" ? fallback : fallbackPipeline} END`;
  }
  // The company's name as it is now: a rename meanwhile rewrote the live contacts only.
  if (table === "contacts" && (column === "company_name" || column === "company_sort")) {
    const current = sql`(SELECT c.${sql.raw(column === "company_name" ? "name" : "name_sort")} FROM companies c
      WHERE c.tenant_id = ${t.tenantId} AND c.id = ${value("company_id")})`;
    return column === "company_sort" ? sql`coalesce(${current}, '')` : current;
  }
  if ((table === "contacts" || table === "deals") && column.startsWith("company_")) {
    const companyLive = sql`EXISTS (SELECT 1 FROM companies c WHERE c.tenant_id = ${t.tenantId}
      AND c.id = ${value("company_id")})`;
    return sql`CASE WHEN ${companyLive} THEN ${v} ${column === "company_sort" ? sql`ELSE ''` : sql``} END`;
  }
  // An account erased meanwhile must not come back through its id.
  if (USER_COLUMN.test(column))
    return sql`CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = ${v})
      OR EXISTS (SELECT 1 FROM staff s WHERE s.id = ${v}) THEN ${v} END`;
  return v;
}

/** Whether the trashed deal's (row r) stage is still a stage of its pipeline. */
function stageLive(t: TenantDb): SQL {
  return sql`EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId} AND s.id = ${value("stage_id")}
    AND s.pipeline_id = ${value("pipeline_id")})`;
}

/** Where a deal whose stage was removed comes back: its pipeline's first stage, else the first pipeline's. */
function fallbackStage(t: TenantDb): SQL {
  return sql`coalesce((SELECT s.id FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId}
      AND s.pipeline_id = ${value("pipeline_id")} ORDER BY s.position LIMIT 1),
    (SELECT s.id FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId}
      ORDER BY s.pipeline_position, s.pipeline_id, s.position LIMIT 1))`;
}

/**
 * A deal that came back in another stage: the span it was in when trashed (in the removed stage) ends now, and one
 * opens in the stage it is in, so the report's days in stage and the board agree.
 */
function restagedSpans(t: TenantDb, dealId: number, actor: Actor): SQL[] {
  const now = actor.now;
  const current = sql`(SELECT d.stage_id FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId})`;
  return [
    sql`UPDATE deal_stage_history SET left_at = ${now} WHERE tenant_id = ${t.tenantId} AND deal_id = ${dealId}
      AND left_at IS NULL AND stage_id <> ${current}`,
    sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, actor_id)
      SELECT d.tenant_id, d.id, d.pipeline_id, d.stage_id, d.status, ${now}, ${actor.userId} FROM deals d
      WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND NOT EXISTS (SELECT 1 FROM deal_stage_history h
        WHERE h.tenant_id = d.tenant_id AND h.deal_id = d.id AND h.left_at IS NULL)`,
  ];
}

/** Rows come back only when what they link to is still there. */
function guard(t: TenantDb, name: string): SQL {
  const live = (table: string, column: string) =>
    sql`EXISTS (SELECT 1 FROM ${sql.identifier(table)} g WHERE g.tenant_id = ${t.tenantId} AND g.id = ${value(column)})`;
  if (name === "contact_tags" || name === "company_tags" || name === "deal_tags") return live("tags", "tag_id");
  // A select value whose option was removed meanwhile stays out: no form could keep it (the record would not save).
  if (name === "custom_field_values")
    return sql`EXISTS (SELECT 1 FROM custom_fields g WHERE g.tenant_id = ${t.tenantId} AND g.id = ${value("field_id")}
      AND (g.kind <> 'select' OR EXISTS (SELECT 1 FROM json_each(g.options) o WHERE o.value = ${value("value")})))`;
  if (name === "deal_contacts") return sql`${live("deals", "deal_id")} AND ${live("contacts", "contact_id")}`;
  return sql`1`;
}

function fromItem(t: TenantDb, item: TrashItem, name: string): SQL {
  return sql`FROM trash_rows r WHERE r.tenant_id = ${t.tenantId} AND r.item_id = ${item.id} AND r.table_name = ${name}`;
}

function restoreStatement(
  t: TenantDb,
  item: TrashItem,
  part: Part,
  main: boolean,
  now: number,
  freeMaxContacts: number | null,
): SQL {
  if (part.name === "link:contacts")
    return sql`UPDATE contacts SET company_id = ${item.recordId},
        company_name = json_extract(l.data, '$.company_name'), company_sort = json_extract(l.data, '$.company_sort'),
        updated_at = max(contacts.updated_at + 1, ${now})
      FROM (SELECT r.data ${fromItem(t, item, part.name)}) l
      WHERE contacts.tenant_id = ${t.tenantId} AND contacts.id = json_extract(l.data, '$.id')
        AND contacts.company_id IS NULL`;
  if (part.name === "link:deals")
    return sql`UPDATE deals SET company_id = ${item.recordId}, updated_at = max(updated_at + 1, ${now})
      WHERE tenant_id = ${t.tenantId} AND company_id IS NULL
      AND id IN (SELECT json_extract(r.data, '$.id') ${fromItem(t, item, part.name)})`;
  const table = tableName(part);
  const columns = columnsOf(part);
  // An undo passes the Free limit, anything else is held to it, checked inside the batch (./restore-limit.ts).
  const limited = main && table === "contacts" && freeMaxContacts !== null;
  // A note or task goes back onto its record only if the record is still there when the batch runs (checked
  // before it, it may have been deleted since): otherwise the whole restore fails (isSubjectGoneError).
  const onSubject = main && item.subjectType && item.subjectId !== null;
  const values = sql.join(
    columns.map((c) =>
      limited && c === "tenant_id"
        ? guardedValue(restoreAllowed(t, item, freeMaxContacts), restoredValue(t, table, c, now))
        : onSubject && c === "tenant_id"
          ? guardedValue(subjectExistsSql(t, item.subjectType!, item.subjectId!), restoredValue(t, table, c, now))
          : restoredValue(t, table, c, now),
    ),
    sql`, `,
  );
  // The record's own row must go in (its id was checked free); a dependent row already there is kept.
  return sql`INSERT INTO ${sql.identifier(table)} (${sql.raw(columns.map((c) => `"${c}"`).join(", "))})
    SELECT ${values} ${fromItem(t, item, part.name)} AND ${guard(t, part.name)}
    ${main ? sql`` : sql`ON CONFLICT DO NOTHING`}`;
}

/** What will come back differently: a contact or deal whose company is gone (or in the trash), a deal whose stage is. */
async function restoreNotes(t: TenantDb, item: TrashItem): Promise<RestoreNote[]> {
  if (item.kind !== "contact" && item.kind !== "deal") return [];
  const company = value("company_id");
  const [row] = await t.db.all<{ company: "gone" | "trashed" | null; stage_gone: number }>(
    sql`SELECT CASE WHEN ${company} IS NULL OR EXISTS (SELECT 1 FROM companies c
          WHERE c.tenant_id = r.tenant_id AND c.id = ${company}) THEN NULL
        WHEN EXISTS (SELECT 1 FROM trash_items i WHERE i.tenant_id = r.tenant_id AND i.kind = 'company'
          AND i.record_id = ${company}) THEN 'trashed' ELSE 'gone' END AS company,
        ${item.kind === "deal" ? sql`NOT ${stageLive(t)}` : sql`0`} AS stage_gone
      FROM trash_rows r WHERE r.tenant_id = ${t.tenantId} AND r.item_id = ${item.id}
      AND r.table_name = ${MAIN_TABLE[item.kind]}`,
  );
  if (!row) return [];
  const notes: RestoreNote[] = [];
  if (row.company) notes.push(row.company === "trashed" ? "company_in_trash" : "without_company");
  if (row.stage_gone) notes.push("new_stage");
  return notes;
}

function counterStatement(t: TenantDb, item: TrashItem): SQL {
  const count = (name: string) =>
    sql`(SELECT count(*) FROM trash_rows WHERE tenant_id = ${t.tenantId} AND item_id = ${item.id}
      AND table_name = ${name})`;
  return sql`INSERT INTO tenant_counters (tenant_id, contacts, companies, notes, deals)
    VALUES (${t.tenantId}, ${count("contacts")}, ${count("companies")}, ${count("notes")}, ${count("deals")})
    ON CONFLICT (tenant_id) DO UPDATE SET contacts = contacts + excluded.contacts,
      companies = companies + excluded.companies, notes = notes + excluded.notes, deals = deals + excluded.deals`;
}

/**
 * The webhook event of a restored record, in the restore's batch after its rows are back: the record is there
 * again for receivers that deleted it on its `*.deleted` event, so it is its `*.created` event, with
 * `restored: true`; a company's relinked contacts and deals their *.updated. A task has no created event.
 */
function restoredEvent(t: TenantDb, item: TrashItem, now: number): SQL[] {
  const id = item.recordId;
  const restored = (data: SQL) => sql`json_set(${data}, '$.restored', json('true'))`;
  const of = (table: string, alias: string) =>
    sql`FROM ${sql.identifier(table)} ${sql.raw(alias)} WHERE ${sql.raw(alias)}.tenant_id = ${t.tenantId} AND ${sql.raw(alias)}.id = ${id}`;
  switch (item.kind) {
    case "contact":
      return [webhookEventSql(t, "contact.created", restored(contactData("c")), of("contacts", "c"), now)];
    case "company": {
      // Then its contacts and deals linked to it again, each as changed (as its delete sent them).
      const relinked = (table: string, a: string, link: string) =>
        sql`FROM ${sql.identifier(table)} ${sql.raw(a)} WHERE ${sql.raw(a)}.tenant_id = ${t.tenantId}
          AND ${sql.raw(a)}.company_id = ${id} AND ${sql.raw(a)}.id IN (SELECT json_extract(r.data, '$.id') ${fromItem(t, item, link)})`;
      return [
        webhookEventSql(t, "company.created", restored(companyData("co")), of("companies", "co"), now),
        webhookEventSql(t, "contact.updated", contactData("c"), relinked("contacts", "c", "link:contacts"), now),
        webhookEventSql(
          t,
          "deal.updated",
          dealUpdatedData(["company_id"], "d"),
          relinked("deals", "d", "link:deals"),
          now,
        ),
      ];
    }
    case "deal":
      return [webhookEventSql(t, "deal.created", restored(dealData("d")), of("deals", "d"), now)];
    case "note":
      return [webhookEventSql(t, "note.created", restored(noteData("n")), of("notes", "n"), now)];
    default:
      return [];
  }
}

/**
 * Puts a trashed record back, all or nothing. A contact past the Free plan's limit (`freeMaxContacts`, null: none)
 * comes back only as an undo, when nothing was added since its delete (./restore-limit.ts).
 */
export async function restoreTrashItem(
  t: TenantDb,
  viewer: TrashViewer,
  actor: Actor,
  id: number,
  freeMaxContacts: number | null = null,
): Promise<RestoreResult> {
  const item = await getTrashItem(t, id);
  if (!item) return { ok: false, reason: "not_found" };
  if (!canRestore(item, viewer)) return { ok: false, reason: "forbidden" };
  const refused = await refusal(t, item);
  if (refused) return { ok: false, reason: "conflict", message: refused };
  const notes = await restoreNotes(t, item);
  const parts = PARTS[item.kind];
  const kind: TrashKind = item.kind;
  const taskDue =
    kind === "contact" || kind === "company"
      ? nextTaskDueUpdate(t, kind, [item.recordId])
      : kind === "task" && item.subjectType
        ? nextTaskDueUpdate(t, item.subjectType, [item.subjectId!])
        : null;
  const statements = [
    ...parts.map((part, i) => restoreStatement(t, item, part, i === 0, actor.now, freeMaxContacts)),
    ...(notes.includes("new_stage") ? restagedSpans(t, item.recordId, actor) : []),
    ...(kind === "deal" ? [totalsIn(t, item.recordId)] : []),
    ...(taskDue ? [taskDue] : []),
    counterStatement(t, item),
    ...restoredEvent(t, item, actor.now),
    restoreAudit(
      t,
      item,
      {
        tenantId: t.tenantId,
        actorUserId: actor.userId,
        action: "record.restored",
        targetType: kind,
        targetId: String(item.recordId),
        targetLabel: `${kind[0]!.toUpperCase()}${kind.slice(1)} #${item.recordId}`,
        ...actor,
      },
      freeMaxContacts,
    ),
    sql`DELETE FROM trash_items WHERE tenant_id = ${t.tenantId} AND id = ${item.id} RETURNING id`,
  ];
  let restored: D1Result[];
  try {
    restored = await rawBatchResults(t.db, statements);
  } catch (err) {
    // Two restores at once: the other one put the record back first, and this batch changed nothing.
    if (isUniqueViolation(err)) return { ok: false, reason: "conflict", message: "It is already back." };
    if (freeMaxContacts !== null && isPlanLimitError(err, "contacts.tenant_id"))
      return { ok: false, reason: "plan_limit", max: freeMaxContacts };
    // Its record was deleted between the check and the batch: nothing was written; why, as the check says it.
    if (
      (kind === "note" || kind === "task") &&
      failedWith(err, `NOT NULL constraint failed: ${MAIN_TABLE[kind]}.tenant_id`)
    )
      return {
        ok: false,
        reason: "conflict",
        message: (await refusal(t, item)) ?? "Its record is gone, so it cannot come back.",
      };
    throw err;
  }
  if ((restored.at(-1)?.results ?? []).length === 0) return { ok: false, reason: "not_found" };
  return {
    ok: true,
    path: recordPath(item),
    notes,
  };
}
