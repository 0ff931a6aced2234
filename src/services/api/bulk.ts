/**
 * Bulk upsert through the API: up to MAX_BULK_RECORDS contacts (matched by email) or companies (by domain)
 * written by the import's own planner and writer (src/services/import/), so matching, counters, the search
 * index, the Free plan's cap, the timeline, tags, custom values and webhook events are an import's. The
 * request is recorded as an import job named after the key, listed on the Import page and undoable there.
 *
 * Records are written in chunks of CHUNK_ROWS, each one D1 batch (all or nothing; each statement reads the
 * chunk as one JSON parameter, so D1's 100 bound parameters and 1,000 queries are far off). Each record gets
 * its own result: created, updated, unchanged (matched, nothing to change) or error.
 *
 * While it runs the job reads as failed ("stopped before it finished"), so a request that dies midway leaves
 * a visible, undoable import, never one the import queue's watchdog would try to resume.
 */
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { importJobs, type ImportKind, memberships, users } from "../../db/schema";
import { matchingDomain } from "../../lib/domain";
import { newId } from "../../lib/ids";
import type { PlanLimitError } from "../billing/limits";
import { CHUNK_ROWS, type ChunkContext, type ChunkRow } from "../import/chunk";
import type { CompanyRecord, ContactRecord } from "../import/parse";
import { foldName } from "../import/match";
import { type AnyChunkRows, commitChunk, planChunk } from "../import/write";
import { suppressedEmails } from "../privacy/suppression";
import { listCustomFields } from "../records/custom-fields";
import { tenantRegion } from "../records/workspace";
import {
  type BulkCompanyJson,
  type BulkContactJson,
  type BulkError,
  type BulkRecordResult,
  bulkCompany,
  bulkContact,
} from "./bulk-records";

/** The most records one request may carry. */
export const MAX_BULK_RECORDS = 1000;

export type BulkStatus = "created" | "updated" | "unchanged" | "error";

export interface BulkResult {
  index: number;
  status: BulkStatus;
  id: number | null;
  errors?: BulkError[];
}

export type BulkOutcome =
  /** importId: the import recording what was written; null when no record was valid to write. */
  | { ok: true; importId: string | null; results: BulkResult[] }
  /** Another import (or bulk request) of the workspace is being written: two at once could create one person twice. */
  | { ok: false; reason: "busy" }
  /** Nothing could be written: every record that would be is past the Free plan's cap. */
  | { ok: false; reason: "limit"; error: PlanLimitError };

export interface BulkInput {
  kind: "contacts" | "companies";
  /** The request's records; null for one the caller already refused (its result stays an error). */
  records: (BulkContactJson | BulkCompanyJson | null)[];
  /** The member who made the key (the records' creator), or null. */
  actorId: string | null;
  keyName: string;
  freeMaxContacts: number | null;
  suppressionKey: string | undefined;
  now: number;
}

const RUNNING_MESSAGE = "The API request stopped before it finished; what it wrote is kept and can be undone.";
/** A bulk job not moved on for this long is a request that died: it no longer blocks the next one. */
const BULK_STALE_MS = 60_000;

/** No import of the workspace is being written, nor another bulk request (running: failed, unfinished, recent). */
function nothingRunning(t: TenantDb, now: number) {
  return sql`NOT EXISTS (SELECT 1 FROM import_jobs o WHERE o.tenant_id = ${t.tenantId} AND (o.status IN ('committing', 'undoing')
    OR (o.status = 'failed' AND o.message = ${RUNNING_MESSAGE} AND o.updated_at > ${now - BULK_STALE_MS})))`;
}

async function context(t: TenantDb, kind: ImportKind, input: BulkInput, importId: string) {
  const [region, fields, members] = await Promise.all([
    tenantRegion(t),
    listCustomFields(t, kind === "contacts" ? "contact" : "company"),
    t.db
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(t.where(memberships)),
  ]);
  const ctx: ChunkContext = {
    importId,
    actorId: input.actorId,
    owners: new Map(members.map((m) => [m.email, m.id])),
    fields,
    freeMaxContacts: input.freeMaxContacts,
    suppressionKey: input.suppressionKey,
    // The contacts sources report tells the API's contacts from a file's.
    source: "api",
  };
  return { region, ctx };
}

/** Reads, matches and writes a bulk request; a result per record, in the request's order. */
export async function bulkUpsert(t: TenantDb, input: BulkInput): Promise<BulkOutcome> {
  const { kind, now } = input;
  const importId = newId();
  const { region, ctx } = await context(t, kind, input, importId);
  const results: BulkResult[] = input.records.map((_, index) => ({ index, status: "error", id: null }));
  const fail = (index: number, errors: BulkError[]) => {
    results[index]!.errors = errors;
  };

  // Read every record; a second record with a key an earlier one has (an email, a domain) is refused.
  const rows: ChunkRow<ContactRecord | CompanyRecord>[] = [];
  const seen = new Map<string, number>();
  // A company listed twice, once with its domain and once by its name alone, is one company (two with different
  // domains may share a name); the keys above, a domain or else a name, do not see it.
  const namedWithDomain = new Map<string, number>();
  const namedWithout = new Map<string, number>();
  const sameCompany = (record: ContactRecord | CompanyRecord): number | undefined => {
    if (kind !== "companies") return undefined;
    const co = record as CompanyRecord;
    const name = co.name.toLowerCase();
    return matchingDomain(co.domain) ? namedWithout.get(name) : (namedWithDomain.get(name) ?? namedWithout.get(name));
  };
  for (const [index, json] of input.records.entries()) {
    if (json === null) continue;
    const read: BulkRecordResult<ContactRecord | CompanyRecord> =
      kind === "contacts"
        ? bulkContact(json as BulkContactJson, ctx.fields, region)
        : bulkCompany(json as BulkCompanyJson, ctx.fields, region);
    if (!read.ok) {
      fail(index, read.errors);
      continue;
    }
    const earlier = read.keys.map((k) => seen.get(k)).find((i) => i !== undefined) ?? sameCompany(read.record);
    if (earlier !== undefined) {
      fail(index, [{ message: `Record ${earlier} is the same ${kind === "contacts" ? "person" : "company"}.` }]);
      continue;
    }
    for (const k of read.keys) seen.set(k, index);
    if (kind === "companies") {
      const co = read.record as CompanyRecord;
      (matchingDomain(co.domain) ? namedWithDomain : namedWithout).set(co.name.toLowerCase(), index);
    }
    rows.push({ rowNo: index + 1, record: read.record });
  }

  // People erased on request are on the suppression list: the import skips them; say so.
  if (kind === "contacts") {
    const emails = rows.flatMap((r) => (r.record as ContactRecord).emails);
    const suppressed = await suppressedEmails(t.db, t.tenantId, input.suppressionKey, emails);
    if (suppressed.size)
      for (let i = rows.length - 1; i >= 0; i -= 1)
        if ((rows[i]!.record as ContactRecord).emails.some((e) => suppressed.has(e))) {
          fail(rows[i]!.rowNo - 1, [{ message: "This person asked to be erased; they are not added again." }]);
          rows.splice(i, 1);
        }
  }
  if (rows.length === 0) return { ok: true, importId: null, results };

  const chunks = Math.ceil(rows.length / CHUNK_ROWS);
  // No files: files_deleted_at is set, so neither the job page nor the retention job looks for any.
  const started = await t.db.all<{ id: string }>(
    sql`INSERT INTO import_jobs (id, tenant_id, kind, status, file_name, file_size, file_key, total_rows, chunk_count,
        message, created_by, created_at, updated_at, committed_at, files_deleted_at)
      SELECT ${importId}, ${t.tenantId}, ${kind}, 'failed', ${`API: ${input.keyName}`.slice(0, 200)}, 0,
        ${`api/${t.tenantId}/${importId}`}, ${input.records.length}, ${chunks}, ${RUNNING_MESSAGE}, ${input.actorId},
        ${now}, ${now}, ${now}, ${now}
      WHERE ${nothingRunning(t, now)} RETURNING id`,
  );
  if (started.length === 0) return { ok: false, reason: "busy" };

  const chunkOf = new Map<number, number>();
  let limit: PlanLimitError | null = null;
  let written = 0;
  for (let n = 0; n < chunks; n += 1) {
    const chunk = rows.slice(n * CHUNK_ROWS, (n + 1) * CHUNK_ROWS);
    for (const row of chunk) chunkOf.set(row.rowNo - 1, n);
    const plan = await planChunk(t, kind, ctx, n, chunk as AnyChunkRows, Date.now());
    const outcome = await commitChunk(t, ctx, plan);
    if (!outcome.ok) {
      if (outcome.reason === "limit") limit = outcome.error;
      const message = limit
        ? `The Free plan holds ${limit.max} contacts; upgrade in Settings → Billing.`
        : "This part of the request was already written.";
      for (const row of chunk) fail(row.rowNo - 1, [{ message }]);
      continue;
    }
    written += chunk.length;
    for (const c of plan.review.conflicts)
      fail(c.row - 1, [
        {
          field: "emails",
          message: `The address ${c.email} is on contact ${c.id}, of another name; nothing was changed.`,
        },
      ]);
    await resolveIds(t, kind, importId, chunk, results);
  }
  sameRecordTwice(results, kind, chunkOf);

  const finished = Date.now();
  await t.update(
    importJobs,
    { status: "done", message: null, finishedAt: finished, updatedAt: finished },
    eq(importJobs.id, importId),
  );
  if (written === 0 && limit) return { ok: false, reason: "limit", error: limit };
  return { ok: true, importId, results };
}

/**
 * Each written row's record: created and updated ones from the import's own record of them; matched ones
 * that changed nothing by their email or phone (contacts) or domain or name (companies).
 */
async function resolveIds(
  t: TenantDb,
  kind: "contacts" | "companies",
  importId: string,
  chunk: ChunkRow<ContactRecord | CompanyRecord>[],
  results: BulkResult[],
): Promise<void> {
  const entity = kind === "contacts" ? "contact" : "company";
  const first = chunk[0]!.rowNo;
  const last = chunk[chunk.length - 1]!.rowNo;
  const written = await t.db.all<{ row_no: number; entity_id: number; action: "created" | "updated" }>(
    sql`SELECT row_no, entity_id, action FROM import_records WHERE tenant_id = ${t.tenantId} AND import_id = ${importId}
      AND entity_type = ${entity} AND row_no BETWEEN ${first} AND ${last}`,
  );
  for (const w of written) Object.assign(results[w.row_no - 1]!, { status: w.action, id: w.entity_id });
  const rest = chunk.filter((r) => results[r.rowNo - 1]!.status === "error" && !results[r.rowNo - 1]!.errors);
  if (rest.length === 0) return;
  const keys = JSON.stringify(rest.flatMap((r) => matchKeysOf(kind, r.record)));
  const found = await t.db.all<{ k: string; id: number; first: string | null; last: string | null }>(
    kind === "contacts"
      ? sql`SELECT 'e:' || email AS k, contact_id AS id, NULL AS first, NULL AS last FROM contact_emails
            WHERE tenant_id = ${t.tenantId}
            AND email IN (SELECT substr(value, 3) FROM json_each(${keys}) WHERE value LIKE 'e:%')
          UNION ALL SELECT 'p:' || p.phone, p.contact_id, c.first_name, c.last_name FROM contact_phones p
            JOIN contacts c ON c.tenant_id = p.tenant_id AND c.id = p.contact_id WHERE p.tenant_id = ${t.tenantId}
            AND p.phone IN (SELECT substr(value, 3) FROM json_each(${keys}) WHERE value LIKE 'p:%')`
      : sql`SELECT 'd:' || domain AS k, min(id) AS id FROM companies WHERE tenant_id = ${t.tenantId}
            AND domain IN (SELECT substr(value, 3) FROM json_each(${keys}) WHERE value LIKE 'd:%') GROUP BY domain
          UNION ALL SELECT 'n:' || name_sort, min(id) FROM companies WHERE tenant_id = ${t.tenantId}
            AND name_sort IN (SELECT substr(value, 3) FROM json_each(${keys}) WHERE value LIKE 'n:%') GROUP BY name_sort`,
  );
  const byKey = new Map<string, typeof found>();
  for (const f of found) byKey.set(f.k, [...(byKey.get(f.k) ?? []), f]);
  for (const r of rest) {
    // A phone is the person's only with the same name, as the planner matches (import/match.ts): colleagues
    // on one switchboard are different people.
    const person = r.record as ContactRecord;
    const samePerson = (f: (typeof found)[number]) =>
      !f.k.startsWith("p:") ||
      (foldName(f.first ?? "") === foldName(person.firstName) && foldName(f.last ?? "") === foldName(person.lastName));
    const id = matchKeysOf(kind, r.record)
      .map((k) => byKey.get(k)?.find(samePerson)?.id)
      .find((v) => v !== undefined);
    Object.assign(results[r.rowNo - 1]!, { status: "unchanged", id: id ?? null });
  }
}

/**
 * A record that reached a record an earlier one of the request already wrote (two emails of one person, say)
 * in the same chunk was skipped by the planner, which takes one row per record there: an error naming the earlier
 * one, not "unchanged".
 */
function sameRecordTwice(results: BulkResult[], kind: "contacts" | "companies", chunkOf: Map<number, number>): void {
  const first = new Map<number, number>();
  for (const r of results) {
    if (r.id === null || r.status === "error") continue;
    const earlier = first.get(r.id);
    if (earlier === undefined) first.set(r.id, r.index);
    // In another chunk the planner saw the earlier write and applied this one too.
    else if (r.status === "unchanged" && chunkOf.get(earlier) === chunkOf.get(r.index))
      Object.assign(r, {
        status: "error",
        id: null,
        errors: [
          {
            message: `Record ${earlier} is the same ${kind === "contacts" ? "person" : "company"}; this one was not applied.`,
          },
        ],
      });
  }
}

/** The keys resolveIds looks a record up by: its emails and phones, or its domain and name. */
function matchKeysOf(kind: "contacts" | "companies", record: ContactRecord | CompanyRecord): string[] {
  if (kind === "contacts") {
    const c = record as ContactRecord;
    return [...c.emails.map((e) => `e:${e}`), ...c.phones.map((p) => `p:${p}`)];
  }
  const co = record as CompanyRecord;
  // A shared host (facebook.com/…) is many companies' domain, as the planner reads it.
  const domain = matchingDomain(co.domain);
  return [...(domain ? [`d:${domain}`] : []), `n:${co.name.toLowerCase()}`];
}
