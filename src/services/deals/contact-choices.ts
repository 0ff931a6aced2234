/**
 * The deal form's contact combobox: the workspace's contacts found through their search index as one types
 * (a prefix of any word of a name, email, phone or company; from 3 characters a part inside a word of a name
 * or email), as the header's search box finds them. What was typed is bound into the FTS expression by
 * ftsQuery, never written into SQL.
 */
import type { TenantDb } from "../../db/scoped";
import { contactDisplayName } from "../contacts/names";
import { searchTerms } from "../records/search";
import { type ContactMatch, contactMatches } from "../search/global";

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
  if (searchTerms(typed).length === 0) return { query: typed, hits: [] };
  return { query: typed, hits: (await contactMatches(t, typed, CONTACT_OPTIONS_LIMIT)).map(contactOption) };
}

/** A contact the header's search found, as a picker offers it (the task form's picker too). */
export function contactOption(r: ContactMatch): ContactOption {
  return { id: r.id, name: contactDisplayName({ ...r, primaryEmail: r.email }), detail: r.email ?? r.companyName };
}
