/** The kinds of record a page links to, and where each lives: one place, so a new kind is one line. */
export type RecordKind = "contact" | "company" | "deal";

const PATHS: Record<RecordKind, string> = { contact: "/app/contacts", company: "/app/companies", deal: "/app/deals" };

export function recordPath(r: { type: RecordKind; id: number }): string {
  return `${PATHS[r.type]}/${r.id}`;
}
