/**
 * Moving a workspace from the staff console (docs/operations.md, "Shards"): admins see where each workspace's records
 * are and start a move there; the directory and the counts then come from the shard. Support staff cannot.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MoveMessage } from "../../src/services/shards/move";
import { runMoveStep } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { send } from "../helpers/http";
import { giveAccess, newStaff } from "../staff/helpers";
import { directoryOf, moveEnv, moveRow, seededWorkspace } from "./helpers";

describe("the staff console's Database section", () => {
  it("lets an admin move a workspace and shows it on its new database, with its counts read there", async () => {
    const w = await seededWorkspace("Console Mover");
    const admin = await newStaff("admin");
    const support = await newStaff("support");
    const page = `/staff/workspaces/${w.tenantId}`;
    const before = await (await send(page, { cookie: admin.cookie })).text();
    expect(before).toContain('data-database="DB"');
    expect(before).toMatch(/data-label="Contacts">5</);

    expect((await send(`${page}/move`, { cookie: support.cookie, form: { target: "SHARD_1" } })).status).toBe(403);
    const bad = await send(`${page}/move`, { cookie: admin.cookie, form: { target: "SHARD_9" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose one of the databases listed.");
    const same = await send(`${page}/move`, { cookie: admin.cookie, form: { target: "DB" } });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("The workspace is on that database already.");

    const { q, bindings } = moveEnv(500);
    const started = await send(`${page}/move`, {
      cookie: admin.cookie,
      form: { target: "SHARD_1" },
      env: { ...bindings, SHARD_MOVE_STEPS: undefined },
    });
    expect(started.status).toBe(200);
    expect(await started.text()).toContain("The move to SHARD_1 has started.");
    const moveId = (await env.DB.prepare("SELECT id FROM shard_moves WHERE tenant_id = ?").bind(w.tenantId).first<{
      id: string;
    }>())!.id;
    let now = Date.now();
    for (;;) {
      const move = await moveRow(moveId);
      if (move.status === "done" || move.status === "failed") break;
      if (move.status === "catching_up") now = Math.max(now, Number(move.frozen_at) + FREEZE_GRACE_MS);
      await runMoveStep({ ...bindings, SHARD_MOVE_STEPS: undefined }, q.takeOne(moveId) as MoveMessage, now);
    }
    expect(await directoryOf(w.tenantId)).toEqual({ shard: "SHARD_1", state: "active" });
    const after = await (await send(page, { cookie: admin.cookie })).text();
    expect(after).toContain('data-database="SHARD_1"');
    expect(after).toMatch(/data-label="Contacts">5</);
    expect(after).toContain('data-move-status="done"');
    const audit = await env.DB.prepare(
      "SELECT target_label FROM audit_log WHERE tenant_id = ? AND action = 'support.workspace_move_started'",
    )
      .bind(w.tenantId)
      .first("target_label");
    expect(audit).toBe("DB → SHARD_1");

    // The support view opens the workspace where it now is: its contacts, and an edit made with a write grant there.
    await giveAccess(w.cookie, "write");
    const view = `/staff/support/${w.tenantId}/app`;
    const list = await send(`${view}/contacts`, { cookie: support.cookie });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("Person0");
    const [contact] = w.contacts;
    const edited = await send(`${view}/contacts/${contact}`, {
      cookie: support.cookie,
      form: { first_name: "Edited", last_name: "BySupport" },
    });
    expect(edited.status).toBe(303);
    const onShard = await env
      .SHARD_1!.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ? AND first_name = ?")
      .bind(w.tenantId, "Edited")
      .first("n");
    expect(onShard).toBe(1);
  }, 120_000);

  it("says why an unfinished move shows no progress, and that cleaning is never given up", async () => {
    const w = await seededWorkspace("Console Stalled");
    const admin = await newStaff("admin");
    const page = `/staff/workspaces/${w.tenantId}`;
    const { bindings } = moveEnv(500);
    const form = { target: "SHARD_2" };
    await send(`${page}/move`, { cookie: admin.cookie, form, env: { ...bindings, SHARD_MOVE_STEPS: undefined } });
    // Its first step's message is held, never delivered: the heartbeat moved back 50 s, as the clock cannot be.
    const set = (columns: string) =>
      env.DB.prepare(`UPDATE shard_moves SET ${columns} WHERE tenant_id = ?`).bind(w.tenantId).run();
    const shown = async () => (await send(page, { cookie: admin.cookie })).text();
    expect(await shown()).not.toContain("No progress");
    await set("updated_at = updated_at - 50000");
    expect(await shown()).toMatch(/No progress for 5\d seconds\. If its last step was lost, it is started again/);
    // The watchdog has sent it again twice since that progress.
    await set("watchdog_seen_at = updated_at, watchdog_tries = 2");
    expect(await shown()).toContain("It was started again by itself (2 of 5 tries).");
    await set("status = 'cleaning'");
    expect(await shown()).toContain("(2 times). This step must finish, so it is started again until it does.");
    await set("status = 'done'");
    expect(await shown()).not.toContain("No progress");
  }, 60_000);
});
