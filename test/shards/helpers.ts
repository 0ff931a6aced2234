/** A workspace with rows in most tables, moves driven step by step, and what each database holds of it. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { ShardMove } from "../../src/db/schema";
import type { DatabaseName, ShardName } from "../../src/services/shards/databases";
import { type MoveMessage, runMoveStep, startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { DELETED_TABLES, VERIFIED_TABLES } from "../../src/services/shards/tables";
import { createContact, post } from "../contacts/contact-helpers";
import { createDeal } from "../deals/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { HeldQueue, type JobEnv, jobEnv } from "../jobs/helpers";
import { addEndpoint, receiverUrl } from "../webhooks/helpers";

export const MINUTE = 60_000;

export const database = (name: DatabaseName): D1Database => env[name]!;

/** A workspace with contacts (emails, phones, tags), a company, notes, a deal, a task and a webhook endpoint. */
export async function seededWorkspace(name: string) {
  const t = await newTenant(name);
  await addEndpoint(t.cookie, receiverUrl(`shards-${t.tenantId}`), ["contact.created"]);
  const contacts: number[] = [];
  for (let i = 0; i < 5; i += 1)
    contacts.push(
      await createContact(t.cookie, {
        first_name: `Person${i}`,
        last_name: name.replaceAll(" ", ""),
        email: `person${i}@${t.tenantId}.example`,
        phone: `+1 415 555 01${10 + i}`,
      }),
    );
  expect((await post("/app/companies", t.cookie, { name: `${name} Company` })).status).toBe(303);
  for (const id of contacts.slice(0, 3))
    expect(
      (await send(`/app/contacts/${id}/notes`, { cookie: t.cookie, form: { body: `Note on ${id}` } })).status,
    ).toBe(303);
  const stage = await env.DB.prepare("SELECT id FROM pipeline_stages WHERE tenant_id = ? ORDER BY position LIMIT 1")
    .bind(t.tenantId)
    .first<{ id: number }>();
  await createDeal(t.cookie, { name: "Big deal", amount: "12,000", stage_id: String(stage!.id) });
  expect((await post("/app/tasks", t.cookie, { title: "Call back", due_date: "2026-12-24" })).status).toBe(303);
  // A row with a foreign key to users: the target needs a users row for it.
  const exportRequest = await send("/app/settings/privacy/export", {
    cookie: t.cookie,
    form: {},
    env: jobEnv(new HeldQueue()),
  });
  expect(exportRequest.status).toBe(303);
  return { ...t, contacts };
}

/** Every row the workspace has in the tables a move checks, per table, in a stable order. */
export async function snapshot(db: D1Database, tenantId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of VERIFIED_TABLES) {
    const { results } = await db.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ?`).bind(tenantId).all();
    out[table] = results.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();
  }
  return out;
}

/** How many rows of the workspace a database holds in the tables a move deletes from, and its tenants row. */
export async function rowsOf(db: D1Database, tenantId: string): Promise<number> {
  let n = 0;
  for (const table of [...DELETED_TABLES, "tenants"]) {
    const column = table === "tenants" ? "id" : "tenant_id";
    n += (await db
      .prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${column} = ?`)
      .bind(tenantId)
      .first<{ n: number }>())!.n;
  }
  return n;
}

export const moveRow = async (id: string) =>
  (await env.DB.prepare("SELECT * FROM shard_moves WHERE id = ?").bind(id).first<Record<string, unknown>>())!;

export const directoryOf = (tenantId: string) =>
  env.DB.prepare("SELECT shard, state FROM workspace_shards WHERE tenant_id = ?").bind(tenantId).first();

/**
 * Bindings whose queue the test delivers from; pages of two rows, so every table takes several steps, and
 * one step per message, so a test can stop (or kill) the move between any two steps.
 */
export function moveEnv(pageRows = 2): { q: HeldQueue; bindings: JobEnv } {
  const q = new HeldQueue();
  return { q, bindings: jobEnv(q, { SHARD_MOVE_PAGE_ROWS: String(pageRows), SHARD_MOVE_STEPS: "1" }) };
}

/** Runs the move's held steps one by one at `clock()` until it is done or failed, `until` says stop, or `max` steps ran. */
export async function runSteps(
  bindings: JobEnv,
  q: HeldQueue,
  moveId: string,
  clock: () => number,
  opts: { until?: (move: Pick<ShardMove, "status">) => boolean; max?: number } = {},
): Promise<number> {
  let steps = 0;
  for (;;) {
    const move = await moveRow(moveId);
    if (move.status === "done" || move.status === "failed" || opts.until?.(move as never)) return steps;
    if (steps === (opts.max ?? 5000)) return steps;
    const message = q.takeOne(moveId) as MoveMessage | undefined;
    if (!message) throw new Error(`move ${moveId} in ${String(move.status)} has no step waiting`);
    await runMoveStep(bindings, message, clock());
    steps += 1;
  }
}

/** Moves the workspace to `shard` from start to end, many steps per message, the clock jumping the freeze's grace. */
export async function moveWhole(tenantId: string, shard: ShardName): Promise<void> {
  const { q, bindings: oneStep } = moveEnv(500);
  const bindings = { ...oneStep, SHARD_MOVE_STEPS: undefined };
  let now = Date.now();
  const started = await startMove(bindings, tenantId, shard, now);
  if (!started.ok) throw new Error(started.reason);
  for (;;) {
    const move = await moveRow(started.moveId);
    if (move.status === "done") return;
    if (move.status === "failed") throw new Error(`the move failed: ${String(move.message)}`);
    if (move.status === "catching_up") now = Math.max(now, Number(move.frozen_at) + FREEZE_GRACE_MS);
    await runMoveStep(bindings, q.takeOne(started.moveId) as MoveMessage, now);
  }
}
