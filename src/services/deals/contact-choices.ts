/**
 * The deal form's contact combobox: the workspace's contacts found through their search index as one types
 * (a prefix of any word of a name, email, phone or company; from 3 characters a part inside a word of a name
 * or email), as the header's search box finds them. What was typed is bound into the FTS expression by
 * ftsQuery, never written into SQL.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts } from "../../db/schema";
import { contactDisplayName } from "../contacts/names";
import { ftsQuery, searchTerms } from "../records/search";

/** Contacts shown per keystroke. */
export const CONTACT_OPTIONS_LIMIT = 10;

export interface ContactOption {
  id: number;
  name: string;
  /** Told apart from namesakes: the email, or else the company. */
  detail: string | null;
}

/** The workspace's contacts matching `query` (at most 100 characters), newest first. */
export async function contactOptions(t: TenantDb, query: string): Promise<{ query: string; hits: ContactOption[] }> {
  const typed = query.trim().slice(0, 100);
  const match = ftsQuery(t.tenantId, searchTerms(typed));
  if (match === null) return { query: typed, hits: [] };
  const rows = await t.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      primaryEmail: contacts.primaryEmail,
      companyName: contacts.companyName,
    })
    .from(sql`contacts_fts`)
    .crossJoin(contacts)
    // The index drives, as in the contacts list and the header's search: the MATCH names the tenant's token.
    .where(t.where(contacts, sql`contacts_fts MATCH ${match}`, sql`${contacts.id} = contacts_fts.rowid`))
    .orderBy(sql`contacts_fts.rowid DESC`)
    .limit(CONTACT_OPTIONS_LIMIT);
  return {
    query: typed,
    hits: rows.map((r) => ({ id: r.id, name: contactDisplayName(r), detail: r.primaryEmail ?? r.companyName })),
  };
}
