/**
 * Writing one import chunk, and undoing it.
 *
 * A chunk is planned against the database as it is now (which rows are new, which update a record,
 * which change nothing), then written in ONE db.batch, so it lands whole or not at all. Rows go in as
 * one JSON parameter per statement (json_each), so no statement has more than a handful of bound
 * parameters however many rows a chunk has (D1 allows 100).
 *
 * New rows' ids: the batch inserts the chunk's new records with one INSERT ... SELECT in the JSON's
 * order, so they get consecutive AUTOINCREMENT ids at the top of the table (a batch is one
 * transaction; nothing else writes in between). The statements after it find row k's record as
 * max(id) - (n - 1) + k, and also check tenant and creation time, so they can never reach another
 * record.
 *
 * The first statement of every batch inserts the chunk's key into import_chunks: a replayed queue
 * message fails on that key and its batch writes nothing.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import type { ImportKind } from "../../db/schema";
import { PlanLimitError, isPlanLimitError } from "../billing/limits";
import { formatPhone } from "../../lib/phone";
import { matchContact } from "./match";
import { nameKey, type CompanyRecord, type ContactRecord, type MappableField } from "./parse";
import { emptyReview, type ChunkReview, type ReviewChange } from "./review";
import { normaliseEmail, suppressedEmails } from "../privacy/suppression";
import { TAG_COLORS } from "../records/tags";

/** Rows per chunk: one batch of about 20 statements. */
export const CHUNK_ROWS = 500;

export interface ChunkRow<R> {
  /** Row number in the file (1 = first row after the header). */
  n: number;
  r: R;
}

export interface ChunkContext {
  tenantId: string;
  importId: string;
  actorId: string | null;
  /** Members by email, for the owner column. */
  owners: Map<string, string>;
  /** The same the other way round, made once when an update's owner is shown. */
  memberEmails?: Map<string, string>;
  fields: MappableField[];
  /** The Free plan's contact cap, or null (no cap applies). */
  freeMaxContacts: number | null;
  /** The key of the suppression list's HMAC (SUPPRESSION_KEY); unset: no list to check. */
  suppressionKey: string | undefined;
}

export interface ChunkPlan {
  creates: number;
  updates: number;
  unchanged: number;
  /** Rows that matched a record an earlier row of the chunk already matched. */
  duplicates: number;
  /** Contact rows skipped because one of their emails is on the tenant's suppression list (src/services/privacy/suppression.ts). */
  suppressed?: number;
  /** Contact rows not imported: their email is on a contact of another name (import-match.ts). */
  conflicts: number;
  /** New contacts that share a phone with a contact of another name. */
  possibleDuplicates: number;
  /** What the preview lists for review (import-review.ts). */
  review: ChunkReview;
  statements: SQL[];
}

/** The colour a new tag gets: picked from its name, as findOrCreateTag does. */
function tagColor(key: string): string {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return TAG_COLORS[hash % TAG_COLORS.length]!;
}

const json = (v: unknown) => JSON.stringify(v);

/** Creates the tags a chunk names that the tenant lacks, and records them for undo. */
function tagStatements(ctx: ChunkContext, list: { k: string; name: string; c: string }[], now: number): SQL[] {
  const keys = json(list.map((t) => t.k));
  return [
    // Recorded first, while only the tags that already exist are there: those are not the import's.
    sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT ${ctx.tenantId}, ${ctx.importId}, 'tag', -1 - j.key, 'created', 0, NULL, j.value, ${now} FROM json_each(${keys}) j
      WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.tenant_id = ${ctx.tenantId} AND t.name_key = j.value)`,
    sql`INSERT INTO tags (tenant_id, name, name_key, color, created_at)
      SELECT ${ctx.tenantId}, j.value ->> 'name', j.value ->> 'k', j.value ->> 'c', ${now} FROM json_each(${json(list)}) j WHERE true ON CONFLICT DO NOTHING`,
    // Now that they exist, the placeholder ids become the tags' ids.
    sql`UPDATE import_records SET entity_id = (SELECT t.id FROM tags t WHERE t.tenant_id = import_records.tenant_id AND t.name_key = import_records.after)
      WHERE tenant_id = ${ctx.tenantId} AND import_id = ${ctx.importId} AND entity_type = 'tag' AND entity_id < 0`,
  ];
}
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** The id of row k of the JSON just inserted into `table` (see the header comment). */
function newId(table: "contacts" | "companies", count: number): SQL {
  return sql.raw(`(SELECT max(id) FROM ${table}) - ${count - 1} + j.key`);
}

/**
 * What an update of a matched record changes, collected field by field: the SET values, the values
 * before and after (kept in import_records for undo) and the timeline's changes. An update fills in
 * and overwrites with what the file has; an empty cell (null) never clears a value.
 */
function updateDiff() {
  const d = {
    set: {} as Record<string, string>,
    before: {} as Record<string, unknown>,
    after: {} as Record<string, unknown>,
    changes: {} as Record<string, [unknown, unknown]>,
  };
  const scalar = (field: string, label: string, was: string | null, value: string | null) => {
    if (value === null || same(was, value)) return;
    d.set[field] = value;
    d.before[field] = was;
    d.after[field] = value;
    d.changes[label] = [was, value];
  };
  return { ...d, scalar };
}

const FIELD_LABELS: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  jobTitle: "Job title",
  address: "Address",
  ownerId: "Owner",
  company: "Company",
  name: "Name",
  domain: "Domain",
  industry: "Industry",
  size: "Size",
  phone: "Phone",
};

/** Members' emails by user id, built once per chunk from the owner column's map. */
function memberEmails(ctx: ChunkContext): Map<string, string> {
  ctx.memberEmails ??= new Map([...ctx.owners].map(([email, id]) => [id, email]));
  return ctx.memberEmails;
}

/** An update's changes as the preview lists them: before → after per field, in words a user reads. */
function reviewChanges(
  ctx: ChunkContext,
  d: ReturnType<typeof updateDiff>,
  r: { tags: string[]; note: string | null },
  added: { emails?: string[]; phones?: string[] },
) {
  const members = memberEmails(ctx);
  const shown = (field: string, v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (field === "ownerId") return members.get(String(v)) ?? "a former member";
    return field === "phone" ? formatPhone(String(v)) : String(v);
  };
  const out: ReviewChange[] = [];
  for (const [field, [before, after]] of Object.entries(d.changes)) {
    if (field === "addedEmails" || field === "addedPhones") continue;
    out.push({ field: FIELD_LABELS[field] ?? field, before: shown(field, before), after: shown(field, after) });
  }
  if (added.emails?.length) out.push({ field: "Email", before: null, after: added.emails.join(", "), added: true });
  if (added.phones?.length)
    out.push({ field: "Phone", before: null, after: added.phones.map(formatPhone).join(", "), added: true });
  const tags = (d.after.tk as string[] | undefined) ?? [];
  if (tags.length)
    out.push({
      field: "Tags",
      before: null,
      after: r.tags.filter((t) => tags.includes(t.toLowerCase())).join(", "),
      added: true,
    });
  const custom = (d.after.cf as Record<string, string> | undefined) ?? {};
  const customBefore = (d.before.cf as Record<string, string | null> | undefined) ?? {};
  for (const [fieldId, value] of Object.entries(custom)) {
    out.push({
      field: ctx.fields.find((f) => String(f.id) === fieldId)?.name ?? "Custom field",
      before: customBefore[fieldId] ?? null,
      after: value,
    });
  }
  if (d.after.no) out.push({ field: "Note", before: null, after: r.note, added: true });
  return out;
}

/**
 * The timeline's record of an update (src/services/records/activity.ts describes it): owners by email rather
 * than id, and what the row added (emails, phones, tags, custom values) under keys the timeline names.
 */
function timelineChanges(
  ctx: ChunkContext,
  d: ReturnType<typeof updateDiff>,
  r: { tags: string[] },
): Record<string, [unknown, unknown]> {
  const members = memberEmails(ctx);
  const out: Record<string, [unknown, unknown]> = {};
  for (const [field, pair] of Object.entries(d.changes)) {
    if (field === "ownerId")
      out.owner = pair.map((id) => (id === null ? null : (members.get(String(id)) ?? "former member"))) as [
        unknown,
        unknown,
      ];
    else out[field] = pair;
  }
  const tags = (d.after.tk as string[] | undefined) ?? [];
  if (tags.length) out.addedTags = [null, r.tags.filter((t) => tags.includes(t.toLowerCase())).join(", ")];
  const custom = (d.after.cf as Record<string, string> | undefined) ?? {};
  const customBefore = (d.before.cf as Record<string, string | null> | undefined) ?? {};
  for (const [fieldId, value] of Object.entries(custom)) out[`cf_${fieldId}`] = [customBefore[fieldId] ?? null, value];
  return out;
}

const displayName = (first: string, last: string) => `${first} ${last}`.trim();

/** The tags, custom values and note a row adds to a matched record (JSON as the plan's query read them). */
function extrasDiff(
  d: ReturnType<typeof updateDiff>,
  r: { tags: string[]; custom: Record<string, string>; note: string | null },
  have: { tags: string; custom: string; notes: string },
) {
  const haveTags = JSON.parse(have.tags) as string[];
  const haveCustom = JSON.parse(have.custom) as Record<string, string>;
  const haveNotes = JSON.parse(have.notes) as string[];
  const tk = r.tags.map((t) => t.toLowerCase()).filter((t) => !haveTags.includes(t));
  const cf: Record<string, string> = {};
  const cfBefore: Record<string, string | null> = {};
  for (const [fieldId, value] of Object.entries(r.custom)) {
    if (haveCustom[fieldId] === value) continue;
    cf[fieldId] = value;
    cfBefore[fieldId] = haveCustom[fieldId] ?? null;
  }
  const no = r.note && !haveNotes.includes(r.note) ? r.note : null;
  if (tk.length) d.after.tk = tk;
  if (Object.keys(cf).length) {
    d.after.cf = cf;
    d.before.cf = cfBefore;
  }
  if (no) d.after.no = no;
  return { tk, cf, no };
}

// ---- contacts -------------------------------------------------------------------------------------

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
async function currentContacts(
  db: Database,
  tenantId: string,
  emails: string[],
  phones: string[],
  nameSorts: string[],
) {
  const rows = await db.all<CurrentContact & { k: string }>(sql`
    WITH m(k, contact_id) AS (
      SELECT 'e:' || email, contact_id FROM contact_emails WHERE tenant_id = ${tenantId} AND email IN (SELECT value FROM json_each(${json(emails)}))
      UNION ALL
      SELECT 'p:' || phone, contact_id FROM contact_phones WHERE tenant_id = ${tenantId} AND phone IN (SELECT value FROM json_each(${json(phones)}))
      UNION ALL
      -- Rows without email or phone: contacts of that name that have neither (contacts_tenant_name_idx).
      SELECT 'n:' || name_sort || '|' || company_sort, id FROM contacts WHERE tenant_id = ${tenantId} AND name_sort IN (SELECT value FROM json_each(${json(nameSorts)}))
        AND primary_email IS NULL AND primary_phone IS NULL
    )
    SELECT m.k, c.id, c.updated_at, c.last_activity_at, c.first_name, c.last_name, c.job_title, c.company_name, c.address, c.owner_id,
      (SELECT json_group_array(email) FROM (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY position)) AS emails,
      (SELECT json_group_array(phone) FROM (SELECT phone FROM contact_phones WHERE contact_id = c.id ORDER BY position)) AS phones,
      (SELECT json_group_array(t.name_key) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = c.tenant_id AND ct.contact_id = c.id) AS tags,
      (SELECT json_group_object(v.field_id, v.value) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'contact'
        WHERE v.tenant_id = c.tenant_id AND v.entity_id = c.id) AS custom,
      (SELECT json_group_array(body) FROM notes WHERE tenant_id = c.tenant_id AND subject_type = 'contact' AND subject_id = c.id) AS notes
    FROM m JOIN contacts c ON c.id = m.contact_id AND c.tenant_id = ${tenantId} ORDER BY c.id`);
  const byKey = new Map<string, CurrentContact[]>();
  for (const r of rows) {
    const holders = byKey.get(r.k);
    if (holders) holders.push(r);
    else byKey.set(r.k, [r]);
  }
  return byKey;
}

/** The tenant's companies named like these (lower-case names), lowest id first. */
async function companiesByName(db: Database, tenantId: string, sorts: string[]): Promise<Set<string>> {
  if (sorts.length === 0) return new Set();
  const rows = await db.all<{ name_sort: string }>(
    sql`SELECT DISTINCT name_sort FROM companies WHERE tenant_id = ${tenantId} AND name_sort IN (SELECT value FROM json_each(${json(sorts)}))`,
  );
  return new Set(rows.map((r) => r.name_sort));
}

/** The company a name refers to: the tenant's oldest company of that (lower-case) name. */
function companyIdBySort(tenantId: string, sortExpr: SQL): SQL {
  return sql`(SELECT id FROM companies WHERE tenant_id = ${tenantId} AND name_sort = ${sortExpr} ORDER BY id LIMIT 1)`;
}

/**
 * Plans a chunk of contact rows and, unless `dryRun`, the statements that write it. The preview
 * runs the same plan to count new, updated and unchanged rows.
 */
export async function planContactChunk(
  db: Database,
  ctx: ChunkContext,
  chunkNo: number,
  chunkRows: ChunkRow<ContactRecord>[],
  now: number,
): Promise<ChunkPlan> {
  const { tenantId } = ctx;
  // People erased on request and put on the suppression list are skipped: counted, written to nothing.
  const suppressed = await suppressedEmails(
    db,
    tenantId,
    ctx.suppressionKey,
    chunkRows.flatMap((r) => r.r.emails),
  );
  const rows = suppressed.size
    ? chunkRows.filter((r) => !r.r.emails.some((e) => suppressed.has(normaliseEmail(e))))
    : chunkRows;
  const emails = rows.flatMap((r) => r.r.emails);
  const phones = rows.flatMap((r) => r.r.phones);
  const companySorts = [...new Set(rows.map((r) => r.r.company?.toLowerCase()).filter((s): s is string => !!s))];
  const nameSorts = rows
    .filter((r) => r.r.emails.length + r.r.phones.length === 0)
    .map((r) => `${r.r.lastName} ${r.r.firstName}`.trim().toLowerCase());
  const [current, existingCompanies] = await Promise.all([
    currentContacts(db, tenantId, emails, phones, nameSorts),
    companiesByName(db, tenantId, companySorts),
  ]);

  const creates: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  const seen = new Set<number>();
  let unchanged = 0;
  let duplicates = 0;
  let newNotes = 0;
  let conflicts = 0;
  let possibleDuplicates = 0;
  const review = emptyReview();
  const newCompanies = new Map<string, string>();
  const tagNames = new Map<string, string>();
  const holders = (key: string) => current.get(key) ?? [];

  for (const { n, r } of rows) {
    const found = matchContact(r, holders, nameKey(r.firstName, r.lastName, r.company));
    if (found.kind === "conflict") {
      // Someone else's address: never an update (it would rename them) nor a second holder of it.
      conflicts += 1;
      const c = found.contact;
      review.conflicts.push({
        row: n,
        name: displayName(r.firstName, r.lastName),
        email: found.email,
        id: c.id,
        recordName: displayName(c.first_name, c.last_name),
      });
      continue;
    }
    for (const t of r.tags) tagNames.set(t.toLowerCase(), tagNames.get(t.toLowerCase()) ?? t);
    const companySort = r.company ? r.company.toLowerCase() : null;
    if (r.company && companySort && !existingCompanies.has(companySort))
      newCompanies.set(companySort, newCompanies.get(companySort) ?? r.company);
    const ownerId = r.owner ? (ctx.owners.get(r.owner) ?? null) : null;
    if (found.kind === "new") {
      if (found.resembles) {
        possibleDuplicates += 1;
        const c = found.resembles.contact;
        review.duplicates.push({
          row: n,
          name: displayName(r.firstName, r.lastName),
          phone: formatPhone(found.resembles.phone),
          id: c.id,
          recordName: displayName(c.first_name, c.last_name),
        });
      }
      creates.push({
        n,
        f: r.firstName,
        l: r.lastName,
        ns: `${r.lastName} ${r.firstName}`.trim().toLowerCase(),
        em: r.emails.slice(0, 5),
        ph: r.phones.slice(0, 5),
        jt: r.jobTitle,
        cs: companySort,
        ad: r.address,
        ow: ownerId,
        tk: r.tags.map((t) => t.toLowerCase()),
        cf: r.custom,
        no: r.note,
      });
      if (r.note) newNotes += 1;
      continue;
    }
    const match = found.contact;
    if (seen.has(match.id)) {
      duplicates += 1;
      continue;
    }
    seen.add(match.id);
    const d = updateDiff();
    const { set, before, after, changes, scalar } = d;
    // An import never renames anyone: the names agree (import-match.ts); a missing part is filled in.
    if (r.firstName && !match.first_name) scalar("f", "firstName", null, r.firstName);
    if (r.lastName && !match.last_name) scalar("l", "lastName", null, r.lastName);
    scalar("jt", "jobTitle", match.job_title, r.jobTitle);
    scalar("ad", "address", match.address, r.address);
    if (ownerId) scalar("ow", "ownerId", match.owner_id, ownerId);
    if (r.company && companySort !== (match.company_name?.toLowerCase() ?? null)) {
      set.cs = companySort!;
      before.cn = match.company_name;
      after.cs = companySort;
      changes.company = [match.company_name, r.company];
    }
    if (set.f !== undefined || set.l !== undefined) {
      set.ns = `${set.l ?? match.last_name} ${set.f ?? match.first_name}`.trim().toLowerCase();
    }
    const haveEmails = JSON.parse(match.emails) as string[];
    const havePhones = JSON.parse(match.phones) as string[];
    // An address another contact holds stays theirs only.
    const em = r.emails
      .filter((e) => !haveEmails.includes(e) && !holders(`e:${e}`).some((c) => c.id !== match.id))
      .slice(0, Math.max(0, 5 - haveEmails.length));
    const ph = r.phones.filter((p) => !havePhones.includes(p)).slice(0, Math.max(0, 5 - havePhones.length));
    if (em.length) {
      after.em = em;
      changes.addedEmails = [null, em.join(", ")];
    }
    if (ph.length) {
      after.ph = ph;
      changes.addedPhones = [null, ph.join(", ")];
    }
    const { tk, cf, no } = extrasDiff(d, r, match);
    if (no) newNotes += 1;
    if (Object.keys(after).length === 0) {
      unchanged += 1;
      continue;
    }
    review.updates.push({
      row: n,
      rowName: displayName(r.firstName, r.lastName),
      id: match.id,
      name: displayName(match.first_name, match.last_name),
      changes: reviewChanges(ctx, d, r, { emails: em, phones: ph }),
    });
    // The record's times before, so an undo that restores everything leaves it exactly as it was.
    before.u = match.updated_at;
    before.la = match.last_activity_at;
    updates.push({ id: match.id, n, s: set, em, ph, tk, cf, no, before, after, ch: timelineChanges(ctx, d, r) });
  }

  const plan: ChunkPlan = {
    creates: creates.length,
    updates: updates.length,
    unchanged,
    duplicates,
    suppressed: chunkRows.length - rows.length,
    conflicts,
    possibleDuplicates,
    review,
    statements: [],
  };
  const s = plan.statements;
  s.push(
    sql`INSERT INTO import_chunks (tenant_id, import_id, phase, chunk_no, created_at) VALUES (${tenantId}, ${ctx.importId}, 'commit', ${chunkNo}, ${now})`,
  );

  // Companies named by rows that the tenant does not have yet.
  if (newCompanies.size) {
    const list = [...newCompanies].map(([sort, name]) => ({ s: sort, name }));
    s.push(sql`INSERT INTO companies (tenant_id, name, name_sort, created_by, created_at, updated_at, last_activity_at)
      SELECT ${tenantId}, j.value ->> 'name', j.value ->> 's', ${ctx.actorId}, ${now}, ${now}, ${now} FROM json_each(${json(list)}) j ORDER BY j.key`);
    const target = sql`FROM json_each(${json(list)}) j CROSS JOIN companies co ON co.id = ${newId("companies", list.length)} AND co.tenant_id = ${tenantId} AND co.created_at = ${now}`;
    s.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT ${tenantId}, 'company', co.id, ${ctx.actorId}, 'created', ${json({ import: ctx.importId })}, ${now} ${target}`);
    s.push(sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT ${tenantId}, ${ctx.importId}, 'company', co.id, 'created', 0, NULL, NULL, ${now} ${target}`);
    s.push(sql`INSERT INTO tenant_counters (tenant_id, contacts, companies, notes) VALUES (${tenantId}, 0, ${list.length}, 0)
      ON CONFLICT (tenant_id) DO UPDATE SET companies = companies + ${list.length}`);
  }
  if (tagNames.size) {
    const list = [...tagNames].map(([k, name]) => ({ k, name, c: tagColor(k) }));
    s.push(...tagStatements(ctx, list, now));
  }

  if (creates.length) {
    const rowsJson = json(creates);
    const count = creates.length;
    // Row k's contact gets id next + k, where next is the first id AUTOINCREMENT would give. The
    // emails, phones, tags, values and notes go in first (foreign keys are checked at the end of the
    // batch), so the contact's insert trigger indexes it for search once, with everything; inserted
    // after it, each email, phone and note would rebuild its search entry again.
    const next = sql.raw(
      `(max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0), coalesce((SELECT /* all tenants: ids are global */ max(id) FROM contacts), 0)) + 1)`,
    );
    s.push(sql`PRAGMA defer_foreign_keys = ON`);
    s.push(sql`INSERT INTO contact_emails (tenant_id, contact_id, position, email)
      SELECT ${tenantId}, ${next} + j.key, e.key, e.value FROM json_each(${rowsJson}) j CROSS JOIN json_each(j.value, '$.em') e`);
    s.push(sql`INSERT INTO contact_phones (tenant_id, contact_id, position, phone)
      SELECT ${tenantId}, ${next} + j.key, p.key, p.value FROM json_each(${rowsJson}) j CROSS JOIN json_each(j.value, '$.ph') p`);
    s.push(sql`INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT ${tenantId}, ${next} + j.key, t.id FROM json_each(${rowsJson}) j
      CROSS JOIN json_each(j.value, '$.tk') k JOIN tags t ON t.tenant_id = ${tenantId} AND t.name_key = k.value WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT ${tenantId}, f.id, ${next} + j.key, v.value FROM json_each(${rowsJson}) j
      CROSS JOIN json_each(j.value, '$.cf') v JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenantId} AND f.entity = 'contact'
      WHERE true ON CONFLICT DO UPDATE SET value = excluded.value`);
    s.push(sql`INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
      SELECT ${tenantId}, 'contact', ${next} + j.key, ${ctx.actorId}, j.value ->> 'no', ${now}, ${now} FROM json_each(${rowsJson}) j WHERE j.value ->> 'no' IS NOT NULL`);
    // At the Free plan's limit the tenant id becomes NULL: NOT NULL fails and the batch rolls back.
    const tenantValue =
      ctx.freeMaxContacts === null
        ? sql`${tenantId}`
        : sql`CASE WHEN coalesce((SELECT state FROM tenant_billing WHERE tenant_id = ${tenantId}), 'free') IN ('trialing', 'active')
            OR coalesce((SELECT contacts FROM tenant_counters WHERE tenant_id = ${tenantId}), 0) + ${count} <= ${ctx.freeMaxContacts} THEN ${tenantId} END`;
    s.push(sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title, company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT ${next} + j.key, ${tenantValue}, j.value ->> 'f', j.value ->> 'l', j.value ->> 'ns', j.value ->> '$.em[0]', j.value ->> '$.ph[0]', j.value ->> 'jt',
        co.id, co.name, coalesce(co.name_sort, ''), j.value ->> 'ad', j.value ->> 'ow', ${ctx.actorId}, ${now}, ${now}, ${now}
      FROM json_each(${rowsJson}) j LEFT JOIN companies co ON co.tenant_id = ${tenantId} AND co.id = ${companyIdBySort(tenantId, sql`j.value ->> 'cs'`)}
      ORDER BY j.key`);
    const target = sql`FROM json_each(${rowsJson}) j CROSS JOIN contacts c ON c.id = ${newId("contacts", count)} AND c.tenant_id = ${tenantId} AND c.created_at = ${now}`;
    s.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT c.tenant_id, 'contact', c.id, ${ctx.actorId}, 'created', ${json({ import: ctx.importId })}, ${now} ${target}`);
    s.push(sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT c.tenant_id, ${ctx.importId}, 'contact', c.id, 'created', j.value ->> 'n', NULL, NULL, ${now} ${target}`);
  }

  if (updates.length) {
    const rowsJson = json(updates);
    const u = sql`FROM json_each(${rowsJson}) u CROSS JOIN contacts c ON c.id = u.value ->> 'id' AND c.tenant_id = ${tenantId}`;
    // An upsert onto the rows themselves: json_each drives (one parse) and each contact is found by
    // its id; an UPDATE ... FROM json_each would scan the contacts and parse the JSON for each.
    const companyId = companyIdBySort(tenantId, sql`u.value ->> '$.s.cs'`);
    s.push(sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title, company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT c.id, c.tenant_id, coalesce(u.value ->> '$.s.f', c.first_name), coalesce(u.value ->> '$.s.l', c.last_name), coalesce(u.value ->> '$.s.ns', c.name_sort),
        coalesce(c.primary_email, u.value ->> '$.em[0]'), coalesce(c.primary_phone, u.value ->> '$.ph[0]'), coalesce(u.value ->> '$.s.jt', c.job_title),
        CASE WHEN u.value ->> '$.s.cs' IS NULL THEN c.company_id ELSE ${companyId} END,
        CASE WHEN u.value ->> '$.s.cs' IS NULL THEN c.company_name ELSE (SELECT name FROM companies WHERE tenant_id = c.tenant_id AND id = ${companyId}) END,
        coalesce(u.value ->> '$.s.cs', c.company_sort), coalesce(u.value ->> '$.s.ad', c.address), coalesce(u.value ->> '$.s.ow', c.owner_id),
        c.created_by, c.created_at, ${now}, ${now}
      ${u} WHERE true
      ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, name_sort = excluded.name_sort,
        primary_email = excluded.primary_email, primary_phone = excluded.primary_phone, job_title = excluded.job_title, company_id = excluded.company_id,
        company_name = excluded.company_name, company_sort = excluded.company_sort, address = excluded.address, owner_id = excluded.owner_id,
        updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`);
    // New emails and phones go after the ones the contact has (positions only need to be unique and ordered).
    s.push(sql`INSERT INTO contact_emails (tenant_id, contact_id, position, email)
      SELECT c.tenant_id, c.id, (SELECT coalesce(max(position), -1) + 1 FROM contact_emails WHERE tenant_id = c.tenant_id AND contact_id = c.id) + e.key, e.value ${u}
      CROSS JOIN json_each(u.value, '$.em') e WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO contact_phones (tenant_id, contact_id, position, phone)
      SELECT c.tenant_id, c.id, (SELECT coalesce(max(position), -1) + 1 FROM contact_phones WHERE tenant_id = c.tenant_id AND contact_id = c.id) + p.key, p.value ${u}
      CROSS JOIN json_each(u.value, '$.ph') p WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT c.tenant_id, c.id, t.id ${u}
      CROSS JOIN json_each(u.value, '$.tk') k JOIN tags t ON t.tenant_id = c.tenant_id AND t.name_key = k.value WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT c.tenant_id, f.id, c.id, v.value ${u}
      CROSS JOIN json_each(u.value, '$.cf') v JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = c.tenant_id AND f.entity = 'contact'
      WHERE true ON CONFLICT DO UPDATE SET value = excluded.value`);
    s.push(sql`INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
      SELECT c.tenant_id, 'contact', c.id, ${ctx.actorId}, u.value ->> 'no', ${now}, ${now} ${u} WHERE u.value ->> 'no' IS NOT NULL`);
    s.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT c.tenant_id, 'contact', c.id, ${ctx.actorId}, 'updated', json_set(u.value -> 'ch', '$.import', ${ctx.importId}), ${now} ${u}`);
    // The first import of a record keeps its "before"; a later one of the same import only moves "after".
    s.push(sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT c.tenant_id, ${ctx.importId}, 'contact', c.id, 'updated', u.value ->> 'n', u.value -> 'before', u.value -> 'after', ${now} ${u}
      WHERE true ON CONFLICT DO UPDATE SET after = excluded.after, written_at = excluded.written_at`);
  }
  if (creates.length || newNotes) {
    s.push(sql`INSERT INTO tenant_counters (tenant_id, contacts, companies, notes) VALUES (${tenantId}, ${creates.length}, 0, ${newNotes})
      ON CONFLICT (tenant_id) DO UPDATE SET contacts = contacts + ${creates.length}, notes = notes + ${newNotes}`);
  }
  s.push(sql`UPDATE import_jobs SET chunks_done = ${chunkNo + 1}, created_count = created_count + ${creates.length},
      updated_count = updated_count + ${updates.length}, updated_at = ${now} WHERE tenant_id = ${tenantId} AND id = ${ctx.importId}`);
  return plan;
}

// ---- companies ------------------------------------------------------------------------------------

interface CurrentCompany {
  id: number;
  updated_at: number;
  last_activity_at: number;
  name: string;
  name_sort: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
  owner_id: string | null;
  tags: string;
  custom: string;
  notes: string;
}

/** Plans (and writes, through the returned statements) a chunk of company rows. */
export async function planCompanyChunk(
  db: Database,
  ctx: ChunkContext,
  chunkNo: number,
  rows: ChunkRow<CompanyRecord>[],
  now: number,
): Promise<ChunkPlan> {
  const { tenantId } = ctx;
  const domains = rows.map((r) => r.r.domain).filter((d): d is string => !!d);
  const names = rows.map((r) => r.r.name.toLowerCase());
  const found = await db.all<CurrentCompany>(sql`
    SELECT co.id, co.updated_at, co.last_activity_at, co.name, co.name_sort, co.domain, co.industry, co.size, co.phone, co.address, co.owner_id,
      (SELECT json_group_array(t.name_key) FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = co.tenant_id AND ct.company_id = co.id) AS tags,
      (SELECT json_group_object(v.field_id, v.value) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'company'
        WHERE v.tenant_id = co.tenant_id AND v.entity_id = co.id) AS custom,
      (SELECT json_group_array(body) FROM notes WHERE tenant_id = co.tenant_id AND subject_type = 'company' AND subject_id = co.id) AS notes
    FROM companies co WHERE co.tenant_id = ${tenantId} AND (co.domain IN (SELECT value FROM json_each(${json(domains)}))
      OR co.name_sort IN (SELECT value FROM json_each(${json(names)}))) ORDER BY co.id`);
  // By domain first; then by name among companies without a different domain.
  const byDomain = new Map<string, CurrentCompany>();
  const byName = new Map<string, CurrentCompany>();
  for (const co of found) {
    if (co.domain && !byDomain.has(co.domain)) byDomain.set(co.domain, co);
    if (!byName.has(co.name_sort)) byName.set(co.name_sort, co);
  }
  const creates: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  const seen = new Set<number>();
  const tagNames = new Map<string, string>();
  const review = emptyReview();
  let unchanged = 0;
  let duplicates = 0;
  let newNotes = 0;
  for (const { n, r } of rows) {
    for (const t of r.tags) tagNames.set(t.toLowerCase(), tagNames.get(t.toLowerCase()) ?? t);
    const ownerId = r.owner ? (ctx.owners.get(r.owner) ?? null) : null;
    let match = r.domain ? byDomain.get(r.domain) : undefined;
    if (!match) {
      const named = byName.get(r.name.toLowerCase());
      if (named && (!named.domain || !r.domain || named.domain === r.domain)) match = named;
    }
    if (!match) {
      creates.push({
        n,
        name: r.name,
        ns: r.name.toLowerCase(),
        d: r.domain,
        i: r.industry,
        sz: r.size,
        ph: r.phone,
        ad: r.address,
        ow: ownerId,
        tk: r.tags.map((t) => t.toLowerCase()),
        cf: r.custom,
        no: r.note,
      });
      if (r.note) newNotes += 1;
      continue;
    }
    if (seen.has(match.id)) {
      duplicates += 1;
      continue;
    }
    seen.add(match.id);
    const d = updateDiff();
    const { set, before, after, scalar } = d;
    scalar("name", "name", match.name, r.name);
    if (set.name !== undefined) set.ns = r.name.toLowerCase();
    scalar("d", "domain", match.domain, r.domain);
    scalar("i", "industry", match.industry, r.industry);
    scalar("sz", "size", match.size, r.size);
    scalar("ph", "phone", match.phone, r.phone);
    scalar("ad", "address", match.address, r.address);
    if (ownerId) scalar("ow", "ownerId", match.owner_id, ownerId);
    const { tk, cf, no } = extrasDiff(d, r, match);
    if (no) newNotes += 1;
    if (Object.keys(after).length === 0) {
      unchanged += 1;
      continue;
    }
    review.updates.push({
      row: n,
      rowName: r.name,
      id: match.id,
      name: match.name,
      changes: reviewChanges(ctx, d, r, {}),
    });
    before.u = match.updated_at;
    before.la = match.last_activity_at;
    updates.push({ id: match.id, n, s: set, tk, cf, no, before, after, ch: timelineChanges(ctx, d, r) });
  }

  const plan: ChunkPlan = {
    creates: creates.length,
    updates: updates.length,
    unchanged,
    duplicates,
    conflicts: 0,
    possibleDuplicates: 0,
    review,
    statements: [],
  };
  const s = plan.statements;
  s.push(
    sql`INSERT INTO import_chunks (tenant_id, import_id, phase, chunk_no, created_at) VALUES (${tenantId}, ${ctx.importId}, 'commit', ${chunkNo}, ${now})`,
  );
  if (tagNames.size) {
    const list = [...tagNames].map(([k, name]) => ({ k, name, c: tagColor(k) }));
    s.push(...tagStatements(ctx, list, now));
  }
  if (creates.length) {
    const rowsJson = json(creates);
    s.push(sql`INSERT INTO companies (tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT ${tenantId}, j.value ->> 'name', j.value ->> 'ns', j.value ->> 'd', j.value ->> 'i', j.value ->> 'sz', j.value ->> 'ad', j.value ->> 'ph', j.value ->> 'ow',
        ${ctx.actorId}, ${now}, ${now}, ${now} FROM json_each(${rowsJson}) j ORDER BY j.key`);
    const target = sql`FROM json_each(${rowsJson}) j CROSS JOIN companies co ON co.id = ${newId("companies", creates.length)} AND co.tenant_id = ${tenantId} AND co.created_at = ${now}`;
    s.push(sql`INSERT INTO company_tags (tenant_id, company_id, tag_id) SELECT co.tenant_id, co.id, t.id ${target}
      CROSS JOIN json_each(j.value, '$.tk') k JOIN tags t ON t.tenant_id = co.tenant_id AND t.name_key = k.value WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT co.tenant_id, f.id, co.id, v.value ${target}
      CROSS JOIN json_each(j.value, '$.cf') v JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = co.tenant_id AND f.entity = 'company'
      WHERE true ON CONFLICT DO UPDATE SET value = excluded.value`);
    s.push(sql`INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
      SELECT co.tenant_id, 'company', co.id, ${ctx.actorId}, j.value ->> 'no', ${now}, ${now} ${target} WHERE j.value ->> 'no' IS NOT NULL`);
    s.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT co.tenant_id, 'company', co.id, ${ctx.actorId}, 'created', ${json({ import: ctx.importId })}, ${now} ${target}`);
    s.push(sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT co.tenant_id, ${ctx.importId}, 'company', co.id, 'created', j.value ->> 'n', NULL, NULL, ${now} ${target}`);
  }
  if (updates.length) {
    const rowsJson = json(updates);
    const u = sql`FROM json_each(${rowsJson}) u CROSS JOIN companies co ON co.id = u.value ->> 'id' AND co.tenant_id = ${tenantId}`;
    s.push(sql`INSERT INTO companies (id, tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT co.id, co.tenant_id, coalesce(u.value ->> '$.s.name', co.name), coalesce(u.value ->> '$.s.ns', co.name_sort), coalesce(u.value ->> '$.s.d', co.domain),
        coalesce(u.value ->> '$.s.i', co.industry), coalesce(u.value ->> '$.s.sz', co.size), coalesce(u.value ->> '$.s.ad', co.address),
        coalesce(u.value ->> '$.s.ph', co.phone), coalesce(u.value ->> '$.s.ow', co.owner_id), co.created_by, co.created_at, ${now}, ${now}
      ${u} WHERE true
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_sort = excluded.name_sort, domain = excluded.domain, industry = excluded.industry,
        size = excluded.size, address = excluded.address, phone = excluded.phone, owner_id = excluded.owner_id,
        updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`);
    // Contacts show their company's name: keep it in step with a renamed company.
    s.push(sql`UPDATE contacts SET company_name = co.name, company_sort = co.name_sort ${u}
      WHERE contacts.tenant_id = ${tenantId} AND contacts.company_id = co.id AND u.value ->> '$.s.name' IS NOT NULL`);
    s.push(sql`INSERT INTO company_tags (tenant_id, company_id, tag_id) SELECT co.tenant_id, co.id, t.id ${u}
      CROSS JOIN json_each(u.value, '$.tk') k JOIN tags t ON t.tenant_id = co.tenant_id AND t.name_key = k.value WHERE true ON CONFLICT DO NOTHING`);
    s.push(sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT co.tenant_id, f.id, co.id, v.value ${u}
      CROSS JOIN json_each(u.value, '$.cf') v JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = co.tenant_id AND f.entity = 'company'
      WHERE true ON CONFLICT DO UPDATE SET value = excluded.value`);
    s.push(sql`INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
      SELECT co.tenant_id, 'company', co.id, ${ctx.actorId}, u.value ->> 'no', ${now}, ${now} ${u} WHERE u.value ->> 'no' IS NOT NULL`);
    s.push(sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT co.tenant_id, 'company', co.id, ${ctx.actorId}, 'updated', json_set(u.value -> 'ch', '$.import', ${ctx.importId}), ${now} ${u}`);
    s.push(sql`INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, before, after, written_at)
      SELECT co.tenant_id, ${ctx.importId}, 'company', co.id, 'updated', u.value ->> 'n', u.value -> 'before', u.value -> 'after', ${now} ${u}
      WHERE true ON CONFLICT DO UPDATE SET after = excluded.after, written_at = excluded.written_at`);
  }
  if (creates.length || newNotes) {
    s.push(sql`INSERT INTO tenant_counters (tenant_id, contacts, companies, notes) VALUES (${tenantId}, 0, ${creates.length}, ${newNotes})
      ON CONFLICT (tenant_id) DO UPDATE SET companies = companies + ${creates.length}, notes = notes + ${newNotes}`);
  }
  s.push(sql`UPDATE import_jobs SET chunks_done = ${chunkNo + 1}, created_count = created_count + ${creates.length},
      updated_count = updated_count + ${updates.length}, updated_at = ${now} WHERE tenant_id = ${tenantId} AND id = ${ctx.importId}`);
  return plan;
}

export type ChunkOutcome =
  | { ok: true; plan: ChunkPlan }
  | { ok: false; reason: "replayed" }
  | { ok: false; reason: "limit"; error: PlanLimitError };

/** Plans and writes one chunk in one batch. A replayed chunk writes nothing. */
export async function commitChunk(
  db: Database,
  kind: ImportKind,
  ctx: ChunkContext,
  chunkNo: number,
  rows: ChunkRow<ContactRecord>[] | ChunkRow<CompanyRecord>[],
  now: number,
): Promise<ChunkOutcome> {
  const plan =
    kind === "contacts"
      ? await planContactChunk(db, ctx, chunkNo, rows as ChunkRow<ContactRecord>[], now)
      : await planCompanyChunk(db, ctx, chunkNo, rows as ChunkRow<CompanyRecord>[], now);
  try {
    await runRawBatch(db, plan.statements);
  } catch (err) {
    if (
      String(err).includes("UNIQUE constraint failed: import_chunks") ||
      String((err as { cause?: unknown }).cause).includes("UNIQUE constraint failed: import_chunks")
    ) {
      return { ok: false, reason: "replayed" };
    }
    if (ctx.freeMaxContacts !== null && isPlanLimitError(err, "contacts.tenant_id"))
      return { ok: false, reason: "limit", error: new PlanLimitError("contacts", ctx.freeMaxContacts) };
    throw err;
  }
  return { ok: true, plan };
}
