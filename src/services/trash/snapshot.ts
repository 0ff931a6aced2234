/**
 * Moving records to the trash: statements that copy a record and every row its delete removes into
 * trash_items and trash_rows. A delete puts them FIRST in its own batch, so the copy is exactly what
 * the batch then deletes (one transaction), and the live tables never hold deleted rows.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TrashKind } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { DAY_MS } from "../../lib/retention-periods";
import { columnsOf, ITEM_FACTS, MAIN_TABLE, PARTS, tableName, TRASH_DAYS } from "./parts";

/** Who moves records to the trash, and when. */
export interface TrashActor {
  /** Null for an API key whose maker's account is gone (src/services/api/). */
  userId: string | null;
  now: number;
}

/**
 * The statements moving the tenant's records `ids` of `kind` to the trash (ids that are not the tenant's,
 * or already gone, are skipped by the SQL itself). Put them before the delete's own statements.
 */
export function trashStatements(t: TenantDb, kind: TrashKind, ids: number[], actor: TrashActor): SQL[] {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const facts = ITEM_FACTS[kind];
  const item = sql`INSERT INTO trash_items (tenant_id, kind, record_id, title, subject_type, subject_id, owner_id,
      deleted_by, deleted_at, purge_after)
    SELECT x.tenant_id, ${kind}, x.id, ${sql.raw(facts.title)}, ${sql.raw(facts.subject)}, ${sql.raw(facts.owner)},
      ${actor.userId}, ${actor.now}, ${actor.now + TRASH_DAYS * DAY_MS}
    FROM ${sql.identifier(MAIN_TABLE[kind])} x
    WHERE x.tenant_id = ${t.tenantId} AND x.id IN (SELECT value FROM json_each(${list}))`;
  const rows = PARTS[kind].map((part) => {
    const object = columnsOf(part)
      .map((c) => `'${c}', x."${c}"`)
      .join(", ");
    return sql`INSERT INTO trash_rows (tenant_id, item_id, table_name, data)
      SELECT x.tenant_id, ti.id, ${part.name}, json_object(${sql.raw(object)})
      FROM ${sql.identifier(tableName(part))} x
      JOIN trash_items ti ON ti.tenant_id = x.tenant_id AND ti.kind = ${kind} AND ti.record_id = ${sql.raw(part.recordId)}
      WHERE x.tenant_id = ${t.tenantId} AND ${sql.raw(part.recordId)} IN (SELECT value FROM json_each(${list}))
        ${part.where ? sql`AND ${part.where(t)}` : sql``}`;
  });
  return [item, ...rows];
}
