/**
 * Undoing an import, a page of its records at a time, each page one batch: records it created are
 * deleted and fields it changed are restored — except where someone edited them or added work to them
 * since (later-work.ts), which are kept and listed. Contacts go first, then companies (a contacts import may have created companies
 * for them). A processed record's history row is deleted in the same batch, so a resumed undo
 * continues with what is left; the page's key in import_chunks makes a replayed message harmless.
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  CHUNK_BYTES,
  type CompanyFields,
  type ContactFields,
  type ImportedAfter,
  type ImportedBefore,
  utf8Bytes,
} from "./chunk";
import { claimChunk } from "./chunk-sql";
import { currentCustomValues } from "./current-sql";
import { dealUndoPage } from "./undo-deals";
import { type LaterWork, laterWorkColumns, laterWorkReason } from "./later-work";
import { deleteStatements, type RecordType, type RestoreRow, restoreStatements } from "./undo-sql";
import { contactNameSql } from "../contacts/names";

export const UNDO_PAGE = 200;
/** How many kept records the job lists (the count is always exact). */
const KEPT_LISTED = 500;

export interface KeptRecord {
  type: RecordType;
  id: number;
  name: string;
  fields: string[];
}

export interface KeptList {
  total: number;
  items: KeptRecord[];
}

interface HistoryRow {
  entity_type: RecordType;
  entity_id: number;
  action: "created" | "updated";
  before: string | null;
  after: string | null;
  written_at: number;
}

type Fields = ContactFields & CompanyFields;

/** A record as it is now, with the fields an import writes (null where its kind has none). */
type CurrentRow = { [K in keyof Fields]: string | null } & {
  id: number;
  /** The record's name as the kept list shows it (a contact's is its first and last name). */
  displayName: string;
  updated_at: number;
  last_activity_at: number;
  /** A tag's records, or a company's contacts: what keeps a created one from being deleted. */
  contacts: number;
  companyName: string | null;
  custom: string;
} & LaterWork;

const json = (v: unknown) => JSON.stringify(v);

/** The fields an update may have written, by kind, in the order the undo's timeline entry lists them. */
const FIELDS: Record<"contact" | "company", (keyof Fields)[]> = {
  contact: ["firstName", "lastName", "jobTitle", "address", "ownerId"],
  company: ["address", "ownerId", "name", "domain", "industry", "size", "phone"],
};

const LABELS: Record<string, string> = {
  firstName: "first name",
  lastName: "last name",
  jobTitle: "job title",
  address: "address",
  ownerId: "owner",
  companySort: "company",
  name: "name",
  domain: "domain",
  industry: "industry",
  size: "size",
  phone: "phone",
};

async function currentOf(t: TenantDb, type: RecordType, ids: number[]): Promise<Map<number, CurrentRow>> {
  const idList = json(ids);
  const rows =
    type === "tag"
      ? // A tag's "contacts" are the records that still carry it.
        await t.db.all<CurrentRow>(sql`
          SELECT t.id, t.name AS displayName, t.created_at AS updated_at, t.created_at AS last_activity_at,
            (SELECT count(*) FROM contact_tags WHERE tag_id = t.id) + (SELECT count(*) FROM company_tags WHERE tag_id = t.id)
              + (SELECT count(*) FROM deal_tags WHERE tag_id = t.id) AS contacts
          FROM json_each(${idList}) j CROSS JOIN tags t ON t.id = j.value AND t.tenant_id = ${t.tenantId}`)
      : type === "contact"
        ? await t.db.all<CurrentRow>(sql`
          SELECT c.id, ${sql.raw(contactNameSql("c"))} AS displayName, c.updated_at, c.last_activity_at,
            0 AS contacts, c.first_name AS firstName, c.last_name AS lastName, c.job_title AS jobTitle, c.address,
            c.owner_id AS ownerId, c.company_name AS companyName,
            ${currentCustomValues("c", "contact")} AS custom, ${laterWorkColumns(t.tenantId, "contact", "c")}
          FROM json_each(${idList}) j CROSS JOIN contacts c ON c.id = j.value AND c.tenant_id = ${t.tenantId}`)
        : await t.db.all<CurrentRow>(sql`
          SELECT co.id, co.name AS displayName, co.updated_at, co.last_activity_at,
            (SELECT count(*) FROM contacts WHERE tenant_id = co.tenant_id AND company_id = co.id) AS contacts,
            co.name, co.domain, co.industry, co.size, co.phone, co.address, co.owner_id AS ownerId,
            ${currentCustomValues("co", "company")} AS custom, ${laterWorkColumns(t.tenantId, "company", "co")}
          FROM json_each(${idList}) j CROSS JOIN companies co ON co.id = j.value AND co.tenant_id = ${t.tenantId}`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Whether a value the import wrote is still there. */
const unchangedSince = (current: string | null, written: unknown) =>
  (current ?? null) === ((written as string | null) ?? null) || ((current ?? "") === "" && (written ?? "") === "");

/** What undoing one updated record restores, or the fields someone changed since (kept). */
function restoreOf(h: HistoryRow, type: "contact" | "company", now: CurrentRow): { row: RestoreRow; kept: string[] } {
  const before = JSON.parse(h.before ?? "{}") as ImportedBefore<Fields>;
  // notes: those earlier chunks of the import added, when a later one updated the record again (chunk-sql.ts).
  const after = JSON.parse(h.after ?? "{}") as ImportedAfter<Fields> & { notes?: RestoreRow["notes"] };
  const set: RestoreRow["set"] = {};
  const kept: string[] = [];
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of FIELDS[type]) {
    if (!(field in after)) continue;
    if (unchangedSince(now[field], after[field])) {
      (set as Record<string, unknown>)[field] = before[field] ?? null;
      changes[LABELS[field]!] = [after[field], before[field] ?? null];
    } else kept.push(LABELS[field]!);
  }
  if ("firstName" in set || "lastName" in set) {
    const last = "lastName" in set ? set.lastName : now.lastName;
    const first = "firstName" in set ? set.firstName : now.firstName;
    set.nameSort = `${last ?? ""} ${first ?? ""}`.trim().toLowerCase();
  }
  if ("name" in set) set.nameSort = String(set.name).toLowerCase();
  if ("companySort" in after) {
    if ((now.companyName?.toLowerCase() ?? null) === after.companySort) {
      const was = before.companyName ?? null;
      set.companySort = was ? was.toLowerCase() : null;
      changes.company = [now.companyName, was];
    } else kept.push(LABELS.companySort!);
  }
  const haveCustom = JSON.parse(now.custom) as Record<string, string>;
  const custom: Record<string, string | null> = {};
  for (const [fieldId, value] of Object.entries(after.custom ?? {})) {
    // "": the import cleared it (an unticked checkbox); still clear, it gets its value back.
    if ((haveCustom[fieldId] ?? "") === value) custom[fieldId] = before.custom?.[fieldId] ?? null;
    else kept.push("a custom field");
  }
  // Everything restored: the record's times go back too and the import's timeline entry goes, so it
  // is exactly as it was. Otherwise the undo is itself a change, with its own entry.
  const whole = kept.length === 0;
  if (whole) {
    set.updatedAt = before.updatedAt ?? null;
    set.lastActivityAt = before.lastActivityAt ?? null;
  }
  const row: RestoreRow = {
    id: h.entity_id,
    set,
    emails: after.emails ?? [],
    phones: after.phones ?? [],
    tagKeys: after.tagKeys ?? [],
    custom,
    notes: [...(after.notes ?? []), ...(after.note ? [{ body: after.note, at: h.written_at }] : [])],
    changes: whole ? {} : changes,
    whole,
  };
  return { row, kept };
}

/** Whether a record the import created can go, or why it is kept. */
function keptReason(h: HistoryRow, type: RecordType, now: CurrentRow): string | null {
  if (type === "tag") return now.contacts > 0 ? "records still carry it" : null;
  if (now.updated_at > h.written_at || now.last_activity_at > h.written_at) return "edited after the import";
  if (type === "company" && now.contacts > 0) return "contacts still belong to it";
  return laterWorkReason(now, type, h.written_at);
}

/**
 * The first records of a page whose restores stay within CHUNK_BYTES of JSON (at least one): a restore carries
 * the values before and, twice at most, what the import wrote (its notes too). The next page starts where it ends.
 */
function withinBytes(page: HistoryRow[]): HistoryRow[] {
  let bytes = 0;
  const out: HistoryRow[] = [];
  for (const h of page) {
    bytes += utf8Bytes(h.before ?? "") + 2 * utf8Bytes(h.after ?? "");
    if (out.length > 0 && bytes > CHUNK_BYTES) break;
    out.push(h);
  }
  return out;
}

export interface UndoPage {
  /** Records handled in this page; 0 when the undo is complete. */
  handled: number;
  statements: SQLWrapper[];
  kept: KeptRecord[];
}

/**
 * Plans the next page of an import's undo. `pageNo` keys the batch; `keptSoFar` is the job's list,
 * which the page's last statement rewrites with this page's kept records appended.
 */
export async function planUndoPage(
  t: TenantDb,
  importId: string,
  actorId: string | null,
  pageNo: number,
  keptSoFar: KeptList,
  now: number,
): Promise<UndoPage> {
  const history = await t.db.all<HistoryRow>(sql`
    SELECT entity_type, entity_id, action, before, after, written_at FROM import_records
    WHERE tenant_id = ${t.tenantId} AND import_id = ${importId}
    ORDER BY CASE entity_type WHEN 'contact' THEN 0 WHEN 'company' THEN 1 WHEN 'deal' THEN 2 ELSE 3 END, entity_id
    LIMIT ${UNDO_PAGE}`);
  if (history.length === 0) return { handled: 0, statements: [], kept: [] };
  // One type per page keeps the statements simple: contacts first, then companies, deals, then tags.
  const type = history[0]!.entity_type;
  const page = withinBytes(history.filter((h) => h.entity_type === type));
  if (type === "deal") {
    const deals = await dealUndoPage(t, importId, actorId, page, now);
    const kept = deals.kept.map((k) => ({ type, ...k }));
    return { handled: page.length, statements: pageStatements(deals.statements, kept), kept };
  }
  const current = await currentOf(
    t,
    type,
    page.map((h) => h.entity_id),
  );

  const kept: KeptRecord[] = [];
  const toDelete: number[] = [];
  const restores: RestoreRow[] = [];
  for (const h of page) {
    const record = current.get(h.entity_id);
    if (!record) continue; // deleted since: nothing to undo
    if (h.action === "created") {
      const reason = keptReason(h, type, record);
      if (reason) kept.push({ type, id: h.entity_id, name: record.displayName, fields: [reason] });
      else toDelete.push(h.entity_id);
    } else if (type !== "tag") {
      const restore = restoreOf(h, type, record);
      restores.push(restore.row);
      if (restore.kept.length) kept.push({ type, id: h.entity_id, name: record.displayName, fields: restore.kept });
    }
  }

  return {
    handled: page.length,
    statements: pageStatements(
      [
        ...deleteStatements(t, type, toDelete, now),
        ...(restores.length && type !== "tag" ? restoreStatements(t, type, importId, actorId, restores, now) : []),
      ],
      kept,
    ),
    kept,
  };

  /** The page's key first, its work, then its history rows gone and the job's progress and kept list. */
  function pageStatements(work: SQLWrapper[], kept: KeptRecord[]): SQLWrapper[] {
    const list: KeptList = {
      total: keptSoFar.total + kept.length,
      items: [...keptSoFar.items, ...kept].slice(0, KEPT_LISTED),
    };
    return [
      claimChunk(t, importId, "undo", pageNo, now),
      ...work,
      sql`DELETE FROM import_records WHERE tenant_id = ${t.tenantId} AND import_id = ${importId} AND entity_type = ${type}
      AND entity_id IN (SELECT value FROM json_each(${json(page.map((h) => h.entity_id))}))`,
      sql`UPDATE import_jobs SET chunks_done = ${pageNo + 1}, undo_kept = ${json(list)}, updated_at = ${now}
        WHERE tenant_id = ${t.tenantId} AND id = ${importId}`,
    ];
  }
}
