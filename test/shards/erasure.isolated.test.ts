/**
 * Erasing a closed workspace that lives on a shard, on each shard: the erasure finds its records where the
 * directory says (and at both ends of a move not finished), leaves nothing of it or of its own people on any
 * database, and touches nothing of a neighbour on the same shard. The retention job's sweeps of records
 * (trash, webhook log, API answers) run on the shards too.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DATABASE_NAMES, SHARD_NAMES } from "../../src/services/shards/databases";
import { type MoveMessage, runMoveStep, startMove } from "../../src/services/shards/move";
import { DAY, runCron, runCronUntilErased, tablesWithColumn, tenantExists, tracesOf } from "../closure/helpers";
import { failingDatabase } from "../helpers/faults";
import { GOOD_PASSWORD, logIn, send } from "../helpers/http";
import { markVerified } from "../team/team-helpers";
import { memberOf } from "../helpers/tenants";
import {
  database,
  directoryOf,
  moveEnv,
  moveRow,
  moveWhole,
  rowsOf,
  runSteps,
  seededWorkspace,
  snapshot,
} from "./helpers";

/** Closes the workspace as its owner; when its erasure is due. */
async function closeNow(t: { cookie: string; tenantId: string }): Promise<number> {
  const res = await send("/app/settings/close", {
    cookie: t.cookie,
    form: { password: GOOD_PASSWORD, confirm_close: "on" },
  });
  expect(res.status).toBe(200);
  return (await env.DB.prepare("SELECT erase_after FROM tenants WHERE id = ?")
    .bind(t.tenantId)
    .first<number>("erase_after"))!;
}

async function ownerOf(email: string): Promise<string> {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

/** Tables of every database holding a row of the tenant (tenant_id, or the tenants row itself). */
async function leftovers(tenantId: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of DATABASE_NAMES) {
    const db = database(name);
    for (const table of await tablesWithColumn("tenant_id")) {
      if (name === "DB" && table === "closed_tenant_ledger") continue;
      const hit = await db.prepare(`SELECT 1 AS x FROM "${table}" WHERE tenant_id = ? LIMIT 1`).bind(tenantId).first();
      if (hit) found.push(`${name}.${table}`);
    }
    if (await db.prepare("SELECT 1 AS x FROM tenants WHERE id = ?").bind(tenantId).first())
      found.push(`${name}.tenants`);
  }
  return found;
}

describe("erasing a workspace that lives on a shard", { timeout: 180_000 }, () => {
  for (const shard of SHARD_NAMES)
    it(`on ${shard}: nothing of it is left on any database, and its neighbour there keeps everything`, async () => {
      const t = await seededWorkspace(`Erased On ${shard}`);
      const neighbour = await seededWorkspace(`Neighbour On ${shard}`);
      await markVerified(t.email);
      const ownerId = await ownerOf(t.email);
      await moveWhole(t.tenantId, shard);
      await moveWhole(neighbour.tenantId, shard);
      expect(await directoryOf(t.tenantId)).toEqual({ shard, state: "active" });
      expect(await rowsOf(database(shard), t.tenantId)).toBeGreaterThan(20);
      // The shard's users rows for the owner's id: the foreign keys of the records they made.
      expect(
        await database(shard).prepare("SELECT 1 AS x FROM users WHERE id = ?").bind(ownerId).first(),
      ).not.toBeNull();
      const neighbourBefore = await snapshot(database(shard), neighbour.tenantId);

      const erase_after = await closeNow(t);
      // Within the grace period the shard keeps the records.
      await runCron(erase_after - DAY);
      expect(await rowsOf(database(shard), t.tenantId)).toBeGreaterThan(20);

      const runs = await runCronUntilErased(t.tenantId, erase_after + 60_000, { RETENTION_CHUNK_ROWS: "3" });
      expect(runs).toBeGreaterThan(1);
      expect(await tenantExists(t.tenantId)).toBe(false);
      expect(await leftovers(t.tenantId)).toEqual([]);
      // No trace of the workspace or of its owner (their users row on the shard included) anywhere.
      const needles = [t.tenantId, ownerId, t.email, `Erased On ${shard}`, `ErasedOn${shard}`];
      for (const name of DATABASE_NAMES)
        expect(await tracesOf(needles, name === "DB" ? ["closed_tenant_ledger"] : [], database(name)), name).toEqual(
          [],
        );
      expect(
        await env.DB.prepare("SELECT 1 AS x FROM closed_tenant_ledger WHERE tenant_id = ?").bind(t.tenantId).first(),
      ).not.toBeNull();

      // The neighbour on the same shard: every row as it was, still placed there, but for its webhook log and its
      // data export request: the runs are 30 days on, past the log's period and the month an export request is
      // kept, and the retention and privacy jobs swept both on the shard.
      const { webhook_events, webhook_deliveries, data_exports, ...kept } = neighbourBefore;
      expect(webhook_events).toHaveLength(5);
      expect(data_exports).toHaveLength(1);
      const neighbourAfter = await snapshot(database(shard), neighbour.tenantId);
      expect(neighbourAfter).toEqual({ ...kept, webhook_events: [], webhook_deliveries: [], data_exports: [] });
      expect(await directoryOf(neighbour.tenantId)).toEqual({ shard, state: "active" });
    });

  it("leaves no copy of a member who stays in another workspace on the shard: their account does not look there later", async () => {
    const t = await seededWorkspace("Erased With A Member");
    const member = await memberOf(t.tenantId, "member");
    await moveWhole(t.tenantId, "SHARD_1");
    const copy = () =>
      database("SHARD_1").prepare("SELECT 1 AS x FROM users WHERE email = ?").bind(member.email).first();
    expect(await copy()).not.toBeNull();
    const erase_after = await closeNow(t);
    await runCronUntilErased(t.tenantId, erase_after + 60_000);
    expect(await tenantExists(t.tenantId)).toBe(false);
    expect(await tracesOf([member.email], [], database("SHARD_1"))).toEqual([]);
    // Their account is untouched: they sign in to their own workspace.
    expect((await logIn(member.email)).response.status).toBe(303);
  });

  it("closed while a move copies it: both the old copy and the part copied are erased, and the move's next step does nothing", async () => {
    const t = await seededWorkspace("Erased Mid Move");
    await markVerified(t.email);
    const { q, bindings } = moveEnv();
    const now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_2", now);
    if (!started.ok) throw new Error(started.reason);
    await runSteps(bindings, q, started.moveId, () => now, { max: 40 });
    expect((await moveRow(started.moveId)).status).toBe("copying");
    expect(await rowsOf(env.SHARD_2!, t.tenantId)).toBeGreaterThan(1);

    const erase_after = await closeNow(t);
    await runCronUntilErased(t.tenantId, erase_after + 60_000);
    expect(await leftovers(t.tenantId)).toEqual([]);
    // The move went with the workspace: its waiting step finds no move and writes nothing.
    expect(await env.DB.prepare("SELECT 1 AS x FROM shard_moves WHERE id = ?").bind(started.moveId).first()).toBeNull();
    const waiting = q.takeOne(started.moveId) as MoveMessage;
    expect(waiting).toBeDefined();
    await runMoveStep(bindings, waiting, erase_after + DAY);
    expect(await leftovers(t.tenantId)).toEqual([]);
  });
});

describe("the retention job on the shards", () => {
  it("empties a moved workspace's trash past its 30 days on its shard", async () => {
    const t = await seededWorkspace("Trash On A Shard");
    expect((await send(`/app/contacts/${t.contacts[4]}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    await moveWhole(t.tenantId, "SHARD_0");
    const trash = () =>
      env.SHARD_0!.prepare("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ?").bind(t.tenantId).first("n");
    expect(await trash()).toBe(1);
    await runCron(Date.now() + 29 * DAY);
    expect(await trash()).toBe(1);
    await runCron(Date.now() + 31 * DAY);
    expect(await trash()).toBe(0);
  });

  it("goes on with the other databases when a shard is down, and says which failed", async () => {
    const t = await seededWorkspace("Trash Beside An Outage");
    expect((await send(`/app/contacts/${t.contacts[4]}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    await moveWhole(t.tenantId, "SHARD_1");
    const errors = vi.spyOn(console, "error");
    await runCron(Date.now() + 31 * DAY, { SHARD_0: failingDatabase() });
    expect(
      await env
        .SHARD_1!.prepare("SELECT count(*) AS n FROM trash_items WHERE tenant_id = ?")
        .bind(t.tenantId)
        .first("n"),
    ).toBe(0);
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("retention_database_failed"));
    errors.mockRestore();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((l) => JSON.parse(l).database === "SHARD_0")).toBe(true);
  });
});
