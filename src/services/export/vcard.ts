/** The contacts export as vCard 4.0 (RFC 6350): one card per contact, its notes as NOTE. */
import type { Database } from "../../db/client";
import { escapeText, property, structured, timestamp } from "../../lib/vcard";
import { type ContactExportFilters, type ExportContact, NO_CONTACT_FILTERS } from "./columns";
import { contactPages } from "./read";
import { document } from "./serialise";

/** One contact as a vCard 4.0 (RFC 6350). */
export function contactVcard(c: ExportContact): string {
  let card = "BEGIN:VCARD\r\nVERSION:4.0\r\n";
  card += property("FN", escapeText(c.displayName));
  card += property("N", structured([c.lastName, c.firstName, "", "", ""]));
  if (c.company?.name) card += property("ORG", structured([c.company.name]));
  if (c.jobTitle) card += property("TITLE", escapeText(c.jobTitle));
  c.emails.forEach((e, i) => {
    card += property(i === 0 ? "EMAIL;PREF=1" : "EMAIL", escapeText(e));
  });
  // Phones are E.164, so they make valid tel: URIs as they are.
  c.phones.forEach((p, i) => {
    card += property(i === 0 ? "TEL;VALUE=uri;PREF=1" : "TEL;VALUE=uri", `tel:${p}`);
  });
  // The address is one free text: it goes in ADR's street component, its lines kept.
  if (c.address) card += property("ADR", structured(["", "", c.address, "", "", "", ""]));
  if (c.tags.length) card += property("CATEGORIES", c.tags.map(escapeText).join(","));
  for (const n of c.notes) card += property("NOTE", escapeText(n.body));
  card += property("REV", timestamp(c.updatedAt));
  return `${card}END:VCARD\r\n`;
}

/** The tenant's contacts as vCards (their notes as NOTE), in chunks of a page. */
export function contactsVcard(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
): AsyncGenerator<string> {
  return document(
    async () => "",
    contactPages(db, tenantId, filters, { notes: true }),
    (page) => page.map(contactVcard).join(""),
    "",
  );
}
