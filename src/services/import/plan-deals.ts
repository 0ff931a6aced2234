/**
 * Planning a chunk of deal rows against the workspace: the company (by domain, else by name) and the
 * contacts (by email, else by a full name only one contact has) it names, linked only when they are
 * the workspace's own; the deal it is (matchingDeal: the same name, case-insensitive, in the same pipeline,
 * at the same company); and the statements that write it in one batch (plan-deals-sql.ts). A matched deal
 * is updated with what the row gives (amount, stage, close date, status; its company when it had none),
 * never renamed; a column the file lacks or an empty cell changes nothing (plan-deals-update.ts). The preview
 * runs the same plan. A chunk whose stage was removed since analyse is not written: the import fails (stale).
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { matchingDomain, normalizeDomain } from "../../lib/domain";
import { dateInZone } from "../../lib/zoned-time";
import { workspaceMoney, workspaceTimeZone } from "../deals/choices";
import type { DealChunkRecord } from "./analyse-deals";
import { type ChunkContext, type ChunkPlan, type ChunkRow, ownerIdOf } from "./chunk";
import { collectTags } from "./chunk-sql";
import { dealChunkStatements, type DealUpdateRow, type NewDealRow } from "./plan-deals-sql";
import { type CurrentDeal, dealUpdate } from "./plan-deals-update";
import { ChunkTally } from "./plan-tally";

const json = (v: unknown) => JSON.stringify(v);
const lower = (s: string) => s.trim().toLowerCase();

/** A domain when the text is one ("acme.com", "https://acme.com/") and not a shared host's (facebook.com), else null. */
function domainOf(text: string | null): string | null {
  if (!text || !/\.[a-z]{2,}\/?$/i.test(text.trim()) || /\s/.test(text.trim())) return null;
  const d = normalizeDomain(text);
  return d.ok ? matchingDomain(d.domain) : null;
}

/**
 * The contacts' name_sort ("last first") a full name may have, one per place the first name may end:
 * "Ludwig van Beethoven" → "van beethoven ludwig", "beethoven ludwig van", and the name alone.
 */
function nameSortsOfFull(full: string): string[] {
  const words = full.trim().toLowerCase().split(/\s+/);
  const out = [words.join(" ")];
  for (let i = 1; i < words.length; i += 1) out.push([...words.slice(i), ...words.slice(0, i)].join(" "));
  return out;
}

async function lookups(t: TenantDb, pipelineId: number, records: DealChunkRecord[]) {
  const domains = new Set<string>();
  const companyNames = new Set<string>();
  const emails = new Set<string>();
  const contactNames = new Set<string>();
  for (const r of records) {
    const d = domainOf(r.companyDomain) ?? domainOf(r.company);
    if (d) domains.add(d);
    if (r.company) companyNames.add(lower(r.company));
    for (const c of r.contacts) {
      if (c.byEmail) emails.add(c.ref);
      else for (const k of nameSortsOfFull(c.ref)) contactNames.add(k);
    }
  }
  const tenant = t.tenantId;
  const [companies, byEmail, byName, deals, stages] = await Promise.all([
    t.db.all<{ id: number; name: string; name_sort: string; domain: string | null }>(sql`
      SELECT id, name, name_sort, domain FROM companies WHERE tenant_id = ${tenant}
        AND (name_sort IN (SELECT value FROM json_each(${json([...companyNames])}))
          OR domain IN (SELECT value FROM json_each(${json([...domains])}))) ORDER BY id`),
    t.db.all<{ email: string; contact_id: number }>(sql`
      SELECT email, contact_id FROM contact_emails WHERE tenant_id = ${tenant}
        AND email IN (SELECT value FROM json_each(${json([...emails])})) ORDER BY contact_id`),
    t.db.all<{ id: number; first_name: string; last_name: string }>(sql`
      SELECT id, first_name, last_name FROM contacts WHERE tenant_id = ${tenant}
        AND name_sort IN (SELECT value FROM json_each(${json([...contactNames])})) ORDER BY id`),
    t.db.all<CurrentDeal>(sql`
      SELECT id, name, name_sort, company_id, amount_minor, currency, stage_id, status, lost_reason, close_date,
        closed_on, updated_at, last_activity_at
      FROM deals WHERE tenant_id = ${tenant} AND pipeline_id = ${pipelineId}
        AND name_sort IN (SELECT value FROM json_each(${json(records.map((r) => lower(r.name)))})) ORDER BY id`),
    t.db.all<{ id: number; name: string }>(sql`
      SELECT id, name FROM pipeline_stages WHERE tenant_id = ${tenant} AND pipeline_id = ${pipelineId}`),
  ]);
  const companyByDomain = new Map<string, number>();
  const companyByName = new Map<string, number>();
  for (const co of companies) {
    if (co.domain && !companyByDomain.has(co.domain)) companyByDomain.set(co.domain, co.id);
    if (!companyByName.has(co.name_sort)) companyByName.set(co.name_sort, co.id);
  }
  const contactByEmail = new Map<string, number>();
  for (const e of byEmail) if (!contactByEmail.has(e.email)) contactByEmail.set(e.email, e.contact_id);
  // A name links only when one contact has it: two "Grace Nowak"s are not guessed between.
  const contactsByName = new Map<string, number[]>();
  for (const c of byName) {
    const k = lower(`${c.first_name} ${c.last_name}`).replace(/\s+/g, " ");
    contactsByName.set(k, [...(contactsByName.get(k) ?? []), c.id]);
  }
  const dealByKey = new Map<string, CurrentDeal>();
  const dealsByName = new Map<string, CurrentDeal[]>();
  for (const d of deals) {
    const k = `${lower(d.name_sort)}|${d.company_id ?? ""}`;
    if (!dealByKey.has(k)) dealByKey.set(k, d);
    dealsByName.set(lower(d.name_sort), [...(dealsByName.get(lower(d.name_sort)) ?? []), d]);
  }
  return {
    company(r: DealChunkRecord): number | null {
      const d = domainOf(r.companyDomain) ?? domainOf(r.company);
      return (
        (d ? companyByDomain.get(d) : undefined) ??
        (r.company ? companyByName.get(lower(r.company)) : undefined) ??
        null
      );
    },
    contact(ref: { ref: string; byEmail: boolean }): number | null {
      if (ref.byEmail) return contactByEmail.get(ref.ref) ?? null;
      const ids = contactsByName.get(lower(ref.ref).replace(/\s+/g, " ")) ?? [];
      return ids.length === 1 ? ids[0]! : null;
    },
    /**
     * The deal a row is: the same name at the same company; else, for a row whose company is known now, the
     * same name without a company (imported before the company existed: it is linked now); else, from a file
     * without a company column, the one deal of that name. Never a guess between two.
     */
    deal(name: string, companyId: number | null, companyInFile: boolean): CurrentDeal | undefined {
      const exact = dealByKey.get(`${lower(name)}|${companyId ?? ""}`);
      if (exact) return exact;
      if (companyId !== null) return dealByKey.get(`${lower(name)}|`);
      const same = companyInFile ? [] : (dealsByName.get(lower(name)) ?? []);
      return same.length === 1 ? same[0] : undefined;
    },
    stageName: new Map(stages.map((s) => [s.id, s.name])),
    companyName: new Map(companies.map((co) => [co.id, co.name])),
  };
}

/** Plans a chunk of deal rows: the preview's counts and lists, and the statements that write it in one batch. */
export async function planDealChunk(
  t: TenantDb,
  ctx: ChunkContext,
  chunkNo: number,
  rows: ChunkRow<DealChunkRecord>[],
  now: number,
): Promise<ChunkPlan> {
  const tally = new ChunkTally<NewDealRow, DealUpdateRow>();
  if (rows.length === 0) return tally.plan([]);
  const [found, money, zone] = await Promise.all([
    lookups(
      t,
      rows[0]!.record.pipelineId,
      rows.map((r) => r.record),
    ),
    workspaceMoney(t),
    workspaceTimeZone(t),
  ]);
  // A row closing a deal without saying when closes it on the import's day, as the API does.
  const today = dateInZone(now, zone);
  const unlinked = tally.review.unlinked!;
  // Analyse resolved each row's stage; one removed since cannot be written (the deal would have no stage).
  let removedStage: DealChunkRecord | undefined;
  const stageGone = (r: DealChunkRecord) => {
    const gone = !found.stageName.has(r.stageId);
    if (gone) removedStage ??= r;
    return gone;
  };
  for (const { rowNo, record: r } of rows) {
    const companyId = found.company(r);
    if (companyId === null && (r.company || r.companyDomain))
      unlinked.push({ row: rowNo, name: r.name, what: "company", ref: (r.company ?? r.companyDomain)! });
    const links: { id: number; role: string | null }[] = [];
    for (const c of r.contacts) {
      const id = found.contact(c);
      if (id === null) unlinked.push({ row: rowNo, name: r.name, what: "contact", ref: c.ref });
      else if (!links.some((l) => l.id === id)) links.push({ id, role: c.role });
    }
    // Chunks analysed before companyInFile existed lack it: there, as then, the company is part of the key.
    const match = found.deal(r.name, companyId, r.companyInFile ?? true);
    if (!match) {
      if (stageGone(r)) continue;
      const ownerId = ownerIdOf(ctx, r.owner);
      // A matched deal keeps its owner, so only a new deal's unknown owner is worth a line.
      tally.ownerUnlinked(rowNo, r.name, r.owner, ownerId);
      collectTags(tally.tagNames, r.tags);
      tally.creates.push({
        rowNo,
        name: r.name,
        nameSort: lower(r.name),
        amountMinor: r.amountMinor,
        currency: r.currency,
        closeDate: r.closeDate,
        closeKey: r.closeDate ?? "9999-12-31",
        ownerId,
        companyId,
        pipelineId: r.pipelineId,
        stageId: r.stageId,
        status: r.status,
        lostReason: r.lostReason,
        closedOn: r.status === "open" ? null : (r.closedOn ?? today),
        contacts: links,
        tagKeys: r.tags.map((tag) => tag.toLowerCase()),
        // Chunks analysed before deal fields were read lack them.
        custom: r.custom ?? {},
        note: null,
      });
      continue;
    }
    if (!tally.firstMatch(match.id)) continue;
    // Chunks analysed before stageGiven existed lack it: there, as then, the row's stage is used.
    if ((r.stageGiven ?? true) && stageGone(r)) continue;
    const update = dealUpdate(match, { ...r, companyId }, rowNo, found, money.locale, today);
    if (!update) {
      tally.unchanged += 1;
      continue;
    }
    tally.updates.push(update.row);
    tally.review.updates.push(update.review);
  }
  if (removedStage) {
    const which =
      found.stageName.size === 0
        ? "The pipeline this import goes to"
        : removedStage.stage
          ? `The stage “${removedStage.stage.slice(0, 60)}”`
          : "The pipeline's first stage (where rows without a stage go)";
    const stale = `${which} was removed after the file was read, so the import stopped. Upload the file again.`;
    return { ...tally.plan([]), stale };
  }
  const { creates, updates, tagNames } = tally;
  return tally.plan(dealChunkStatements(t, ctx, chunkNo, now, { creates, updates, tagNames }));
}
