/**
 * Whose figures a reader sees. Admins and owners always see the whole team's; members and viewers see the team's
 * when the workspace's report scope is "team" (the default), else only their own. The rule itself is SQL, in the
 * dashboard's and the reports' statements (dashboard-sql.ts, reports-sql.ts), so the scope is read in the same
 * statement as the figures.
 */
import type { Role } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";

export interface ReportReader {
  userId: string;
  role: Role;
}

export const seesWholeTeam = (reader: ReportReader) => roleAtLeast(reader.role, "admin");
