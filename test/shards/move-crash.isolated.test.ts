/**
 * A move survives being killed at every step: each step is run, killed after its work and before its
 * record, its message lost; the cron's watchdog sends it again, and the end state is the same as an
 * uninterrupted move's, with nothing lost or duplicated. A move that never gets on is rolled back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_TRIES } from "../../src/services/jobs/watchdog";
import { type MoveMessage, runMoveStep, startMove } from "../../src/services/shards/move";
import { MOVE_GAVE_UP_MESSAGE, runMoveWatchdog } from "../../src/services/shards/watchdog";
import { post } from "../contacts/contact-helpers";
import { failingDatabase } from "../helpers/faults";
import { runCron } from "../jobs/helpers";
import { directoryOf, MINUTE, moveEnv, moveRow, rowsOf, runSteps, seededWorkspace, snapshot } from "./helpers";

/** The control database, whose next batch (a step's record of its progress) fails once armed. */
function killable(real: D1Database) {
  let armed = false;
  let spared = 0;
  let kills = 0;
  const binding = {
    prepare: (q: string) => real.prepare(q),
    batch: async (statements: D1PreparedStatement[]) => {
      if (armed && spared > 0) spared -= 1;
      else if (armed) {
        armed = false;
        kills += 1;
        throw new Error("killed after the step's work, before its record (test fault injection)");
      }
      return real.batch(statements);
    },
    exec: (q: string) => real.exec(q),
    withSession: (b?: string) => real.withSession(b),
  } as unknown as D1Database;
  /** The next batch fails, or the one after `spare` more have gone through. */
  const arm = (spare = 0) => {
    armed = true;
    spared = spare;
  };
  return { binding, arm, kills: () => kills };
}

describe("a move killed at every step", () => {
  it("resumes each step from the watchdog's re-send and ends exactly as an uninterrupted move", async () => {
    const t = await seededWorkspace("Killed Mover");
    const before = await snapshot(env.DB, t.tenantId);
    const { q, bindings } = moveEnv(3);
    const control = killable(env.DB);
    const killing = { ...bindings, DB: control.binding };
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_2", now);
    if (!m.ok) throw new Error(m.reason);
    const statuses = new Set<string>();
    for (;;) {
      const move = await moveRow(m.moveId);
      if (move.status === "done" || move.status === "failed") break;
      statuses.add(String(move.status));
      const message = q.takeOne(m.moveId) as MoveMessage;
      expect(message, String(move.status)).toBeDefined();
      now += 3 * MINUTE;
      control.arm();
      await expect(runMoveStep(killing, message, now)).rejects.toThrow(/killed/);
      // Killed before it could send the next step: only the watchdog gets the move going again.
      expect(q.of(m.moveId)).toEqual([]);
      now += 3 * MINUTE;
      // (Other files' moves in this storage may be re-sent too; this move's step must be among them.)
      expect((await runMoveWatchdog(bindings, now)).rolledBack).toBe(0);
      expect(q.of(m.moveId)).toHaveLength(1);
      await runMoveStep(bindings, q.takeOne(m.moveId) as MoveMessage, now);
    }
    expect(control.kills()).toBeGreaterThan(100);
    expect([...statuses]).toEqual(["copying", "catching_up", "pruning", "verifying", "cleaning"]);
    expect((await moveRow(m.moveId)).status).toBe("done");
    expect(await snapshot(env.SHARD_2!, t.tenantId)).toEqual(before);
    expect(await rowsOf(env.DB, t.tenantId)).toBe(1);
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "SHARD_2", state: "active" });
  }, 120_000);
});

describe("a message of many steps", () => {
  it("killed midway resumes at the last step it recorded, and the move ends exactly", async () => {
    const t = await seededWorkspace("Killed Midway");
    const before = await snapshot(env.DB, t.tenantId);
    const { q, bindings: oneStep } = moveEnv(3);
    const bindings = { ...oneStep, SHARD_MOVE_STEPS: undefined };
    const control = killable(env.DB);
    const killing = { ...bindings, DB: control.binding };
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!m.ok) throw new Error(m.reason);
    let messages = 0;
    for (;;) {
      const move = await moveRow(m.moveId);
      if (move.status === "done" || move.status === "failed") break;
      now += 3 * MINUTE;
      // Each message dies at its 7th step (after six were recorded); the watchdog sends it again.
      control.arm(6);
      await runMoveStep(killing, q.takeOne(m.moveId) as MoveMessage, now).catch(() => undefined);
      messages += 1;
      if (q.of(m.moveId).length === 0) {
        now += 3 * MINUTE;
        await runMoveWatchdog(bindings, now);
      }
      expect(messages).toBeLessThan(500);
    }
    expect(control.kills()).toBeGreaterThan(10);
    expect((await moveRow(m.moveId)).status).toBe("done");
    expect(await snapshot(env.SHARD_1!, t.tenantId)).toEqual(before);
    expect(await rowsOf(env.DB, t.tenantId)).toBe(1);
  }, 120_000);
});

describe("a move that never gets on", { timeout: 90_000 }, () => {
  it("is sent again by the cron, then rolled back after five silent tries: the workspace stays where it was, writable", async () => {
    const t = await seededWorkspace("Stuck Mover");
    const before = await snapshot(env.DB, t.tenantId);
    const { q, bindings } = moveEnv(50);
    // The target fails every query, as in an outage.
    const broken = { ...bindings, SHARD_0: failingDatabase() };
    let now = Date.now();
    const m = await startMove(broken, t.tenantId, "SHARD_0", now);
    if (!m.ok) throw new Error(m.reason);
    for (let run = 0; run <= MAX_TRIES; run += 1) {
      const message = q.takeOne(m.moveId) as MoveMessage;
      await expect(runMoveStep(broken, message, now)).rejects.toThrow(/simulated outage/);
      now += 3 * MINUTE;
      await runCron(broken, now);
    }
    const rolling = await moveRow(m.moveId);
    expect(rolling).toMatchObject({ status: "rolling_back", message: MOVE_GAVE_UP_MESSAGE });
    // Never frozen: it is writable all along.
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
    expect((await post("/app/companies", t.cookie, { name: "Written While Stuck" })).status).toBe(303);
    // The target is back: the rollback deletes whatever reached it.
    for (let message = q.takeOne(m.moveId); message; message = q.takeOne(m.moveId))
      await runMoveStep(bindings, message as MoveMessage, now);
    expect((await moveRow(m.moveId)).status).toBe("failed");
    expect(await rowsOf(env.SHARD_0!, t.tenantId)).toBe(0);
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
    const after = await snapshot(env.DB, t.tenantId);
    expect(after.companies).toHaveLength(before.companies!.length + 1);
  });

  it("given up while frozen, is writable where it was as soon as the rollback starts", async () => {
    const t = await seededWorkspace("Stuck Frozen");
    const { q, bindings } = moveEnv(500);
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_0", now);
    if (!m.ok) throw new Error(m.reason);
    await runSteps(bindings, q, m.moveId, () => now, { until: (move) => move.status !== "copying" });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "moving" });
    // Then the target fails every query, and the steps stop getting on.
    const broken = { ...bindings, SHARD_0: failingDatabase() };
    for (let run = 0; run <= MAX_TRIES; run += 1) {
      const message = q.takeOne(m.moveId) as MoveMessage | undefined;
      if (message) await runMoveStep(broken, message, now).catch(() => undefined);
      now += 3 * MINUTE;
      await runCron(broken, now);
    }
    expect(await moveRow(m.moveId)).toMatchObject({ status: "rolling_back", message: MOVE_GAVE_UP_MESSAGE });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
    expect((await post("/app/companies", t.cookie, { name: "Written While Rolling Back" })).status).toBe(303);
  });
});
