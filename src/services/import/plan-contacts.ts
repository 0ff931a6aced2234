/**
 * Planning a chunk of contact rows against the tenant's contacts (match.ts decides who each row is):
 * which rows are new, which update a contact, which change nothing or are not imported, and the
 * statements that write it (plan-contacts-sql.ts). The preview runs the same plan without writing.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { formatPhone } from "../../lib/phone";
import { normaliseEmail, suppressedEmails } from "../privacy/suppression";
import {
  type ChunkContext,
  type ChunkPlan,
  type ChunkRow,
  type ContactFields,
  type ContactUpdateRow,
  type NewContactRow,
  ownerIdOf,
} from "./chunk";
import { collectTags } from "./chunk-sql";
import { currentCustomValues, currentNoteBodies, currentTagKeys } from "./current-sql";
import { displayName, extrasDiff, plannedUpdate, updateDiff } from "./diff";
import { matchContact } from "./match";
import { nameKey, type ContactRecord } from "./parse";
import { contactChunkSql } from "./plan-contacts-sql";
import { ChunkTally, createdExtras } from "./plan-tally";

const json = (v: unknown) => JSON.stringify(v);

interface CurrentContact {
  id: number;
  updated_at: number;
  last_activity_at: number;
  first_name: string;
  last_name: string;
  job_title: string | null;
  company_name: string | null;
  address: string | null;
  owner_id: string | null;
  emails: string;
  phones: string;
  tags: string;
  custom: string;
  notes: string;
}

/** The contacts holding the chunk's emails and phones (all of them: colleagues share a phone), with what an update compares. */
async function currentContacts(t: TenantDb, emails: string[], phones: string[], nameSorts: string[]) {
  const rows = await t.db.all<CurrentContact & { k: string }>(sql`
    WITH m(k, contact_id) AS (
      SELECT 'e:' || email, contact_id FROM contact_emails
        WHERE tenant_id = ${t.tenantId} AND email IN (SELECT value FROM json_each(${json(emails)}))
      UNION ALL
      SELECT 'p:' || phone, contact_id FROM contact_phones
        WHERE tenant_id = ${t.tenantId} AND phone IN (SELECT value FROM json_each(${json(phones)}))
      UNION ALL
      -- Rows without email or phone: contacts of that name that have neither (contacts_tenant_name_idx).
      SELECT 'n:' || name_sort || '|' || company_sort, id FROM contacts
        WHERE tenant_id = ${t.tenantId} AND name_sort IN (SELECT value FROM json_each(${json(nameSorts)}))
        AND primary_email IS NULL AND primary_phone IS NULL
    )
    SELECT m.k, c.id, c.updated_at, c.last_activity_at, c.first_name, c.last_name, c.job_title, c.company_name,
      c.address, c.owner_id,
      (SELECT json_group_array(email) FROM (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY position)) AS emails,
      (SELECT json_group_array(phone) FROM (SELECT phone FROM contact_phones WHERE contact_id = c.id ORDER BY position)) AS phones,
      ${currentTagKeys("c", "contact")} AS tags,
      ${currentCustomValues("c", "contact")} AS custom,
      ${currentNoteBodies("c", "contact")} AS notes
    FROM m JOIN contacts c ON c.id = m.contact_id AND c.tenant_id = ${t.tenantId} ORDER BY c.id`);
  const byKey = new Map<string, CurrentContact[]>();
  for (const r of rows) {
    const holders = byKey.get(r.k);
    if (holders) holders.push(r);
    else byKey.set(r.k, [r]);
  }
  return byKey;
}

/** The tenant's companies named like these (lower-case names). */
async function companiesByName(t: TenantDb, sorts: string[]): Promise<Set<string>> {
  if (sorts.length === 0) return new Set();
  const rows = await t.db.all<{ name_sort: string }>(
    sql`SELECT DISTINCT name_sort FROM companies
      WHERE tenant_id = ${t.tenantId} AND name_sort IN (SELECT value FROM json_each(${json(sorts)}))`,
  );
  return new Set(rows.map((r) => r.name_sort));
}

/**
 * Plans a chunk of contact rows: the counts and review lists of the preview, and the statements
 * that write the chunk in one batch.
 */
export async function planContactChunk(
  t: TenantDb,
  ctx: ChunkContext,
  chunkNo: number,
  chunkRows: ChunkRow<ContactRecord>[],
  now: number,
): Promise<ChunkPlan> {
  // People erased on request and put on the suppression list are skipped: counted, written to nothing.
  const emailsOf = (rows: ChunkRow<ContactRecord>[]) => rows.flatMap((row) => row.record.emails);
  const suppressed = await suppressedEmails(t.db, t.tenantId, ctx.suppressionKey, emailsOf(chunkRows));
  const rows = suppressed.size
    ? chunkRows.filter((row) => !row.record.emails.some((e) => suppressed.has(normaliseEmail(e))))
    : chunkRows;
  const records = rows.map((row) => row.record);
  const companySorts = [...new Set(records.map((r) => r.company?.toLowerCase()).filter((s): s is string => !!s))];
  const nameSorts = records
    .filter((r) => r.emails.length + r.phones.length === 0)
    .map((r) => `${r.lastName} ${r.firstName}`.trim().toLowerCase());
  const [current, existingCompanies] = await Promise.all([
    currentContacts(
      t,
      emailsOf(rows),
      records.flatMap((r) => r.phones),
      nameSorts,
    ),
    companiesByName(t, companySorts),
  ]);

  const tally = new ChunkTally<NewContactRow, ContactUpdateRow>();
  const { review } = tally;
  let newNotes = 0;
  const newCompanies = new Map<string, string>();
  const holders = (key: string) => current.get(key) ?? [];

  for (const { rowNo, record: r } of rows) {
    const found = matchContact(r, holders, nameKey(r.firstName, r.lastName, r.company));
    if (found.kind === "conflict") {
      // Someone else's address: never an update (it would rename them) nor a second holder of it.
      const c = found.contact;
      review.conflicts.push({
        row: rowNo,
        name: displayName(r.firstName, r.lastName),
        email: found.email,
        id: c.id,
        recordName: displayName(c.first_name, c.last_name),
      });
      continue;
    }
    collectTags(tally.tagNames, r.tags);
    const companySort = r.company ? r.company.toLowerCase() : null;
    if (r.company && companySort && !existingCompanies.has(companySort))
      newCompanies.set(companySort, newCompanies.get(companySort) ?? r.company);
    const ownerId = ownerIdOf(ctx, r.owner);
    if (found.kind === "new") {
      tally.ownerUnlinked(rowNo, displayName(r.firstName, r.lastName), r.owner, ownerId);
      if (found.resembles) {
        const c = found.resembles.contact;
        review.duplicates.push({
          row: rowNo,
          name: displayName(r.firstName, r.lastName),
          phone: formatPhone(found.resembles.phone),
          id: c.id,
          recordName: displayName(c.first_name, c.last_name),
        });
      }
      tally.creates.push({
        rowNo,
        firstName: r.firstName,
        lastName: r.lastName,
        nameSort: `${r.lastName} ${r.firstName}`.trim().toLowerCase(),
        emails: r.emails.slice(0, 5),
        phones: r.phones.slice(0, 5),
        jobTitle: r.jobTitle,
        companySort,
        address: r.address,
        ownerId,
        ...createdExtras(r),
      });
      if (r.note) newNotes += 1;
      continue;
    }
    const match = found.contact;
    if (!tally.firstMatch(match.id)) continue;
    tally.ownerUnlinked(rowNo, displayName(r.firstName, r.lastName), r.owner, ownerId);
    const d = updateDiff<ContactFields>();
    const { set, before, after, changes, scalar } = d;
    // An import never renames anyone: the names agree (match.ts); a missing part is filled in.
    if (r.firstName && !match.first_name) scalar("firstName", null, r.firstName);
    if (r.lastName && !match.last_name) scalar("lastName", null, r.lastName);
    scalar("jobTitle", match.job_title, r.jobTitle);
    scalar("address", match.address, r.address);
    if (ownerId) scalar("ownerId", match.owner_id, ownerId);
    if (r.company && companySort !== (match.company_name?.toLowerCase() ?? null)) {
      set.companySort = companySort;
      before.companyName = match.company_name;
      after.companySort = companySort;
      changes.company = [match.company_name, r.company];
    }
    if (set.firstName !== undefined || set.lastName !== undefined) {
      set.nameSort = `${set.lastName ?? match.last_name} ${set.firstName ?? match.first_name}`.trim().toLowerCase();
    }
    const haveEmails = JSON.parse(match.emails) as string[];
    const havePhones = JSON.parse(match.phones) as string[];
    // An address another contact holds stays theirs only.
    const emails = r.emails
      .filter((e) => !haveEmails.includes(e) && !holders(`e:${e}`).some((c) => c.id !== match.id))
      .slice(0, Math.max(0, 5 - haveEmails.length));
    const phones = r.phones.filter((p) => !havePhones.includes(p)).slice(0, Math.max(0, 5 - havePhones.length));
    if (emails.length) {
      after.emails = emails;
      changes.addedEmails = [null, emails.join(", ")];
    }
    if (phones.length) {
      after.phones = phones;
      changes.addedPhones = [null, phones.join(", ")];
    }
    const extras = extrasDiff(d, r, match);
    if (extras.note) newNotes += 1;
    const file = { rowNo, name: displayName(r.firstName, r.lastName), tags: r.tags, note: r.note };
    const record = { ...match, name: displayName(match.first_name, match.last_name) };
    const update = plannedUpdate(ctx, d, extras, file, record, { emails, phones });
    if (!update) {
      tally.unchanged += 1;
      continue;
    }
    review.updates.push(update.review);
    tally.updates.push({ ...update.row, emails, phones });
  }

  const { creates, updates, tagNames } = tally;
  return tally.plan(contactChunkSql(t, ctx, chunkNo, now, { creates, updates, newCompanies, tagNames, newNotes }), {
    suppressed: chunkRows.length - rows.length,
    conflicts: review.conflicts.length,
    possibleDuplicates: review.duplicates.length,
  });
}
