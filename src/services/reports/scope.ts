/**
 * Whose figures a reader sees. Admins and owners always see the whole team's; members and viewers see the team's
 * when the workspace's report scope is "team" (the default), else only their own. The condition is SQL so the
 * scope is read inside the same batch as the figures, never in a round trip of its own; on the dashboard, whose
 * reads run with the session check (deferSessionCheck), the reader and their role may themselves be SQL.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { Role } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";

export interface ReportReader {
  /** The reader's id, or SQL that reads it (the session's user) inside the batch. */
  userId: string | SQL;
  /** Null while the session is unchecked: then the membership row says, in SQL. */
  role: Role | null;
}

export const seesWholeTeam = (reader: { role: Role }) => roleAtLeast(reader.role, "admin");

/** True (SQL) when the reader is an admin or owner of the workspace. */
export function readerIsAdmin(t: TenantDb, reader: ReportReader): SQL {
  if (reader.role !== null) return roleAtLeast(reader.role, "admin") ? sql`1` : sql`0`;
  return sql`EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${reader.userId}
    AND m.role IN ('admin', 'owner'))`;
}

/**
 * Rows whose `userColumn` (an owner, author or assignee id; '' for none) the reader may count, narrowed to
 * `asked` (a member's id, or '' for "no owner") when the reports page's owner filter names one.
 */
export function readerRows(t: TenantDb, reader: ReportReader, userColumn: SQL, asked?: string | null): SQL {
  const scope =
    reader.role !== null && roleAtLeast(reader.role, "admin")
      ? sql`1`
      : sql`(${userColumn} = ${reader.userId} OR ${readerIsAdmin(t, reader)} OR EXISTS (SELECT 1 FROM tenants
        WHERE id = ${t.tenantId} AND report_scope = 'team'))`;
  return asked === undefined || asked === null ? scope : sql`(${scope} AND ${userColumn} = ${asked})`;
}
