/**
 * What the support view lets staff open, and what it writes to the workspace's trail: every page viewed
 * ("viewed company Acme", "viewed contact #12") and every change attempted, with the staff member's name and grant.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { companies, deals, tasks } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { staffAuditInsert } from "../staff/staff-audit";

/**
 * The workspace's records and their settings pages. Not: anyone's personal settings, the team, billing,
 * closing, exports and imports (an export for a customer is a console action of its own), switching
 * workspace, or Support access itself.
 */
export const SUPPORT_VIEW_PREFIXES = [
  "/app/contacts",
  "/app/companies",
  "/app/deals",
  "/app/tasks",
  "/app/search",
  "/app/reports",
  "/app/notes",
  "/app/interactions",
  "/app/settings/tags",
  "/app/settings/fields",
  "/app/settings/pipelines",
] as const;

/** Pages under those prefixes that show the team: the note box's @mention list (every member's name and address). */
export const SUPPORT_VIEW_EXCLUDED = ["/app/notes/members"] as const;

/** Whether an /app path may be opened in the support view (the dashboard, or under one of the prefixes). */
export function supportViewAllows(path: string): boolean {
  if (SUPPORT_VIEW_EXCLUDED.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  return path === "/app" || SUPPORT_VIEW_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

const RECORD_PAGES: { pattern: RegExp; type: string; list: string }[] = [
  { pattern: /^\/app\/contacts(?:\/(\d+))?/, type: "contact", list: "the contacts list" },
  { pattern: /^\/app\/companies(?:\/(\d+))?/, type: "company", list: "the companies list" },
  { pattern: /^\/app\/deals(?:\/(\d+))?/, type: "deal", list: "the deals" },
  { pattern: /^\/app\/tasks(?:\/(\d+))?/, type: "task", list: "the tasks" },
];

/** The page's subject as the trail names it: a record by its name then, else the page. */
export async function describeSupportPage(
  t: TenantDb,
  path: string,
): Promise<{ type: string; id?: string; label: string }> {
  for (const page of RECORD_PAGES) {
    const m = page.pattern.exec(path);
    if (!m) continue;
    if (!m[1]) return { type: "page", label: page.list };
    const id = Number(m[1]);
    // A contact is a person the workspace may have to erase, and the trail is append-only: it keeps their id only.
    const label = page.type === "contact" ? null : await recordLabel(t, page.type, id);
    return { type: page.type, id: m[1], label: label ? `${page.type} ${label}` : `${page.type} #${id}` };
  }
  if (path === "/app") return { type: "page", label: "the dashboard" };
  return { type: "page", label: path };
}

async function recordLabel(t: TenantDb, type: string, id: number): Promise<string | null> {
  if (!Number.isSafeInteger(id)) return null;
  const q =
    type === "company"
      ? t.db
          .select({ label: companies.name })
          .from(companies)
          .where(t.where(companies, eq(companies.id, id)))
      : type === "deal"
        ? t.db
            .select({ label: deals.name })
            .from(deals)
            .where(t.where(deals, eq(deals.id, id)))
        : t.db
            .select({ label: tasks.title })
            .from(tasks)
            .where(t.where(tasks, eq(tasks.id, id)));
  const [row] = await q.limit(1);
  return row?.label ?? null;
}

export interface SupportRequestFacts {
  staffId: string;
  staffName: string;
  grantId: string;
  method: string;
  path: string;
  status: number;
}

/** The trail entry of one support request: a page viewed, or a change (and whether it was let through). */
export async function recordSupportRequest(t: TenantDb, facts: SupportRequestFacts, meta: RequestMeta) {
  const page = await describeSupportPage(t, facts.path);
  const viewing = facts.method === "GET" || facts.method === "HEAD";
  await staffAuditInsert(t.db, {
    staffId: facts.staffId,
    staffName: facts.staffName,
    tenantId: t.tenantId,
    action: viewing ? "support.viewed" : "support.acted",
    targetType: page.type,
    targetId: page.id,
    targetLabel: page.label,
    detail: { grant: facts.grantId, ...(viewing ? {} : { request: facts.method, status: facts.status }) },
    ...meta,
  });
}

/** The trail's label for a workspace's records taken whole in the console's account export. */
export const EXPORT_SEEN_LABEL = "every record, downloaded in an account export";

/**
 * The entry an account export writes in a workspace whose records it took under a grant: a view under that
 * grant, so it is listed in Settings → Support access with the pages support opened.
 */
export function supportExportSeen(
  db: Database,
  tenantId: string,
  staff: { id: string; name: string },
  grantId: string,
  meta: RequestMeta,
) {
  return staffAuditInsert(db, {
    staffId: staff.id,
    staffName: staff.name,
    tenantId,
    action: "support.viewed",
    targetType: "page",
    targetLabel: EXPORT_SEEN_LABEL,
    detail: { grant: grantId, export: true },
    ...meta,
  });
}
