/** What support saw and did under each grant, read back from the workspace's audit trail. */
import { and, desc, inArray, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { auditLog } from "../../db/schema";

export interface SupportSeen {
  grantId: string;
  staffName: string;
  action: "support.viewed" | "support.acted";
  label: string | null;
  status: number | null;
  at: number;
}

/** Entries for these grants, newest first, at most `limit` (the trail keeps them for its retention period). */
export async function seenUnder(t: TenantDb, grantIds: string[], limit = 500): Promise<SupportSeen[]> {
  if (!grantIds.length) return [];
  const grantOf = sql<string>`json_extract(${auditLog.detail}, '$.grant')`;
  const rows = await t.db
    .select({
      grantId: grantOf,
      staffName: sql<string>`coalesce(json_extract(${auditLog.detail}, '$.staff'), 'support')`,
      action: auditLog.action,
      label: auditLog.targetLabel,
      status: sql<number | null>`json_extract(${auditLog.detail}, '$.status')`,
      at: auditLog.createdAt,
    })
    .from(auditLog)
    .where(
      t.where(auditLog, inArray(auditLog.action, ["support.viewed", "support.acted"]), and(inArray(grantOf, grantIds))),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows as SupportSeen[];
}
