/**
 * The record a task is linked to: its name as pages show it, and the task form's picker, which finds contacts,
 * companies and deals as the header's search does (src/services/search/global.ts), a few of each.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType } from "../../db/schema";
import { displayDomain } from "../../lib/domain";
import { contactDisplayName } from "../contacts/names";
import { contactOption } from "../deals/contact-choices";
import { searchTerms } from "../records/search";
import { companyMatches, contactMatches, dealMatches } from "../search/global";

export async function recordName(t: TenantDb, type: SubjectType, id: number): Promise<string | null> {
  if (type === "contact") {
    // Named as every page names a contact: a contact with only an email is its email, not "".
    const [c] = await t.db.all<{ id: number; firstName: string; lastName: string; primaryEmail: string | null }>(
      sql`SELECT id, first_name AS firstName, last_name AS lastName, primary_email AS primaryEmail
          FROM contacts WHERE tenant_id = ${t.tenantId} AND id = ${id}`,
    );
    return c ? contactDisplayName(c) : null;
  }
  const read =
    type === "company"
      ? sql`SELECT name FROM companies WHERE tenant_id = ${t.tenantId} AND id = ${id}`
      : sql`SELECT name FROM deals WHERE tenant_id = ${t.tenantId} AND id = ${id}`;
  const [row] = await t.db.all<{ name: string }>(read);
  return row?.name ?? null;
}

/** Of each kind the picker shows per keystroke. */
export const RECORD_OPTIONS_EACH = 4;

export interface RecordOption {
  /** The form's value: "contact:12". */
  ref: string;
  kind: SubjectType;
  name: string;
  /** Told apart from namesakes: an email or domain, a deal's stage. */
  detail: string | null;
}

/** The workspace's contacts, companies and deals matching `query` (at most 100 characters), in one batch. */
export async function recordOptions(t: TenantDb, query: string): Promise<{ query: string; hits: RecordOption[] }> {
  const typed = query.trim().slice(0, 100);
  if (searchTerms(typed).length === 0) return { query: typed, hits: [] };
  const [people, firms, sales] = await t.db.batch([
    contactMatches(t, typed, RECORD_OPTIONS_EACH),
    companyMatches(t, typed, RECORD_OPTIONS_EACH),
    dealMatches(t, typed, RECORD_OPTIONS_EACH),
  ]);
  return {
    query: typed,
    hits: [
      ...people.map(contactOption).map(({ id, ...o }) => ({ ref: `contact:${id}`, kind: "contact" as const, ...o })),
      ...firms.map((c) => ({
        ref: `company:${c.id}`,
        kind: "company" as const,
        name: c.name,
        detail: c.domain && displayDomain(c.domain),
      })),
      ...sales.map((d) => ({ ref: `deal:${d.id}`, kind: "deal" as const, name: d.name, detail: d.stage })),
    ],
  };
}
