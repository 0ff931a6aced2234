/**
 * Planning a chunk of company rows against the tenant's companies (the normalised domain first, then
 * the name among companies without another domain), and the statements that write it. The preview
 * runs the same plan without writing.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { matchingDomain } from "../../lib/domain";
import {
  boundParts,
  type ChunkContext,
  type ChunkPlan,
  type ChunkRow,
  type CompanyFields,
  type CompanyUpdateRow,
  type NewCompanyRow,
  ownerIdOf,
} from "./chunk";
import { chunkSql, claimChunk, collectTags, insertedRecords, namedRecords } from "./chunk-sql";
import { currentCustomValues, currentNoteBodies, currentTagKeys } from "./current-sql";
import { extrasDiff, plannedUpdate, updateDiff } from "./diff";
import type { CompanyRecord } from "./parse";
import { ChunkTally, createdExtras } from "./plan-tally";

const json = (v: unknown) => JSON.stringify(v);

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

/** The tenant's companies with the chunk's domains or names, with what an update compares. */
function currentCompanies(t: TenantDb, domains: string[], names: string[]) {
  return t.db.all<CurrentCompany>(sql`
    SELECT co.id, co.updated_at, co.last_activity_at, co.name, co.name_sort, co.domain, co.industry, co.size, co.phone,
      co.address, co.owner_id,
      ${currentTagKeys("co", "company")} AS tags,
      ${currentCustomValues("co", "company")} AS custom,
      ${currentNoteBodies("co", "company")} AS notes
    FROM companies co WHERE co.tenant_id = ${t.tenantId} AND (co.domain IN (SELECT value FROM json_each(${json(domains)}))
      OR co.name_sort IN (SELECT value FROM json_each(${json(names)}))) ORDER BY co.id`);
}

/** Plans a chunk of company rows: the preview's counts and lists, and the statements that write it in one batch. */
export async function planCompanyChunk(
  t: TenantDb,
  ctx: ChunkContext,
  chunkNo: number,
  rows: ChunkRow<CompanyRecord>[],
  now: number,
): Promise<ChunkPlan> {
  const records = rows.map((row) => row.record);
  const found = await currentCompanies(
    t,
    records.map((r) => matchingDomain(r.domain)).filter((d): d is string => !!d),
    records.map((r) => r.name.toLowerCase()),
  );
  // By domain first; then by name among companies without a different domain. A shared host
  // (facebook.com/acmebakery) is no company's own domain: it counts as none.
  const byDomain = new Map<string, CurrentCompany>();
  const byName = new Map<string, CurrentCompany>();
  for (const co of found) {
    const domain = matchingDomain(co.domain);
    if (domain && !byDomain.has(domain)) byDomain.set(domain, co);
    if (!byName.has(co.name_sort)) byName.set(co.name_sort, co);
  }
  const tally = new ChunkTally<NewCompanyRow, CompanyUpdateRow>();
  let newNotes = 0;
  for (const { rowNo, record: r } of rows) {
    collectTags(tally.tagNames, r.tags);
    const ownerId = ownerIdOf(ctx, r.owner);
    const domain = matchingDomain(r.domain);
    let match = domain ? byDomain.get(domain) : undefined;
    if (!match) {
      const named = byName.get(r.name.toLowerCase());
      if (named && (!matchingDomain(named.domain) || !domain || named.domain === domain)) match = named;
    }
    if (!match) {
      tally.ownerUnlinked(rowNo, r.name, r.owner, ownerId);
      tally.creates.push({
        rowNo,
        name: r.name,
        nameSort: r.name.toLowerCase(),
        domain: r.domain,
        industry: r.industry,
        size: r.size,
        phone: r.phone,
        address: r.address,
        ownerId,
        ...createdExtras(r),
      });
      if (r.note) newNotes += 1;
      continue;
    }
    if (!tally.firstMatch(match.id)) continue;
    tally.ownerUnlinked(rowNo, r.name, r.owner, ownerId);
    const d = updateDiff<CompanyFields>();
    const { scalar } = d;
    scalar("name", match.name, r.name);
    if (d.set.name !== undefined) d.set.nameSort = r.name.toLowerCase();
    // A shared host never replaces the company's own domain.
    if (domain || !matchingDomain(match.domain)) scalar("domain", match.domain, r.domain);
    scalar("industry", match.industry, r.industry);
    scalar("size", match.size, r.size);
    scalar("phone", match.phone, r.phone);
    scalar("address", match.address, r.address);
    if (ownerId) scalar("ownerId", match.owner_id, ownerId);
    const extras = extrasDiff(d, r, match);
    if (extras.note) newNotes += 1;
    const update = plannedUpdate(ctx, d, extras, { rowNo, name: r.name, tags: r.tags, note: r.note }, match);
    if (!update) {
      tally.unchanged += 1;
      continue;
    }
    tally.review.updates.push(update.review);
    tally.updates.push(update.row);
  }
  const { creates, updates } = tally;

  const shared = chunkSql(t, ctx, now);
  const s: SQL[] = [claimChunk(t, ctx.importId, "commit", chunkNo, now), ...shared.tags(tally.tagNames)];
  if (creates.length) {
    const list = json(creates);
    s.push(sql`INSERT INTO companies (tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id, created_by,
        created_at, updated_at, last_activity_at)
      SELECT ${t.tenantId}, j.value ->> 'name', j.value ->> 'nameSort', j.value ->> 'domain', j.value ->> 'industry',
        j.value ->> 'size', j.value ->> 'address', j.value ->> 'phone', j.value ->> 'ownerId',
        ${ctx.actorId}, ${now}, ${now}, ${now} FROM json_each(${list}) j ORDER BY j.key`);
    const inserted = insertedRecords(t, "company", list, creates.length, now);
    s.push(...shared.extras("company", inserted), ...shared.history("company", inserted, "created"));
  }
  // In parts only when the values the updates replace push their JSON past D1's limit (chunk.ts).
  for (const part of boundParts(updates)) {
    const matched = namedRecords(t, "company", json(part));
    const set = (field: keyof CompanyFields, column: string) =>
      sql.raw(`coalesce(j.value ->> '$.set.${field}', r.${column})`);
    s.push(sql`INSERT INTO companies (id, tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id,
        created_by, created_at, updated_at, last_activity_at)
      SELECT r.id, r.tenant_id, ${set("name", "name")}, ${set("nameSort", "name_sort")}, ${set("domain", "domain")},
        ${set("industry", "industry")}, ${set("size", "size")}, ${set("address", "address")}, ${set("phone", "phone")},
        ${set("ownerId", "owner_id")}, r.created_by, r.created_at, ${now}, ${now}
      ${matched.from} WHERE true
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_sort = excluded.name_sort, domain = excluded.domain,
        industry = excluded.industry, size = excluded.size, address = excluded.address, phone = excluded.phone,
        owner_id = excluded.owner_id, updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`);
    // Contacts show their company's name: keep it in step with a renamed company, as a newer version of each
    // contact, so an API sync by updated_since reads them again (as a rename by hand does).
    s.push(sql`UPDATE contacts SET company_name = r.name, company_sort = r.name_sort,
        updated_at = max(contacts.updated_at + 1, ${now}) ${matched.from}
      WHERE contacts.tenant_id = ${t.tenantId} AND contacts.company_id = r.id AND j.value ->> '$.set.name' IS NOT NULL`);
    s.push(...shared.extras("company", matched), ...shared.history("company", matched, "updated"));
  }
  s.push(
    ...shared.finish(
      chunkNo,
      { contacts: 0, companies: creates.length, notes: newNotes },
      { created: creates.length, updated: updates.length },
    ),
  );
  return tally.plan(s);
}
