/**
 * What merging two contacts and merging two companies share (src/services/contacts/merge.ts,
 * src/services/companies/merge.ts): statements that run only once the batch has written the kept record (`done`).
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { KeyActor } from "../../lib/actor";
import { nextTaskDueUpdate } from "../tasks/statements";

export interface MergeIds {
  into: number;
  from: number;
  /** True once the batch has written the kept record (its version is this batch's). */
  done: SQL;
}

/** The kept record's `last_contacted_at`: the later of the two (null when neither was contacted). */
export function laterContacted(t: TenantDb, table: "contacts" | "companies", fromId: number): SQL {
  return sql`nullif(max(coalesce(last_contacted_at, 0), coalesce((SELECT b.last_contacted_at
    FROM ${sql.raw(table)} b WHERE b.tenant_id = ${t.tenantId} AND b.id = ${fromId}), 0)), 0)`;
}

/**
 * The merged record's history (but its "created", which the merge's entry stands for), notes, tasks, logged
 * interactions and its notes and tasks in the trash move to the kept one; the kept one's "Next task" follows; its
 * recent views go, and an import's undo has nothing left to do for it.
 */
export function movedSubjectStatements(t: TenantDb, subject: "contact" | "company", ids: MergeIds): SQL[] {
  const { tenantId } = t;
  const { into, from, done } = ids;
  return [
    sql`DELETE FROM activities WHERE tenant_id = ${tenantId} AND subject_type = ${subject} AND subject_id = ${from}
      AND kind = 'created' AND ${done}`,
    // A trashed note or task comes back from its snapshot: the snapshot names the kept record too.
    sql`UPDATE trash_rows SET data = json_set(data, '$.subject_id', ${into})
      WHERE tenant_id = ${tenantId} AND item_id IN (SELECT i.id FROM trash_items i
        WHERE i.tenant_id = ${tenantId} AND i.subject_type = ${subject} AND i.subject_id = ${from})
      AND data ->> '$.subject_type' = ${subject} AND data ->> '$.subject_id' = ${from} AND ${done}`,
    ...(["notes", "tasks", "interactions", "activities", "trash_items"] as const).map(
      (table) => sql`UPDATE ${sql.raw(table)} SET subject_id = ${into}
        WHERE tenant_id = ${tenantId} AND subject_type = ${subject} AND subject_id = ${from} AND ${done}`,
    ),
    nextTaskDueUpdate(t, subject, [into])!,
    sql`DELETE FROM recent_views WHERE tenant_id = ${tenantId} AND subject_type = ${subject}
      AND subject_id = ${from} AND ${done}`,
    sql`DELETE FROM import_records WHERE tenant_id = ${tenantId} AND entity_type = ${subject}
      AND entity_id = ${from} AND ${done}`,
  ];
}

/**
 * What still names the merged company after its rows moved: saved contact views filtered by it (`company=<id>` in
 * their canonical query) now filter by the kept one, and contacts and deals in the trash come back at the kept
 * company (their snapshots are repointed, with its name) instead of without one.
 */
export function mergedCompanyReferences(t: TenantDb, ids: MergeIds, kept: { name: string; sort: string }): SQL[] {
  const { tenantId } = t;
  const { into, from, done } = ids;
  const wrapped = sql`'&' || query || '&'`;
  return [
    sql`UPDATE saved_views SET query = trim(replace(${wrapped}, ${`&company=${from}&`}, ${`&company=${into}&`}), '&')
      WHERE tenant_id = ${tenantId} AND entity = 'contact' AND instr(${wrapped}, ${`&company=${from}&`}) > 0
      AND ${done}`,
    sql`UPDATE trash_rows SET data = json_set(data, '$.company_id', ${into}, '$.company_name', ${kept.name},
        '$.company_sort', ${kept.sort})
      WHERE tenant_id = ${tenantId} AND table_name = 'contacts' AND data ->> '$.company_id' = ${from} AND ${done}`,
    sql`UPDATE trash_rows SET data = json_set(data, '$.company_id', ${into})
      WHERE tenant_id = ${tenantId} AND table_name = 'deals' AND data ->> '$.company_id' = ${from} AND ${done}`,
  ];
}

/** A trashed deal of the merged contact comes back with the kept one as its contact (its snapshot's link is repointed). */
export function mergedContactReferences(t: TenantDb, ids: MergeIds): SQL[] {
  return [
    sql`UPDATE trash_rows SET data = json_set(data, '$.contact_id', ${ids.into})
      WHERE tenant_id = ${t.tenantId} AND table_name = 'deal_contacts' AND data ->> '$.contact_id' = ${ids.from}
      AND ${ids.done}`,
  ];
}

/** The merge's audit entry, naming both by id (a merged contact's details live on in the kept one, not here). */
export function mergeAuditInsert(
  t: TenantDb,
  actor: KeyActor,
  subject: "contact" | "company",
  ids: MergeIds,
  label: string,
): SQL {
  return sql`INSERT INTO audit_log (tenant_id, actor_user_id, action, target_type, target_id, target_label, detail, ip,
      user_agent, created_at)
    SELECT ${t.tenantId}, ${actor.userId}, 'record.merged', ${subject}, ${String(ids.into)}, ${label},
      ${JSON.stringify({ merged: ids.from })}, ${actor.ip}, ${actor.userAgent?.slice(0, 512) ?? null}, ${actor.now}
    WHERE ${ids.done}`;
}
