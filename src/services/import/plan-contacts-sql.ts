/**
 * The batch that writes a planned chunk of contacts: the companies its rows name that the tenant
 * lacks, its tags, new contacts with their emails, phones and extras, and upserts of matched contacts.
 * Each statement reads the chunk's JSON rows (chunk.ts) with json_each, as chunk-sql.ts explains.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  boundParts,
  type ChunkContext,
  type ContactUpdateRow,
  type NamedCompanyRow,
  type NewContactRow,
} from "./chunk";
import { chunkSql, claimChunk, insertedRecords, namedRecords } from "./chunk-sql";

const json = (v: unknown) => JSON.stringify(v);

/** The company a name refers to: the tenant's oldest company of that (lower-case) name. */
function companyIdBySort(t: TenantDb, sortExpr: SQL): SQL {
  return sql`(SELECT id FROM companies WHERE tenant_id = ${t.tenantId} AND name_sort = ${sortExpr} ORDER BY id LIMIT 1)`;
}

export interface ContactChunk {
  creates: NewContactRow[];
  updates: ContactUpdateRow[];
  /** Companies the rows name that the tenant lacks: lower-case name → the name as the file spells it. */
  newCompanies: Map<string, string>;
  tagNames: Map<string, string>;
  /** Notes the chunk adds, to new and matched contacts. */
  newNotes: number;
}

/** The statements of a planned chunk of contacts, in batch order. */
export function contactChunkSql(t: TenantDb, ctx: ChunkContext, chunkNo: number, now: number, chunk: ContactChunk) {
  const shared = chunkSql(t, ctx, now);
  const { creates, updates } = chunk;
  const s: SQL[] = [claimChunk(t, ctx.importId, "commit", chunkNo, now)];
  if (chunk.newCompanies.size) {
    const list = json(
      [...chunk.newCompanies].map(([nameSort, name]): NamedCompanyRow => ({ rowNo: 0, name, nameSort })),
    );
    s.push(sql`INSERT INTO companies (tenant_id, name, name_sort, created_by, created_at, updated_at, last_activity_at)
      SELECT ${t.tenantId}, j.value ->> 'name', j.value ->> 'nameSort', ${ctx.actorId}, ${now}, ${now}, ${now}
      FROM json_each(${list}) j ORDER BY j.key`);
    s.push(...shared.history("company", insertedRecords(t, "company", list, chunk.newCompanies.size, now), "created"));
  }
  s.push(...shared.tags(chunk.tagNames));
  if (creates.length) s.push(...createStatements(t, ctx, shared, now, creates));
  for (const part of boundParts(updates)) s.push(...updateStatements(t, shared, now, part));
  return [
    ...s,
    ...shared.finish(
      chunkNo,
      { contacts: creates.length, companies: chunk.newCompanies.size, notes: chunk.newNotes },
      { created: creates.length, updated: updates.length },
    ),
  ];
}

type Shared = ReturnType<typeof chunkSql>;

function createStatements(
  t: TenantDb,
  ctx: ChunkContext,
  shared: Shared,
  now: number,
  creates: NewContactRow[],
): SQL[] {
  const rows = json(creates);
  const tenant = t.tenantId;
  // Row k's contact gets id next + k, where next is the first id AUTOINCREMENT would give. The
  // emails, phones, tags, values and notes go in first (foreign keys are checked at the end of the
  // batch), so the contact's insert trigger indexes it for search once, with everything; inserted
  // after it, each email, phone and note would rebuild its search entry again.
  const next = sql.raw(
    `(max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0), coalesce((SELECT /* all tenants: ids are global */ max(id) FROM contacts), 0)) + 1)`,
  );
  const id = sql`${next} + j.key`;
  // At the Free plan's limit the tenant id becomes NULL: NOT NULL fails and the batch rolls back.
  const tenantValue =
    ctx.freeMaxContacts === null
      ? sql`${tenant}`
      : sql`CASE WHEN coalesce((SELECT state FROM tenant_billing WHERE tenant_id = ${tenant}), 'free') IN ('trialing', 'active')
          OR coalesce((SELECT contacts FROM tenant_counters WHERE tenant_id = ${tenant}), 0) + ${creates.length}
            <= ${ctx.freeMaxContacts} THEN ${tenant} END`;
  return [
    sql`PRAGMA defer_foreign_keys = ON`,
    sql`INSERT INTO contact_emails (tenant_id, contact_id, position, email)
      SELECT ${tenant}, ${id}, e.key, e.value FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.emails') e`,
    sql`INSERT INTO contact_phones (tenant_id, contact_id, position, phone)
      SELECT ${tenant}, ${id}, p.key, p.value FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.phones') p`,
    ...shared.extras("contact", { from: sql`FROM json_each(${rows}) j`, id }),
    sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title,
        company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at,
        source)
      SELECT ${id}, ${tenantValue}, j.value ->> 'firstName', j.value ->> 'lastName', j.value ->> 'nameSort',
        j.value ->> '$.emails[0]', j.value ->> '$.phones[0]', j.value ->> 'jobTitle',
        co.id, co.name, coalesce(co.name_sort, ''), j.value ->> 'address', j.value ->> 'ownerId', ${ctx.actorId}, ${now}, ${now}, ${now}, ${ctx.source ?? "import"}
      FROM json_each(${rows}) j
      LEFT JOIN companies co ON co.tenant_id = ${tenant} AND co.id = ${companyIdBySort(t, sql`j.value ->> 'companySort'`)}
      ORDER BY j.key`,
    ...shared.history("contact", insertedRecords(t, "contact", rows, creates.length, now), "created"),
  ];
}

function updateStatements(t: TenantDb, shared: Shared, now: number, updates: ContactUpdateRow[]): SQL[] {
  const matched = namedRecords(t, "contact", json(updates));
  const companyId = companyIdBySort(t, sql`j.value ->> '$.set.companySort'`);
  return [
    // An upsert onto the rows themselves, driven by the JSON: an UPDATE ... FROM json_each would scan
    // the contacts and parse the JSON for each.
    sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title,
        company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT r.id, r.tenant_id, coalesce(j.value ->> '$.set.firstName', r.first_name),
        coalesce(j.value ->> '$.set.lastName', r.last_name), coalesce(j.value ->> '$.set.nameSort', r.name_sort),
        coalesce(r.primary_email, j.value ->> '$.emails[0]'), coalesce(r.primary_phone, j.value ->> '$.phones[0]'),
        coalesce(j.value ->> '$.set.jobTitle', r.job_title),
        CASE WHEN j.value ->> '$.set.companySort' IS NULL THEN r.company_id ELSE ${companyId} END,
        CASE WHEN j.value ->> '$.set.companySort' IS NULL THEN r.company_name
          ELSE (SELECT name FROM companies WHERE tenant_id = r.tenant_id AND id = ${companyId}) END,
        coalesce(j.value ->> '$.set.companySort', r.company_sort), coalesce(j.value ->> '$.set.address', r.address),
        coalesce(j.value ->> '$.set.ownerId', r.owner_id), r.created_by, r.created_at, ${now}, ${now}
      ${matched.from} WHERE true
      ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
        name_sort = excluded.name_sort, primary_email = excluded.primary_email, primary_phone = excluded.primary_phone,
        job_title = excluded.job_title, company_id = excluded.company_id, company_name = excluded.company_name,
        company_sort = excluded.company_sort, address = excluded.address, owner_id = excluded.owner_id,
        updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`,
    // New emails and phones go after the ones the contact has (positions only need to be unique and ordered).
    sql`INSERT INTO contact_emails (tenant_id, contact_id, position, email)
      SELECT r.tenant_id, r.id, (SELECT coalesce(max(position), -1) + 1 FROM contact_emails
          WHERE tenant_id = r.tenant_id AND contact_id = r.id) + e.key, e.value
      ${matched.from} CROSS JOIN json_each(j.value, '$.emails') e WHERE true ON CONFLICT DO NOTHING`,
    sql`INSERT INTO contact_phones (tenant_id, contact_id, position, phone)
      SELECT r.tenant_id, r.id, (SELECT coalesce(max(position), -1) + 1 FROM contact_phones
          WHERE tenant_id = r.tenant_id AND contact_id = r.id) + p.key, p.value
      ${matched.from} CROSS JOIN json_each(j.value, '$.phones') p WHERE true ON CONFLICT DO NOTHING`,
    ...shared.extras("contact", matched),
    ...shared.history("contact", matched, "updated"),
  ];
}
