/** Where a reminder leads: the task's record, or the tasks page for a task linked to none. */

const RECORD_PATHS: Record<string, string> = {
  contact: "/app/contacts",
  company: "/app/companies",
  deal: "/app/deals",
};

/** The path of the page a reminder of a task opens. */
export function taskPath(subjectType: string | null, subjectId: number | null): string {
  const base = subjectType === null ? undefined : RECORD_PATHS[subjectType];
  return base && subjectId !== null ? `${base}/${subjectId}` : "/app/tasks";
}

/**
 * A mail's link to a page of a workspace: through /app/workspaces/open, so it opens in that workspace even when
 * the reader's browser works in another of theirs (a session is in one at a time; the page itself would be a 404).
 */
export function mailLink(baseUrl: string, tenantId: string, path: string): string {
  return `${baseUrl}/app/workspaces/open/${encodeURIComponent(tenantId)}?to=${encodeURIComponent(path)}`;
}
