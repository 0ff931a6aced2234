/** How a contact is named and sorted, the same everywhere (forms, imports, exports, lists). */

/** lower("last first"), the name sort key (imports use it too, so every contact sorts alike). */
export function nameSortOf(firstName: string, lastName: string): string {
  return `${lastName} ${firstName}`.trim().toLowerCase();
}

/** lower(company name), or "" without a company. */
export function companySortOf(companyName: string | null): string {
  return (companyName ?? "").toLowerCase();
}

/** How a contact is named on screen: its name, else its email, else its number. */
export function contactDisplayName(c: {
  id: number;
  firstName: string;
  lastName: string;
  primaryEmail?: string | null;
}): string {
  return `${c.firstName} ${c.lastName}`.trim() || c.primaryEmail || `Contact #${c.id}`;
}

/**
 * contactDisplayName in SQL, of the contacts row `alias` ("c"): the name, else the primary email, else "Contact #id".
 * A contact with only an email has a first and last name of '' (trimmed, '' rather than null).
 */
export function contactNameSql(alias: string): string {
  const c = alias;
  return `coalesce(nullif(trim(${c}.first_name || ' ' || ${c}.last_name), ''), ${c}.primary_email, 'Contact #' || ${c}.id)`;
}
