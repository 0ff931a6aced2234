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
