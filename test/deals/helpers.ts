/** Shared pieces of the deals tests: real requests through the app, and direct reads of the test D1. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { post, type Form } from "../contacts/contact-helpers";
import { queryRows } from "../helpers/db";
import { insertDeal } from "./data-helpers";

export { fieldError, post } from "../contacts/contact-helpers";
export type { Form };

/** The workspace's pipelines with their stage ids in board order (the first is "Sales"). */
export async function pipelinesOf(tenantId: string) {
  const rows = await env.DB.prepare(
    `SELECT p.id AS pipelineId, p.name AS pipeline, s.id AS stageId, s.name AS stage FROM pipelines p
     JOIN pipeline_stages s ON s.pipeline_id = p.id WHERE p.tenant_id = ? ORDER BY p.position, p.id, s.position`,
  )
    .bind(tenantId)
    .all<{ pipelineId: number; pipeline: string; stageId: number; stage: string }>();
  const out = new Map<number, { id: number; name: string; stages: { id: number; name: string }[] }>();
  for (const r of rows.results) {
    const p = out.get(r.pipelineId) ?? { id: r.pipelineId, name: r.pipeline, stages: [] };
    p.stages.push({ id: r.stageId, name: r.stage });
    out.set(r.pipelineId, p);
  }
  return [...out.values()];
}

/** Adds a pipeline with stages directly (the pipelines settings page is another part of the work). */
export async function addPipeline(tenantId: string, name: string, stages: string[]) {
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO pipelines (tenant_id, name, name_key, position, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
  )
    .bind(tenantId, name, name.toLowerCase(), now, now)
    .run();
  const p = (await env.DB.prepare("SELECT id FROM pipelines WHERE tenant_id = ? AND name = ?")
    .bind(tenantId, name)
    .first<{ id: number }>())!;
  for (const [i, stage] of stages.entries())
    await env.DB.prepare(
      "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, name_key, position, probability, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 20, ?, ?)",
    )
      .bind(tenantId, p.id, stage, stage.toLowerCase(), i, now, now)
      .run();
  return (await pipelinesOf(tenantId)).find((x) => x.name === name)!;
}

/** Creates a deal through the form and returns its id. */
export async function createDeal(cookie: string, form: Form): Promise<number> {
  const res = await post("/app/deals", cookie, form);
  if (res.status !== 303) throw new Error(`create failed with ${res.status}: ${await res.text()}`);
  return Number(res.headers.get("Location")!.match(/^\/app\/deals\/(\d+)$/)![1]);
}

export async function dealRow(id: number) {
  return env.DB.prepare("SELECT * FROM deals WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

/** Every row the workspace has in the deal tables, for "nothing was written" checks. */
export async function dealState(tenantId: string) {
  const q = (sql: string) => queryRows(sql, tenantId);
  return {
    deals: await q("SELECT * FROM deals WHERE tenant_id = ? ORDER BY id"),
    contacts: await q("SELECT * FROM deal_contacts WHERE tenant_id = ? ORDER BY deal_id, contact_id"),
    tags: await q("SELECT * FROM deal_tags WHERE tenant_id = ? ORDER BY deal_id, tag_id"),
    history: await q("SELECT * FROM deal_stage_history WHERE tenant_id = ? ORDER BY id"),
    totals: await q("SELECT * FROM deal_stage_totals WHERE tenant_id = ? ORDER BY stage_id, currency"),
    activities: await q("SELECT * FROM activities WHERE tenant_id = ? ORDER BY id"),
    audit: await q("SELECT id FROM audit_log WHERE tenant_id = ? AND target_type = 'deal' ORDER BY id"),
    counters: await q("SELECT deals FROM tenant_counters WHERE tenant_id = ?"),
  };
}

/** deal_stage_totals as kept (rows not at zero) and as the open deals say they should be, per stage and currency. */
export async function stageTotals(tenantId: string) {
  const kept = await queryRows(
    "SELECT stage_id, currency, deals, amount_minor FROM deal_stage_totals WHERE tenant_id = ? AND deals != 0 ORDER BY stage_id, currency",
    tenantId,
  );
  const counted = await queryRows(
    `SELECT stage_id, currency, count(*) AS deals, sum(amount_minor) AS amount_minor FROM deals
     WHERE tenant_id = ? AND status = 'open' GROUP BY stage_id, currency ORDER BY stage_id, currency`,
    tenantId,
  );
  return { kept, counted };
}

/** The maintained totals and a recount of the open deals must agree, stage by stage and currency by currency. */
export async function expectTotalsExact(tenantId: string) {
  const { kept, counted } = await stageTotals(tenantId);
  expect(kept).toEqual(counted);
  const zeroRows = await env.DB.prepare(
    "SELECT count(*) AS n FROM deal_stage_totals WHERE tenant_id = ? AND deals = 0 AND amount_minor != 0",
  )
    .bind(tenantId)
    .first<{ n: number }>();
  expect(zeroRows!.n).toBe(0);
  const counter = await env.DB.prepare(
    "SELECT (SELECT deals FROM tenant_counters WHERE tenant_id = ?1) AS kept, (SELECT count(*) FROM deals WHERE tenant_id = ?1) AS counted",
  )
    .bind(tenantId)
    .first<{ kept: number; counted: number }>();
  expect(counter!.kept).toBe(counter!.counted);
}

/** The id of the workspace's first stage (of its first pipeline). */
export async function firstStageId(tenantId: string): Promise<number> {
  return (await pipelinesOf(tenantId))[0]!.stages[0]!.id;
}

/** A deal whose people are set through its edit form, as a user does (the timeline's "changed contacts" entry). */
export async function dealWithPeople(
  cookie: string,
  tenantId: string,
  name: string,
  people: { id: number; role: string }[],
): Promise<number> {
  const deal = await insertDeal(tenantId, { name, amountMinor: 100 });
  const row = (await env.DB.prepare("SELECT stage_id, updated_at FROM deals WHERE id = ?")
    .bind(deal)
    .first<{ stage_id: number; updated_at: number }>())!;
  const res = await post(`/app/deals/${deal}`, cookie, {
    name,
    amount: "1",
    stage_id: String(row.stage_id),
    contact_ids: [...people.map((p) => String(p.id)), ""],
    contact_roles: [...people.map((p) => p.role), ""],
    version: String(row.updated_at),
  });
  expect(res.status, await res.clone().text()).toBe(303);
  return deal;
}
