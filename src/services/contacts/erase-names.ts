/**
 * What an erased person leaves beyond their own rows.
 *
 * Deals' timelines: a deal's "changed contacts" entry names the people it had before and after ({id, name, role}
 * each, deals/write.ts); erasing a contact turns theirs into "an erased contact" and keeps the others, in the
 * live timeline and in a trashed deal's copy of it (restoring the deal must not bring the name back). Entries
 * written before the ids were kept hold text: one that contains an erased person's name or address loses its list
 * of names entirely (over-redacting is the safe side). Part of the erasure's batch, before the contacts' rows go
 * (their names are read from them).
 *
 * Merged records: what is kept under the id of a contact merged into the erased one (withMergedIds).
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";

const ERASED = "an erased contact";
const REMOVED = "names removed (a person was erased)";

/** The erased people redacted from deals' "changed contacts" entries, live and in the trash (a trashed deal's copy). */
export function erasedFromDealTimelines(t: TenantDb, contactIds: number[]): SQL[] {
  const tenantId = t.tenantId;
  const live = redactedContacts(t, contactIds, sql`detail`);
  // A trashed deal keeps its timeline rows as JSON objects of their columns, the detail a string in them.
  const trashed = redactedContacts(t, contactIds, sql`(data ->> '$.detail')`);
  return [
    sql`UPDATE activities SET detail = ${live.redacted}
      WHERE tenant_id = ${tenantId} AND subject_type = 'deal' AND kind = 'updated' AND ${live.mentions}`,
    sql`UPDATE trash_rows SET data = json_set(data, '$.detail', ${trashed.redacted} || '')
      WHERE tenant_id = ${tenantId} AND table_name = 'activities' AND data ->> '$.subject_type' = 'deal'
        AND data ->> '$.kind' = 'updated' AND ${trashed.mentions}`,
  ];
}

/** Whether a timeline entry's detail (`detail`, its JSON text) names one of the people, and the detail without them. */
function redactedContacts(t: TenantDb, contactIds: number[], detail: SQL) {
  const tenantId = t.tenantId;
  const ids = sql`(SELECT value FROM json_each(${JSON.stringify(contactIds)}))`;
  // What a text entry may have called them: their name, or an address when they had no name.
  const names = sql`(SELECT trim(first_name || ' ' || last_name) AS name FROM contacts
      WHERE tenant_id = ${tenantId} AND id IN ${ids}
    UNION SELECT email FROM contact_emails WHERE tenant_id = ${tenantId} AND contact_id IN ${ids})`;
  const side = (i: 0 | 1) => {
    const path = `$.contacts[${i}]`;
    // Only a list is read as people: a text entry is not JSON to walk.
    const list = sql`json_each(CASE WHEN json_type(${detail}, ${path}) = 'array' THEN ${detail} -> ${path} ELSE '[]' END)`;
    const people = sql`(SELECT 1 FROM ${list} p WHERE p.value ->> 'id' IN ${ids})`;
    const text = sql`(SELECT 1 FROM ${names} n WHERE n.name <> ''
      AND instr(lower(${detail} ->> ${path}), lower(n.name)) > 0)`;
    return {
      mentions: sql`(json_type(${detail}, ${path}) = 'array' AND EXISTS ${people}
        OR json_type(${detail}, ${path}) = 'text' AND EXISTS ${text})`,
      redacted: sql`CASE json_type(${detail}, ${path})
        WHEN 'array' THEN json((SELECT json_group_array(CASE WHEN p.value ->> 'id' IN ${ids}
            THEN json_object('id', NULL, 'name', ${ERASED}, 'role', NULL) ELSE json(p.value) END)
          FROM ${list} p))
        WHEN 'text' THEN CASE WHEN EXISTS ${text} THEN ${REMOVED} ELSE ${detail} ->> ${path} END
        END`,
    };
  };
  const [before, after] = [side(0), side(1)];
  return {
    mentions: sql`json_type(${detail}, '$.contacts') = 'array' AND (${before.mentions} OR ${after.mentions})`,
    redacted: sql`json_set(${detail}, '$.contacts', json_array(${before.redacted}, ${after.redacted}))`,
  };
}

/**
 * The ids of the contacts merged into these, and into those, as the audit trail records each merge: copies kept
 * elsewhere under a merged record's id (webhook events, the API's kept answers, deals' timelines) carry the same
 * person's details, so erasing the kept contact erases them too.
 */
export async function withMergedIds(t: TenantDb, contactIds: number[]): Promise<number[]> {
  const rows = await t.db.all<{ id: number }>(sql`WITH RECURSIVE m(id) AS (
      SELECT value FROM json_each(${JSON.stringify(contactIds)})
      UNION SELECT CAST(json_extract(a.detail, '$.merged') AS INTEGER) FROM m JOIN audit_log a
        ON a.tenant_id = ${t.tenantId} AND a.target_type = 'contact' AND a.target_id = CAST(m.id AS TEXT)
        AND a.action = 'record.merged'
    ) SELECT id FROM m WHERE id IS NOT NULL`);
  return [...new Set([...contactIds, ...rows.map((r) => Number(r.id))])];
}
