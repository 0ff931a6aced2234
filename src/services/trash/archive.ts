/** The trash in "Download my data" (workspace/trash.json): each item, with the rows it would bring back. */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { isoTime } from "../export/serialise";

/** Trash items, oldest first, 100 (one query, their rows aggregated in SQL) at a time. */
export async function* trashPages(t: TenantDb): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const items = await t.db.all<{
      id: number;
      kind: string;
      record_id: number;
      title: string;
      deleted_by: string | null;
      deleted_at: number;
      purge_after: number;
      rows: string;
    }>(sql`
      SELECT i.id, i.kind, i.record_id, i.title, u.email AS deleted_by, i.deleted_at, i.purge_after,
        (SELECT json_group_array(json_object('table', r.table_name, 'row', json(r.data))) FROM trash_rows r
          WHERE r.tenant_id = i.tenant_id AND r.item_id = i.id) AS rows
      FROM trash_items i LEFT JOIN users u ON u.id = i.deleted_by
      WHERE i.tenant_id = ${t.tenantId} AND i.id > ${after} ORDER BY i.id LIMIT 100`);
    yield items.map((r) => ({
      kind: r.kind,
      record_id: r.record_id,
      name: r.title,
      deleted_by: r.deleted_by,
      deleted_at: isoTime(r.deleted_at),
      deleted_for_good_at: isoTime(r.purge_after),
      rows: JSON.parse(r.rows) as unknown,
    }));
    if (items.length < 100) return;
    after = items.at(-1)!.id;
  }
}
