/**
 * Whose figures a reader sees on the reports page. Admins and owners always see the whole team's; members and
 * viewers see the team's when the workspace's report scope is "team" (the default), else only their own. The
 * condition is SQL so the scope is read inside the same batch as the figures, never in a round trip of its own.
 * (The dashboard's one statement states the same rule in src/services/reports/dashboard-sql.ts.)
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { Role } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";

export interface ReportReader {
  userId: string;
  role: Role;
}

export const seesWholeTeam = (reader: ReportReader) => roleAtLeast(reader.role, "admin");

/**
 * Rows whose `userColumn` (an owner, author or assignee id; '' for none) the reader may count, narrowed to
 * `asked` (a member's id, or '' for "no owner") when the reports page's owner filter names one.
 */
export function readerRows(t: TenantDb, reader: ReportReader, userColumn: SQL, asked?: string | null): SQL {
  const scope = seesWholeTeam(reader)
    ? sql`1`
    : sql`(${userColumn} = ${reader.userId} OR EXISTS (SELECT 1 FROM tenants
        WHERE id = ${t.tenantId} AND report_scope = 'team'))`;
  return asked === undefined || asked === null ? scope : sql`(${scope} AND ${userColumn} = ${asked})`;
}
