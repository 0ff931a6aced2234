/**
 * Planning a chunk of deal rows against the workspace: the company (by domain, else by name) and the
 * contacts (by email, else by a full name only one contact has) it names, linked only when they are
 * the workspace's own; the deal it is (matchingDeal: the same name, case-insensitive, in the same pipeline,
 * at the same company); and the statements that write it in one batch (plan-deals-sql.ts). A matched deal
 * is updated with what the row gives (amount, stage, close date, status; its company when it had none),
 * never renamed; a column the file lacks or an empty cell changes nothing. The preview runs the same plan.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { matchingDomain, normalizeDomain } from "../../lib/domain";
import { formatAmount, minorDigits } from "../../lib/money";
import { dateInZone } from "../../lib/zoned-time";
import { workspaceMoney, workspaceTimeZone } from "../deals/choices";
import type { DealChunkRecord } from "./analyse-deals";
import type { ChunkContext, ChunkPlan, ChunkRow } from "./chunk";
import { collectTags } from "./chunk-sql";
import { type DealFields, type DealUpdateRow, dealChunkStatements, type NewDealRow } from "./plan-deals-sql";
import { ChunkTally } from "./plan-tally";
import type { ReviewChange } from "./review";

const json = (v: unknown) => JSON.stringify(v);
const lower = (s: string) => s.trim().toLowerCase();

interface CurrentDeal {
  id: number;
  name: string;
  name_sort: string;
  company_id: number | null;
  amount_minor: number;
  currency: string;
  stage_id: number;
  status: DealFields["status"];
  lost_reason: string | null;
  close_date: string | null;
  closed_on: string | null;
  updated_at: number;
  last_activity_at: number;
}

/** A domain when the text is one ("acme.com", "https://acme.com/") and not a shared host's (facebook.com), else null. */
function domainOf(text: string | null): string | null {
  if (!text || !/\.[a-z]{2,}\/?$/i.test(text.trim()) || /\s/.test(text.trim())) return null;
  const d = normalizeDomain(text);
  return d.ok ? matchingDomain(d.domain) : null;
}

/** The same amount in the minor units of `to` (12.50: 1250 for EUR, null for JPY, which has no decimals). */
function inCurrency(minor: number, from: string, to: string): number | null {
  const shift = minorDigits(to) - minorDigits(from);
  if (shift >= 0) return minor * 10 ** shift;
  return minor % 10 ** -shift === 0 ? minor / 10 ** -shift : null;
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
      collectTags(tally.tagNames, r.tags);
      tally.creates.push({
        rowNo,
        name: r.name,
        nameSort: lower(r.name),
        amountMinor: r.amountMinor,
        currency: r.currency,
        closeDate: r.closeDate,
        closeKey: r.closeDate ?? "9999-12-31",
        ownerId: r.owner ? (ctx.owners.get(r.owner) ?? null) : null,
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
    const update = dealUpdate(match, { ...r, companyId }, rowNo, found, money.locale, today);
    if (!update) {
      tally.unchanged += 1;
      continue;
    }
    tally.updates.push(update.row);
    tally.review.updates.push(update.review);
  }
  const { creates, updates, tagNames } = tally;
  return tally.plan(dealChunkStatements(t, ctx, chunkNo, now, { creates, updates, tagNames }));
}

/**
 * What a row changes on the deal it matched: amount (with its currency, else in the deal's), stage, close
 * date, status (with the lost reason and closing date), the company when the deal had none. An empty cell or a missing
 * column never changes a value (a re-import of a file without statuses does not reopen won deals); the
 * name never changes.
 */
function dealUpdate(
  was: CurrentDeal,
  r: DealChunkRecord & { companyId: number | null },
  rowNo: number,
  names: { stageName: Map<number, string>; companyName: Map<number, string> },
  locale: string,
  today: string,
): {
  row: DealUpdateRow;
  review: { row: number; rowName: string; id: number; name: string; changes: ReviewChange[] };
} | null {
  const set: Partial<DealFields> = {};
  const { stageName, companyName } = names;
  const current: DealFields = {
    companyId: was.company_id,
    amountMinor: was.amount_minor,
    currency: was.currency,
    stageId: was.stage_id,
    status: was.status,
    lostReason: was.lost_reason,
    closeDate: was.close_date,
    closeKey: was.close_date ?? "9999-12-31",
    closedOn: was.closed_on,
  };
  // A row without an amount leaves the deal's alone; "0" sets it to zero. (Chunks analysed before
  // amountGiven existed lack it: there, as then, 0 meant no amount.)
  const amountGiven = r.amountGiven ?? r.amountMinor !== 0;
  // Without a currency the amount is in the deal's own (null: it has more decimals than that one allows).
  const currencyGiven = r.currencyGiven ?? true;
  const minor = currencyGiven ? r.amountMinor : inCurrency(r.amountMinor, r.currency, was.currency);
  if (amountGiven && minor !== null) {
    set.amountMinor = minor;
    set.currency = currencyGiven ? r.currency : was.currency;
  }
  if (was.company_id === null && r.companyId !== null) set.companyId = r.companyId;
  // Chunks analysed before stageGiven/statusGiven existed lack them: there, as then, the row's are used.
  if ((r.stageGiven ?? true) && r.stageId !== was.stage_id) set.stageId = r.stageId;
  if (r.closeDate && r.closeDate !== was.close_date) {
    set.closeDate = r.closeDate;
    set.closeKey = r.closeDate;
  }
  const statusGiven = r.statusGiven ?? true;
  if (statusGiven && r.status !== was.status) {
    set.status = r.status;
    set.lostReason = r.status === "lost" ? r.lostReason : null;
    set.closedOn = r.status === "open" ? null : (r.closedOn ?? today);
  } else if (statusGiven && r.status === "lost" && r.lostReason && r.lostReason !== was.lost_reason)
    set.lostReason = r.lostReason;
  for (const k of Object.keys(set) as (keyof DealFields)[]) if (set[k] === current[k]) delete set[k];
  if (Object.keys(set).length === 0) return null;
  const before: Partial<DealFields> = {};
  for (const k of Object.keys(set) as (keyof DealFields)[]) (before as Record<string, unknown>)[k] = current[k];
  const after = { ...current, ...set };
  const changes: Record<string, [unknown, unknown]> = {};
  const amount = (f: DealFields) => formatAmount(f.amountMinor, f.currency, locale);
  if ("companyId" in set)
    changes.company = [null, after.companyId === null ? null : (companyName.get(after.companyId) ?? null)];
  // A currency-only change (the same number in another currency) is an amount change too.
  if ("amountMinor" in set || "currency" in set) changes.amount = [amount(current), amount(after)];
  if ("stageId" in set) changes.stage = [stageName.get(current.stageId) ?? null, stageName.get(after.stageId) ?? null];
  if ("closeDate" in set) changes.closeDate = [current.closeDate, after.closeDate];
  if ("status" in set) changes.status = [current.status, after.status];
  if ("lostReason" in set && (current.lostReason || after.lostReason))
    changes.lostReason = [current.lostReason, after.lostReason];
  const labels: Record<string, string> = {
    company: "Company",
    amount: "Amount",
    stage: "Stage",
    closeDate: "Close date",
    status: "Status",
    lostReason: "Lost reason",
  };
  const shown = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    row: {
      id: was.id,
      rowNo,
      set,
      before: { ...before, updatedAt: was.updated_at, lastActivityAt: was.last_activity_at },
      after: set,
      changes,
      moves: "stageId" in set || "status" in set,
    },
    review: {
      row: rowNo,
      rowName: r.name,
      id: was.id,
      name: was.name,
      changes: Object.entries(changes).map(([f, [b, a]]) => ({
        field: labels[f] ?? f,
        before: shown(b),
        after: shown(a),
      })),
    },
  };
}
