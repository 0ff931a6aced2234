/**
 * Each database hands out integer ids from its own range, so ids a workspace brings from DB never meet
 * a shard's own: DB from 1, SHARD_i from (i + 1) × 2^40.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensureIdRange, idRangeStart } from "../../src/services/shards/id-ranges";
import { startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { insertTag } from "../helpers/records";
import { moveEnv, runSteps, seededWorkspace } from "./helpers";

const RANGE = 2 ** 40;
const seq = async (db: D1Database, table: string) =>
  (await db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").bind(table).first<{ seq: number }>())?.seq;

/** A tag of a workspace that exists only on `db` (made there, as routing will make them). */
async function tagOn(db: D1Database, tenantId: string, name: string): Promise<number> {
  await db
    .prepare("INSERT INTO tenants (id, name, created_at, updated_at) VALUES (?, 'Local', 0, 0) ON CONFLICT DO NOTHING")
    .bind(tenantId)
    .run();
  const row = await db
    .prepare("INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, ?, ?, 'blue', 0) RETURNING id")
    .bind(tenantId, name, name.toLowerCase())
    .first<{ id: number }>();
  return row!.id;
}

describe("id ranges", { timeout: 90_000 }, () => {
  it("start at 0 on DB and at (i + 1) × 2^40 on SHARD_i, within JavaScript's exact integers", () => {
    expect(idRangeStart("DB")).toBe(0);
    expect(idRangeStart("SHARD_0")).toBe(RANGE);
    expect(idRangeStart("SHARD_2")).toBe(3 * RANGE);
    expect(Number.isSafeInteger(8191 * RANGE + RANGE - 1)).toBe(true);
  });

  it("are set on a shard once, never lowered", async () => {
    await ensureIdRange(env.SHARD_2!, "SHARD_2");
    expect(await seq(env.SHARD_2!, "contacts")).toBeGreaterThanOrEqual(3 * RANGE);
    const id = await tagOn(env.SHARD_2!, "range-probe-2", `Probe ${crypto.randomUUID()}`);
    expect(id).toBeGreaterThan(3 * RANGE);
    await ensureIdRange(env.SHARD_2!, "SHARD_2");
    expect(await seq(env.SHARD_2!, "tags")).toBe(id);
  });

  it("keep a workspace moved from DB clear of the shard's own ids, and of DB's later ones", async () => {
    const t = await seededWorkspace("Ranged Mover");
    const tagId = await insertTag(t.tenantId, "Came from DB");
    expect(tagId).toBeLessThan(RANGE);
    const { q, bindings } = moveEnv(50);
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!m.ok) throw new Error(m.reason);
    await runSteps(bindings, q, m.moveId, () => (now += FREEZE_GRACE_MS));
    const moved = await env.SHARD_1!.prepare("SELECT id FROM tags WHERE tenant_id = ?").bind(t.tenantId).first();
    expect(moved).toEqual({ id: tagId });
    // The shard's own next id is in its range; DB's next is above what it gave before, never the moved one.
    expect(await tagOn(env.SHARD_1!, "range-probe-1", `Probe ${crypto.randomUUID()}`)).toBeGreaterThan(2 * RANGE);
    const other = await seededWorkspace("Stays On DB");
    expect(await insertTag(other.tenantId, "Later on DB")).toBeGreaterThan(tagId);
  });
});
