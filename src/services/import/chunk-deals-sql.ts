/**
 * What a deals chunk's updates write besides the deals themselves (chunk-sql.ts history() calls these): the
 * webhook events the UI sends for the same changes, and the import record merged when a later chunk of the
 * import updates the same deal again.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { webhookEventSql } from "../webhooks/events";
import { dealData, dealUpdatedData } from "../webhooks/payloads";
import type { RowSource } from "./chunk-sql";

/** The fields of a row's `set` that deal.updated names, by their API names (a stage or status has its own event). */
const UPDATED_FIELDS: Record<string, string> = {
  amountMinor: "amount_minor",
  currency: "currency",
  closeDate: "close_date",
  companyId: "company_id",
};
/** The ones it names only when the row does not close the deal (a reopen, a lost deal's new reason), as reopenDeal. */
const OUTCOME_FIELDS: Record<string, string> = { status: "status", lostReason: "lost_reason", closedOn: "closed_on" };

/**
 * The events of a chunk's deal updates (alias `r`, the deal as the upsert left it), as the deal form, the board
 * and closeDeal write them: deal.updated with the fields that changed (a reopen's status too), deal.stage_changed
 * with where it was (`before.stageId`), deal.won or deal.lost when the row closes it. A row's `set` holds only real
 * changes, and a replayed chunk writes nothing (import_chunks), so each is sent once. An undo's restores are rows alike.
 */
export function dealUpdateEvents(t: TenantDb, rows: RowSource, now: number): SQL[] {
  const keys = (fields: Record<string, string>) =>
    sql.raw(
      Object.keys(fields)
        .map((k) => `'${k}'`)
        .join(", "),
    );
  const names = sql.raw(
    Object.entries({ ...UPDATED_FIELDS, ...OUTCOME_FIELDS })
      .map(([k, name]) => `WHEN '${k}' THEN '${name}'`)
      .join(" "),
  );
  const fields = sql`FROM json_each(j.value, '$.set') s WHERE (s.key IN (${keys(UPDATED_FIELDS)})
    OR (s.key IN (${keys(OUTCOME_FIELDS)}) AND coalesce(j.value ->> '$.set.status', '') NOT IN ('won', 'lost')))`;
  const changed = sql`(SELECT json_group_array(CASE s.key ${names} END) ${fields})`;
  const previous = sql`'previous_stage_id', j.value ->> '$.before.stageId', 'previous_stage', (SELECT s.name
    FROM pipeline_stages s WHERE s.tenant_id = r.tenant_id AND s.id = j.value ->> '$.before.stageId')`;
  return [
    webhookEventSql(
      t,
      "deal.updated",
      dealUpdatedData(changed, "r"),
      sql`${rows.from} WHERE EXISTS (SELECT 1 ${fields})`,
      now,
    ),
    webhookEventSql(
      t,
      "deal.stage_changed",
      dealData("r", previous),
      sql`${rows.from} WHERE json_type(j.value, '$.set.stageId') IS NOT NULL`,
      now,
    ),
    webhookEventSql(t, "deal.won", dealData("r"), sql`${rows.from} WHERE j.value ->> '$.set.status' = 'won'`, now),
    webhookEventSql(t, "deal.lost", dealData("r"), sql`${rows.from} WHERE j.value ->> '$.set.status' = 'lost'`, now),
  ];
}

/** An object's keys, each with its value as JSON text (`->` gives a null as 'null', which json_patch would drop). */
const entriesOf = (column: string, except?: string) =>
  sql.raw(`SELECT k.key, ${column} -> k.key AS v FROM json_each(${column}) k
    ${except ? `WHERE k.key NOT IN (SELECT key FROM json_each(${except}))` : ""}`);

/**
 * A deal's import record merged with a later chunk's update of it (the upsert's SET), nulls kept: `before` takes
 * each field's value from the first change (and firstWrittenAt, when that was), `after` each field's latest value,
 * so undo restores what either chunk changed and finds the stage spans of both.
 */
export const mergedDealHistory = sql`before = (SELECT json_group_object(key, json(v)) FROM (
    ${entriesOf("import_records.before")} UNION ALL ${entriesOf("excluded.before", "import_records.before")})),
  after = (SELECT json_group_object(key, json(v)) FROM (
    ${entriesOf("excluded.after")} UNION ALL ${entriesOf("import_records.after", "excluded.after")})),
  written_at = excluded.written_at`;

/** A deal update's `before` as its import record keeps it: with the time the import first changed the deal. */
export const dealBefore = (now: number) => sql`json_set(j.value -> 'before', '$.firstWrittenAt', ${now})`;
