/**
 * What a move costs, measured on a workspace of 5,000 contacts (with an email each) in local D1, with
 * as many steps per message as the query budget allows (production's setting): the messages of each
 * phase, how long the copy takes while the workspace is used, and how long its writes are frozen
 * (catch-up, prune and verify read every row again). docs/scale.md quotes the logged line.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { type MoveMessage, runMoveStep, startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { insertContacts } from "../contacts/contact-helpers";
import { newTenant } from "../helpers/tenants";
import { moveEnv, moveRow, rowsOf, snapshot } from "./helpers";

const CONTACTS = 5_000;

it(`moves ${CONTACTS} contacts in messages of many steps, exactly, and says how long the writes were frozen`, async () => {
  const t = await newTenant("Figures Mover");
  await insertContacts(t.tenantId, CONTACTS);
  const rowsBefore = await rowsOf(env.DB, t.tenantId);
  const before = await snapshot(env.DB, t.tenantId);
  const { q, bindings: oneStep } = moveEnv(500);
  const bindings = { ...oneStep, SHARD_MOVE_STEPS: undefined };
  let now = Date.now();
  const m = await startMove(bindings, t.tenantId, "SHARD_0", now);
  if (!m.ok) throw new Error(m.reason);
  const phases: Record<string, { messages: number; ms: number }> = {};
  for (;;) {
    const move = await moveRow(m.moveId);
    const status = String(move.status);
    if (status === "done" || status === "failed") break;
    const started = performance.now();
    // The catch-up's grace is a wait, not work: the clock jumps past it.
    if (status === "catching_up") now = Math.max(now, Number(move.frozen_at) + FREEZE_GRACE_MS);
    await runMoveStep(bindings, q.takeOne(m.moveId) as MoveMessage, now);
    phases[status] ??= { messages: 0, ms: 0 };
    const phase = phases[status]!;
    phase.messages += 1;
    phase.ms += performance.now() - started;
  }
  expect((await moveRow(m.moveId)).status).toBe("done");
  expect(await rowsOf(env.SHARD_0!, t.tenantId)).toBe(rowsBefore);
  expect(await rowsOf(env.DB, t.tenantId)).toBe(1);
  expect(await snapshot(env.SHARD_0!, t.tenantId)).toEqual(before);
  const frozen = ["catching_up", "pruning", "verifying"].reduce((ms, p) => ms + (phases[p]?.ms ?? 0), 0);
  console.log(
    JSON.stringify({
      type: "move_figures",
      contacts: CONTACTS,
      rows: rowsBefore,
      phases: Object.fromEntries(
        Object.entries(phases).map(([k, v]) => [k, { messages: v.messages, ms: Math.round(v.ms) }]),
      ),
      frozenMs: Math.round(frozen),
    }),
  );
}, 300_000);
