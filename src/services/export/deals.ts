/**
 * The export of a workspace's deals as CSV and JSON, streamed a page (one query) at a time as the contacts are
 * (deals-read.ts reads them): each deal with its pipeline and stage, company, contacts with their roles, tags,
 * owner, custom values, notes and stage history. Amounts: major units with a dot in the CSV ("12500.50"), minor
 * units and the currency in the JSON. The JSON's head carries the pipelines with their stages and the lost
 * reasons. Format: docs/export-format.md.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { CSV_BOM, csvRow } from "../../lib/csv";
import { minorDigits } from "../../lib/money";
import { listCustomFields, type CustomField } from "../records/custom-fields";
import { DEAL_CSV_COLUMNS, tagsCell } from "./columns";
import { customCells, customJson, document, interactionJson, isoTime, jsonHead, jsonPage, noteJson } from "./serialise";
import { type ExportDeal, type ExportDealContact, dealPages } from "./deals-read";

/** Minor units as major units with a dot and the currency's decimals ("12500.50"; "1250" for JPY): no float. */
export function majorAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A deal's contacts as one cell: "email (role)", or the name without an email, joined by "; ". */
export function dealContactsCell(contacts: ExportDealContact[]): string {
  return contacts
    .map((c) => {
      const who = c.email ?? c.name;
      return c.role ? `${who} (${c.role})` : who;
    })
    .join("; ");
}

/** The cells of one deal in DEAL_CSV_COLUMNS order, then its custom values in `fields` order. */
export function dealCsvCells(d: ExportDeal, fields: CustomField[]): string[] {
  return [
    d.name,
    majorAmount(d.amountMinor, d.currency),
    d.currency,
    d.pipeline,
    d.stage,
    d.status,
    d.lostReason ?? "",
    d.closeDate ?? "",
    d.closedOn ?? "",
    d.company?.name ?? "",
    d.company?.domain ?? "",
    dealContactsCell(d.contacts),
    tagsCell(d.tags),
    d.owner ?? "",
    isoTime(d.createdAt),
    isoTime(d.updatedAt),
    ...customCells(fields, d.custom),
  ];
}

/** A deal as the JSON export writes it. */
export function dealJson(d: ExportDeal, fields: CustomField[]) {
  return {
    id: d.id,
    name: d.name,
    amount_minor: d.amountMinor,
    currency: d.currency,
    pipeline: d.pipeline,
    stage: d.stage,
    status: d.status,
    lost_reason: d.lostReason,
    close_date: d.closeDate,
    closed_on: d.closedOn,
    company: d.company,
    contacts: d.contacts,
    tags: d.tags,
    owner: d.owner,
    created_by: d.createdBy,
    custom_fields: customJson(fields, d.custom),
    notes: d.notes.map(noteJson),
    interactions: d.interactions.map(interactionJson),
    stage_history: d.history.map((h) => ({
      pipeline: h.pipeline,
      stage: h.stage,
      status: h.status,
      entered_at: isoTime(h.enteredAt),
      left_at: h.leftAt === null ? null : isoTime(h.leftAt),
      by: h.by,
    })),
    created_at: isoTime(d.createdAt),
    updated_at: isoTime(d.updatedAt),
    last_activity_at: isoTime(d.lastActivityAt),
  };
}

/** The workspace's pipelines with their stages, and its lost reasons: the deals JSON's head. */
async function pipelinesHead(db: Database, tenantId: string) {
  const [stages, reasons] = await Promise.all([
    db.all<{ pipeline_id: number; pipeline: string; id: number | null; name: string | null; probability: number }>(
      sql`SELECT p.id AS pipeline_id, p.name AS pipeline, s.id, s.name, s.probability
        FROM pipelines p LEFT JOIN pipeline_stages s ON s.pipeline_id = p.id AND s.tenant_id = p.tenant_id
        WHERE p.tenant_id = ${tenantId} ORDER BY p.position, p.id, s.position, s.id`,
    ),
    db.all<{ name: string }>(sql`SELECT name FROM lost_reasons WHERE tenant_id = ${tenantId} ORDER BY position, id`),
  ]);
  const pipelines = new Map<number, { id: number; name: string; stages: unknown[] }>();
  for (const s of stages) {
    const p = pipelines.get(s.pipeline_id) ?? { id: s.pipeline_id, name: s.pipeline, stages: [] };
    pipelines.set(s.pipeline_id, p);
    if (s.id !== null) p.stages.push({ id: s.id, name: s.name, probability: s.probability });
  }
  return { pipelines: [...pipelines.values()], lost_reasons: reasons.map((r) => r.name) };
}

/** The tenant's deals as CSV (BOM, header row, one row per deal), in chunks of a page. */
export function dealsCsv(db: Database, tenantId: string): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), "deal");
      return CSV_BOM + csvRow([...DEAL_CSV_COLUMNS, ...fields.map((f) => f.name)]);
    },
    dealPages(db, tenantId),
    (page) => page.map((d) => csvRow(dealCsvCells(d, fields))).join(""),
    "",
  );
}

/** The tenant's deals as one JSON document, with notes and stage history, in chunks of a page. */
export function dealsJson(db: Database, tenantId: string, now = Date.now()): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      const [list, head] = await Promise.all([
        listCustomFields(scoped(db, tenantId), "deal"),
        pipelinesHead(db, tenantId),
      ]);
      fields = list;
      return jsonHead("deals", now, fields, head);
    },
    dealPages(db, tenantId, { details: true }),
    jsonPage((d: ExportDeal) => dealJson(d, fields)),
    "\n]}\n",
  );
}
