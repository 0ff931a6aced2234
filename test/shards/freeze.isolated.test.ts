/**
 * The ways into a workspace besides its members' pages, during a move: while its writes are frozen (the catch-up
 * must see every change), a key's changes answer 503 workspace_moving with Retry-After, as /app's do, and so do
 * support staff's under a write grant; reads go on, and after the move changes work again. A member's own changes
 * that write only the control database (switching or creating a workspace, their profile) go on during the freeze.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { api, makeKey } from "../api/helpers";
import { createContact } from "../contacts/contact-helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { giveAccess, newStaff } from "../staff/helpers";
import { runCron } from "../helpers/cron";
import { directoryOf, moveEnv, moveRow, runSteps, seededWorkspace } from "./helpers";

describe("the API while its workspace moves", { timeout: 90_000 }, () => {
  it("refuses changes with 503 and Retry-After while frozen, answers reads, and takes changes again after", async () => {
    const t = await seededWorkspace("Api Freeze");
    const key = await makeKey(t.cookie);
    const { q, bindings } = moveEnv(500);
    let now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);

    // While the copy runs the workspace is used as usual, through the API too.
    expect((await api("/contacts", { key, method: "POST", json: { first_name: "During Copy" } })).status).toBe(201);
    await runSteps(bindings, q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "moving" });

    for (const [method, path, json] of [
      ["POST", "/contacts", { first_name: "Refused" }],
      ["PATCH", `/contacts/${t.contacts[0]}`, { job_title: "Refused" }],
      ["DELETE", `/contacts/${t.contacts[1]}`, undefined],
      ["POST", "/contacts/bulk", { records: [{ first_name: "Refused" }] }],
    ] as const) {
      const res = await api(path, { key, method, json });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("60");
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
      expect(((await res.json()) as { code: string }).code).toBe("workspace_moving");
    }
    const read = await api(`/contacts/${t.contacts[0]}`, { key });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { job_title: string | null }).job_title).not.toBe("Refused");
    expect((await api(`/contacts/${t.contacts[1]}`, { key })).status).toBe(200);

    now += FREEZE_GRACE_MS + 1000;
    await runSteps(bindings, q, started.moveId, () => now);
    expect((await moveRow(started.moveId)).status).toBe("done");
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "SHARD_1", state: "active" });
    // The freeze is over, and the write lands where the workspace now is (docs/scale.md, "Routing").
    expect((await api("/tags", { key, method: "POST", json: { name: "After the move" } })).status).toBe(201);
    const tag = await env
      .SHARD_1!.prepare("SELECT count(*) AS n FROM tags WHERE tenant_id = ? AND name = 'After the move'")
      .bind(t.tenantId)
      .first("n");
    expect(tag).toBe(1);
  });

  it("refuses support staff's changes under a write grant with the moving page, and shows them the pages", async () => {
    const owner = await newTenant("Support Freeze");
    const id = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
    await giveAccess(owner.cookie, "write", "1h", "T-77");
    const staff = await newStaff("support");
    const base = `/staff/support/${owner.tenantId}/app`;
    // A write goes through before the freeze.
    expect(
      (
        await send(`${base}/contacts/${id}`, {
          cookie: staff.cookie,
          form: { first_name: "Before", last_name: "Freeze" },
        })
      ).status,
    ).toBe(303);
    // Frozen as a move's freeze leaves it (a new workspace has its directory entry from sign-up).
    await env.DB.prepare("UPDATE workspace_shards SET state = 'moving' WHERE tenant_id = ?").bind(owner.tenantId).run();

    const refused = await send(`${base}/contacts/${id}`, {
      cookie: staff.cookie,
      form: { first_name: "During", last_name: "Freeze" },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await refused.text()).toContain("This workspace is being moved");
    const page = await send(`${base}/contacts/${id}`, { cookie: staff.cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Before Freeze");
    const name = await env.DB.prepare("SELECT first_name FROM contacts WHERE id = ?").bind(id).first("first_name");
    expect(name).toBe("Before");
  });
});

describe("a member's own changes while their workspace moves", { timeout: 90_000 }, () => {
  it("switch and create workspaces and change their profile (the control database only), while its records are frozen", async () => {
    const t = await newTenant("Frozen Home");
    // A second workspace of theirs, made before the move; then this browser goes back to the first.
    expect((await send("/app/workspaces", { cookie: t.cookie, form: { name: "Elsewhere Co" } })).status).toBe(303);
    const mine = (name: string) =>
      env.DB.prepare(
        `SELECT m.tenant_id AS id FROM memberships m JOIN tenants t ON t.id = m.tenant_id
         WHERE t.name = ? AND m.user_id = (SELECT user_id FROM memberships WHERE tenant_id = ?)`,
      )
        .bind(name, t.tenantId)
        .first<string>("id");
    const elsewhere = (await mine("Elsewhere Co"))!;
    const switchTo = (tenantId: string) =>
      send("/app/workspaces/switch", { cookie: t.cookie, form: { tenant_id: tenantId } });
    const sessionTenant = () =>
      env.DB.prepare(
        "SELECT tenant_id FROM sessions WHERE user_id = (SELECT user_id FROM memberships WHERE tenant_id = ?)",
      )
        .bind(elsewhere)
        .first<string>("tenant_id");
    expect((await switchTo(t.tenantId)).status).toBe(303);

    const { q, bindings } = moveEnv(500);
    let now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);
    await runSteps(bindings, q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "moving" });

    // The workspace's own records are frozen...
    const refused = await send("/app/contacts", { cookie: t.cookie, form: { first_name: "Refused" } });
    expect(refused.status).toBe(503);
    // ...its user's own things are not.
    expect((await send("/app/settings/profile/name", { cookie: t.cookie, form: { name: "Ada" } })).status).toBe(303);
    expect((await send("/app/workspaces", { cookie: t.cookie, form: { name: "Made During Move" } })).status).toBe(303);
    expect(await sessionTenant()).toBe(await mine("Made During Move"));
    expect((await switchTo(t.tenantId)).status).toBe(303);
    const out = await switchTo(elsewhere);
    expect(out.status).toBe(303);
    expect(await sessionTenant()).toBe(elsewhere);

    now += FREEZE_GRACE_MS + 1000;
    await runSteps(bindings, q, started.moveId, () => now);
    expect((await moveRow(started.moveId)).status).toBe("done");
  });
});

describe("reminders while a workspace moves", { timeout: 90_000 }, () => {
  it("ring once, from the copy the directory names, though the task is on both databases", async () => {
    const t = await seededWorkspace("Reminder Move");
    const { q, bindings } = moveEnv(500);
    const now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);
    await runSteps(bindings, q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    // The task is copied to the target with its reminder; it falls due on both copies.
    const due = "UPDATE tasks SET remind_at = ?, due_time = NULL WHERE tenant_id = ? AND title = 'Call back'";
    for (const db of [env.DB, env.SHARD_1!]) {
      const set = await db
        .prepare(due)
        .bind(now - 60_000, t.tenantId)
        .run();
      expect(set.meta.changes).toBe(1);
    }
    await runCron(now);
    const rung = async (db: D1Database) =>
      Number(
        await db.prepare("SELECT count(*) AS n FROM task_reminders WHERE tenant_id = ?").bind(t.tenantId).first("n"),
      );
    expect(await rung(env.DB)).toBe(1);
    expect(await rung(env.SHARD_1!)).toBe(0);
  });
});
