/**
 * Reads a tenant's notes for an export, page by page: ONE query per page, each note with the name of the record it
 * is on, on a keyset over notes_tenant_subject_idx so a record's notes come together.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { SubjectType } from "../../db/schema";
import { contactDisplayName } from "../contacts/names";
import { EXPORT_PAGE_SIZE, type ExportNoteRow } from "./columns";
import { keysetPages } from "./read";

interface NoteRow {
  id: number;
  subject_type: SubjectType;
  subject_id: number;
  body: string;
  author: string | null;
  created_at: number;
  updated_at: number;
  first_name: string | null;
  last_name: string | null;
  primary_email: string | null;
  company_name: string | null;
  deal_name: string | null;
}

/** The SQL of one page of notes: keyset (subject_type, subject_id, id) on notes_tenant_subject_idx, so a record's notes come together. */
export function notePageSql(
  tenantId: string,
  after: { subjectType: SubjectType; subjectId: number; id: number } | null,
): SQL {
  const keyset = after
    ? sql`AND (n.subject_type, n.subject_id, n.id) > (${after.subjectType}, ${after.subjectId}, ${after.id})`
    : sql``;
  return sql`SELECT n.id, n.subject_type, n.subject_id, n.body, u.email AS author, n.created_at, n.updated_at,
      rc.first_name, rc.last_name, rc.primary_email, rco.name AS company_name, rd.name AS deal_name
    FROM notes n
    LEFT JOIN users u ON u.id = n.author_id
    LEFT JOIN contacts rc ON n.subject_type = 'contact' AND rc.id = n.subject_id AND rc.tenant_id = n.tenant_id
    LEFT JOIN companies rco ON n.subject_type = 'company' AND rco.id = n.subject_id AND rco.tenant_id = n.tenant_id
    LEFT JOIN deals rd ON n.subject_type = 'deal' AND rd.id = n.subject_id AND rd.tenant_id = n.tenant_id
    WHERE n.tenant_id = ${tenantId} ${keyset}
    ORDER BY n.subject_type, n.subject_id, n.id LIMIT ${EXPORT_PAGE_SIZE + 1}`;
}

/** Every note of the tenant, grouped by record, one page (one query) at a time. */
export async function* notePages(db: Database, tenantId: string): AsyncGenerator<ExportNoteRow[]> {
  const pages = keysetPages<NoteRow>((after) =>
    db.all<NoteRow>(
      notePageSql(
        tenantId,
        after ? { subjectType: after.subject_type, subjectId: after.subject_id, id: after.id } : null,
      ),
    ),
  );
  for await (const rows of pages) {
    yield rows.map((r) => ({
      id: r.id,
      recordType: r.subject_type,
      recordId: r.subject_id,
      recordName:
        r.subject_type === "company"
          ? (r.company_name ?? "")
          : r.subject_type === "deal"
            ? (r.deal_name ?? "")
            : r.first_name !== null
              ? contactDisplayName({
                  id: r.subject_id,
                  firstName: r.first_name,
                  lastName: r.last_name ?? "",
                  primaryEmail: r.primary_email,
                })
              : "",
      body: r.body,
      author: r.author,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
