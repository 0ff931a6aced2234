/**
 * The plans of erasing and moving, by the rules of test/db/query-plans.test.ts (test/helpers/query-plans.ts): a
 * contact erased on request, then the workspace closed and erased by the cron after its grace period; a workspace
 * moved from DB to a shard, step by step; the cron a year on, when every sweep has work. Every statement is
 * recorded and explained (a shard's on DB: the same schema). Isolated: the cron runs at times that erase, purge
 * and expire whatever other files left.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { statementsProblems } from "../helpers/query-plans";
import { workspace } from "../helpers/plans-workspace";
import { markVerified } from "../team/team-helpers";
import { runCron, runCronUntilErased } from "../closure/helpers";
import { seededWorkspace } from "../shards/helpers";
import { HeldQueue, jobEnv } from "../jobs/helpers";
import { type MoveMessage, runMoveStep, startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";

describe("query plans without statistics, in erasure and moves", () => {
  it("read no other workspace whole in erasing a contact, nor a closed workspace", async () => {
    const w = await workspace();
    await markVerified(w.email);
    const counting = countingDb();
    const bindings = { DB: counting.binding };
    const erased = await send(`/app/contacts/${w.ids.contacts}/erase`, {
      cookie: w.cookie,
      form: { suppress: "1" },
      env: bindings,
    });
    expect(erased.status).toBe(303);
    const closed = await send("/app/settings/close", {
      cookie: w.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
      env: bindings,
    });
    expect(closed.status).toBe(200); // the page saying it is closed, and when it will be erased
    const { erase_after } = (await env.DB.prepare("SELECT erase_after FROM tenants WHERE id = ?")
      .bind(w.tenantId)
      .first<{ erase_after: number }>())!;
    await runCronUntilErased(w.tenantId, erase_after + 60_000, bindings);
    expect(counting.bound.length).toBeGreaterThan(50);
    expect(await statementsProblems(counting.bound, "erasure")).toEqual([]);
  }, 120_000);

  it("read no workspace whole in moving one from DB to a shard", async () => {
    const t = await seededWorkspace("Plans Mover");
    const control = countingDb();
    const shard = countingDb(env.SHARD_1!);
    const q = new HeldQueue();
    // Pages of 2 rows: every table is read in several pages, as a large workspace's are.
    const bindings = jobEnv(q, { DB: control.binding, SHARD_1: shard.binding, SHARD_MOVE_PAGE_ROWS: "2" });
    let now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);
    for (let step = 0; ; step += 1) {
      const move = await env.DB.prepare("SELECT status, frozen_at FROM shard_moves WHERE id = ?")
        .bind(started.moveId)
        .first<{ status: string; frozen_at: number | null }>();
      if (move!.status === "done") break;
      expect(move!.status).not.toBe("failed");
      expect(step).toBeLessThan(2000);
      if (move!.status === "catching_up") now = Math.max(now, move!.frozen_at! + FREEZE_GRACE_MS);
      await runMoveStep(bindings, q.takeOne(started.moveId) as MoveMessage, now);
    }
    expect(await statementsProblems([...control.bound, ...shard.bound], "move")).toEqual([]);
  }, 120_000);

  it("read no workspace whole in the cron's sweeps when each has work: a year on, then a day later", async () => {
    // Records of each kind with an endpoint subscribed (deliveries), a contact in the trash, a data export.
    const w = await workspace([]);
    expect((await send(`/app/contacts/${w.ids.contacts}/delete`, { cookie: w.cookie, form: {} })).status).toBe(303);
    expect((await send("/app/settings/privacy/export", { cookie: w.cookie, form: {} })).status).toBe(303);
    const counting = countingDb();
    // At minute 7 of an hour, so the hourly measure for placement runs too (src/cron.ts MEASURE_MINUTE).
    const hour = Math.floor((Date.now() + 365 * 86_400_000) / 3_600_000) * 3_600_000;
    const year = hour + 7 * 60_000;
    await runCron(year, { DB: counting.binding });
    await runCron(year + 86_400_000, { DB: counting.binding });
    expect(counting.bound.length).toBeGreaterThan(30);
    expect(await statementsProblems(counting.bound, "cron")).toEqual([]);
  }, 120_000);
});
