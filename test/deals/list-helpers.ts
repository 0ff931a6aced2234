/**
 * Deals for the settings and list tests, written with plain SQL (the deal forms are another part of
 * issue 14): each insert keeps deal_stage_totals, tenant_counters.deals and the stage history as the
 * app's own writes do, so the tests can compare the maintained totals with a recount.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";

export { fieldError, formBody, post } from "../contacts/contact-helpers";

export interface StageRow {
  id: number;
  pipeline_id: number;
  pipeline_name: string;
  name: string;
  position: number;
  probability: number;
  pipeline_position: number;
}

/** The tenant's stages in board order (pipeline position, stage position). */
export async function stagesOf(tenantId: string): Promise<StageRow[]> {
  const r = await env.DB.prepare(
    `SELECT s.id, s.pipeline_id, p.name AS pipeline_name, s.name, s.position, s.probability, s.pipeline_position
     FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id
     WHERE s.tenant_id = ? ORDER BY p.position, p.id, s.position, s.id`,
  )
    .bind(tenantId)
    .all<StageRow>();
  return r.results;
}

export interface DealSpec {
  name: string;
  stageId: number;
  amountMinor?: number;
  currency?: string;
  status?: "open" | "won" | "lost";
  closeDate?: string | null;
  ownerId?: string | null;
  updatedAt?: number;
  lostReason?: string | null;
}

/** Inserts deals (one batch of set-based statements) and returns their ids in the order given. */
export async function insertDeals(tenantId: string, specs: DealSpec[]): Promise<number[]> {
  const now = Date.now();
  const rows = JSON.stringify(
    specs.map((s, i) => ({
      k: i,
      name: s.name,
      stage: s.stageId,
      amount: s.amountMinor ?? 0,
      currency: s.currency ?? "USD",
      status: s.status ?? "open",
      close: s.closeDate ?? null,
      owner: s.ownerId ?? null,
      updated: s.updatedAt ?? now,
      lost: s.lostReason ?? null,
    })),
  );
  const marker = `batch-${now}-${Math.random()}`;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id,
         pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at, last_activity_at)
       SELECT ?1, r.value ->> 'name', lower(r.value ->> 'name'), r.value ->> 'amount', r.value ->> 'currency',
         r.value ->> 'close', coalesce(r.value ->> 'close', '9999-12-31'), r.value ->> 'owner', s.pipeline_id, s.id,
         r.value ->> 'status', r.value ->> 'lost',
         CASE WHEN r.value ->> 'status' = 'open' THEN NULL ELSE '2026-01-15' END, ?2, ?3, r.value ->> 'updated',
         r.value ->> 'updated'
       FROM json_each(?4) r JOIN pipeline_stages s ON s.id = r.value ->> 'stage' AND s.tenant_id = ?1
       ORDER BY r.key`,
    ).bind(tenantId, marker, now, rows),
    env.DB.prepare(
      `INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at)
       SELECT tenant_id, id, pipeline_id, stage_id, status, created_at FROM deals WHERE tenant_id = ?1 AND created_by = ?2`,
    ).bind(tenantId, marker),
    env.DB.prepare(
      `INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
       SELECT tenant_id, stage_id, currency, count(*), sum(amount_minor) FROM deals
       WHERE tenant_id = ?1 AND created_by = ?2 AND status = 'open' GROUP BY tenant_id, stage_id, currency
       ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
         SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor`,
    ).bind(tenantId, marker),
    env.DB.prepare(
      `INSERT INTO tenant_counters (tenant_id, deals)
       SELECT ?1, count(*) FROM deals WHERE tenant_id = ?1 AND created_by = ?2 GROUP BY tenant_id
       ON CONFLICT (tenant_id) DO UPDATE SET deals = deals + excluded.deals`,
    ).bind(tenantId, marker),
  ]);
  const ids = await env.DB.prepare("SELECT id FROM deals WHERE tenant_id = ? AND created_by = ? ORDER BY id")
    .bind(tenantId, marker)
    .all<{ id: number }>();
  await env.DB.prepare("UPDATE deals SET created_by = NULL WHERE tenant_id = ? AND created_by = ?")
    .bind(tenantId, marker)
    .run();
  return ids.results.map((r) => r.id);
}

/** The maintained open totals (rows with deals) and a recount from the deals, in the same shape. */
export async function totalsAndRecount(tenantId: string) {
  const q = (sql: string) =>
    env.DB.prepare(sql)
      .bind(tenantId)
      .all<{ stage_id: number; currency: string; deals: number; amount_minor: number }>()
      .then((r) => r.results);
  return {
    totals: await q(`SELECT stage_id, currency, deals, amount_minor FROM deal_stage_totals
      WHERE tenant_id = ? AND deals <> 0 ORDER BY stage_id, currency`),
    recount: await q(`SELECT stage_id, currency, count(*) AS deals, sum(amount_minor) AS amount_minor FROM deals
      WHERE tenant_id = ? AND status = 'open' GROUP BY stage_id, currency ORDER BY stage_id, currency`),
  };
}

/** Fails unless the maintained totals equal a recount. */
export async function expectTotalsExact(tenantId: string) {
  const { totals, recount } = await totalsAndRecount(tenantId);
  expect(totals).toEqual(recount);
}

/** The deal ids of a list page, in the order shown. */
export function listedDealIds(html: string): number[] {
  return [...html.matchAll(/<tr id="deal-(\d+)"/g)].map((m) => Number(m[1]));
}

/** GETs a page and returns its HTML, expecting `status`. */
export async function page(path: string, cookie: string, status = 200): Promise<string> {
  const res = await send(path, { cookie });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(status);
  return text;
}

/** The href of the page's rel=next (or prev) link, HTML entities decoded. */
export function pagerHref(html: string, rel: "next" | "prev"): string | null {
  const m = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`));
  return m ? m[1]!.replaceAll("&amp;", "&") : null;
}

/** Rows of a table of the tenant, for "nothing was written" checks. */
export async function rowsOf(table: string, tenantId: string) {
  return (await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY 1`).bind(tenantId).all()).results;
}

/** The user id of an email. */
export async function userIdOf(email: string): Promise<string> {
  const r = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return r!.id;
}
