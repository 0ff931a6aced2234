/** How a contact change is recorded for its timeline (updateContact, and a merge). */

/** What a contact's timeline "updated" entry compares: its fields, lists, owner, tags and custom values. */
export interface WatchedContact {
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  companyName: string | null;
  address: string | null;
  ownerId: string | null;
  emails: string[];
  phones: string[];
  tagIds: number[];
  values: Map<number, string | null>;
}

/** A contact as its "updated" entry records it, the owner and tags by the names the reader knows (diff them). */
export function watchedRecord(
  c: WatchedContact,
  names: { owner: (userId: string | null) => string | null; tags: (ids: number[]) => string },
  fields: readonly { id: number }[],
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    firstName: c.firstName,
    lastName: c.lastName,
    jobTitle: c.jobTitle,
    company: c.companyName,
    address: c.address,
    owner: names.owner(c.ownerId),
    emails: c.emails.join(", ") || null,
    phones: c.phones.join(", ") || null,
    tags: names.tags(c.tagIds) || null,
  };
  for (const f of fields) record[`cf_${f.id}`] = c.values.get(f.id) ?? null;
  return record;
}
