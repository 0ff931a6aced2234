/**
 * Deals for the tests of pages and data flows that only read them (export, archive, erasure, other
 * pages, search): rows inserted with plain SQL in one batch, keeping deal_stage_totals and
 * tenant_counters.deals as the app's own writes do, so the counters the pages read stay right.
 */
import { env } from "cloudflare:workers";

export interface DealSeed {
  name: string;
  amountMinor?: number;
  currency?: string;
  /** A stage of the workspace's "Sales" pipeline, by name (default "Lead"). */
  stage?: string;
  closeDate?: string | null;
  status?: "open" | "won" | "lost";
  lostReason?: string | null;
  closedOn?: string | null;
  ownerId?: string | null;
  createdBy?: string | null;
  companyId?: number | null;
  contacts?: { id: number; role: string | null }[];
  tagIds?: number[];
  /** Written into the stage history's actor. */
  actorId?: string | null;
}

/** The id of a stage of the workspace's Sales pipeline. */
export async function stageId(tenantId: string, name = "Lead"): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT s.id FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id
     WHERE s.tenant_id = ? AND p.name_key = 'sales' AND s.name = ?`,
  )
    .bind(tenantId, name)
    .first<{ id: number }>();
  if (!row) throw new Error(`no stage ${name} in ${tenantId}`);
  return row.id;
}

/** Inserts a deal with its contacts, tags and first history span; returns its id. */
export async function insertDeal(tenantId: string, seed: DealSeed): Promise<number> {
  const stage = await stageId(tenantId, seed.stage ?? "Lead");
  const now = Date.now();
  const status = seed.status ?? "open";
  const amount = seed.amountMinor ?? 0;
  const currency = seed.currency ?? "USD";
  const closeDate = seed.closeDate ?? null;
  const inserted = await env.DB.prepare(
    `INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id, company_id,
       pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at, last_activity_at)
     SELECT ?1, ?2, lower(?2), ?3, ?4, ?5, coalesce(?5, '9999-12-31'), ?6, ?7, pipeline_id, id, ?8, ?9, ?10, ?11, ?12, ?12, ?12
     FROM pipeline_stages WHERE id = ?13 RETURNING id`,
  )
    .bind(
      tenantId,
      seed.name,
      amount,
      currency,
      closeDate,
      seed.ownerId ?? null,
      seed.companyId ?? null,
      status,
      seed.lostReason ?? null,
      seed.closedOn ?? null,
      seed.createdBy ?? null,
      now,
      stage,
    )
    .first<{ id: number }>();
  const id = inserted!.id;
  const statements = [
    env.DB.prepare(
      `INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, left_at, actor_id)
       SELECT tenant_id, id, pipeline_id, stage_id, status, created_at, NULL, ?2 FROM deals WHERE id = ?1`,
    ).bind(id, seed.actorId ?? seed.createdBy ?? null),
    env.DB.prepare(
      `INSERT INTO tenant_counters (tenant_id, deals) VALUES (?1, 1)
       ON CONFLICT (tenant_id) DO UPDATE SET deals = deals + 1`,
    ).bind(tenantId),
    ...(seed.contacts ?? []).map((c) =>
      env.DB.prepare("INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role) VALUES (?, ?, ?, ?)").bind(
        tenantId,
        id,
        c.id,
        c.role,
      ),
    ),
    ...(seed.tagIds ?? []).map((tag) =>
      env.DB.prepare("INSERT INTO deal_tags (tenant_id, deal_id, tag_id) VALUES (?, ?, ?)").bind(tenantId, id, tag),
    ),
  ];
  if (status === "open")
    statements.push(
      env.DB.prepare(
        `INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor) VALUES (?1, ?2, ?3, 1, ?4)
         ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + ?4`,
      ).bind(tenantId, stage, currency, amount),
    );
  await env.DB.batch(statements);
  return id;
}

/** The user id of an account, by email. */
export async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}
