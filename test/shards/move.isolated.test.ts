/**
 * Moving a workspace between databases: copied while it is used, its writes frozen for the catch-up
 * (503 with a page that says why), verified table by table, switched in the directory, and its old
 * copy deleted. Without routing (docs/scale.md) requests still read DB, so these tests look at the
 * databases themselves after a move, not at pages.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { MOVED_TABLES } from "../../src/services/shards/tables";
import { createContact, post } from "../contacts/contact-helpers";
import { send, textOf } from "../helpers/http";
import { insertTag } from "../helpers/records";
import { deliver } from "../jobs/helpers";
import { memberOf } from "../helpers/tenants";
import { invitedExistingUser, invitedMember, markVerified } from "../team/team-helpers";
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

// Each test runs a whole move step by step (dozens of batches): beyond the default timeout under CI's load.
describe("moving a workspace", { timeout: 90_000 }, () => {
  it("from DB to a shard while it is used: the shard ends with exactly what DB had at the freeze, and DB keeps only the control rows", async () => {
    const t = await seededWorkspace("Mover One");
    const { q, bindings } = moveEnv();
    let now = Date.now();
    const started = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);
    // Part of the copy, then the workspace is used: a new contact, an edited one, a deleted one.
    expect(await runSteps(bindings, q, started.moveId, () => now, { max: 30 })).toBe(30);
    expect((await moveRow(started.moveId)).status).toBe("copying");
    const added = await createContact(t.cookie, { first_name: "Added", last_name: "During Copy" });
    expect(
      (await post(`/app/contacts/${t.contacts[0]}`, t.cookie, { first_name: "Edited", last_name: "During Copy" }))
        .status,
    ).toBe(303);
    expect((await send(`/app/contacts/${t.contacts[1]}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);

    // The copy ends and the writes freeze: a change answers 503 and says why; reading goes on.
    await runSteps(bindings, q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "moving" });
    const frozen = await post("/app/contacts", t.cookie, { first_name: "Refused", last_name: "Write" });
    expect(frozen.status).toBe(503);
    expect(frozen.headers.get("Retry-After")).toBe("60");
    expect(await frozen.text()).toContain("This workspace is being moved");
    expect((await send("/app/contacts", { cookie: t.cookie })).status).toBe(200);
    expect(await textOf(`/app/contacts/${added}`, { cookie: t.cookie })).toContain("During Copy");
    const atFreeze = await snapshot(env.DB, t.tenantId);

    // The catch-up waits for writes that began before the freeze.
    const waiting = (await moveRow(started.moveId)).updated_at;
    expect(await runSteps(bindings, q, started.moveId, () => now, { max: 1 })).toBe(1);
    expect((await moveRow(started.moveId)).status).toBe("catching_up");
    expect((await moveRow(started.moveId)).updated_at).toBe(waiting);
    now += FREEZE_GRACE_MS + 1000;
    await runSteps(bindings, q, started.moveId, () => now);

    const done = await moveRow(started.moveId);
    expect(done).toMatchObject({ status: "done", message: null });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "SHARD_1", state: "active" });
    const moved = await snapshot(env.SHARD_1!, t.tenantId);
    expect(moved).toEqual(atFreeze);
    expect(moved.contacts!.some((r) => r.includes("Added"))).toBe(true);
    expect(moved.contacts!.some((r) => r.includes("Edited"))).toBe(true);
    expect(moved.report_contact_days!.length).toBeGreaterThan(0);
    expect(moved.webhook_endpoints).toHaveLength(1);
    // DB keeps the workspace itself, its members and sessions; none of its CRM rows.
    expect(await rowsOf(env.DB, t.tenantId)).toBe(1);
    const control = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first("n");
    expect(control).toBeGreaterThan(0);
    // The shard holds what its pages show of people (src/services/shards/mirror.ts): members' addresses and names,
    // never a password or a consent; anyone else a foreign key names is an id-only placeholder.
    const copies = await env
      .SHARD_1!.prepare(
        `SELECT u.email, u.password_hash, u.terms_accepted_at, m.role FROM users u
         LEFT JOIN memberships m ON m.user_id = u.id`,
      )
      .all<{ email: string; password_hash: string; terms_accepted_at: number; role: string | null }>();
    expect(copies.results.length).toBeGreaterThan(0);
    for (const u of copies.results) {
      expect(u.password_hash).toBe("!");
      expect(u.terms_accepted_at).toBe(0);
      if (u.role === null) expect(u.email).toMatch(/@anchor\.invalid$/);
    }
    expect(copies.results.find((u) => u.email === t.email)?.role).toBe("owner");
  });

  it("from shard to shard keeps each shard to its own workspaces, and leaves nothing of it behind", async () => {
    const a = await seededWorkspace("Mover Two A");
    const b = await seededWorkspace("Mover Two B");
    const before = await snapshot(env.DB, a.tenantId);
    const { q, bindings } = moveEnv(50);
    let now = Date.now();
    const clock = () => (now += FREEZE_GRACE_MS);
    for (const [tenantId, target] of [
      [a.tenantId, "SHARD_0"],
      [b.tenantId, "SHARD_2"],
      [a.tenantId, "SHARD_2"],
    ] as const) {
      const m = await startMove(bindings, tenantId, target, clock());
      if (!m.ok) throw new Error(m.reason);
      await runSteps(bindings, q, m.moveId, clock);
      expect((await moveRow(m.moveId)).status).toBe("done");
    }
    expect(await snapshot(env.SHARD_2!, a.tenantId)).toEqual(before);
    expect(await rowsOf(env.SHARD_0!, a.tenantId)).toBe(0);
    expect(await rowsOf(env.DB, a.tenantId)).toBe(1);
    // Both on SHARD_2, each still only itself; B's rows never reached SHARD_0 or SHARD_1.
    expect((await snapshot(env.SHARD_2!, b.tenantId)).contacts).toHaveLength(5);
    expect(await rowsOf(env.SHARD_0!, b.tenantId)).toBe(0);
    expect(await rowsOf(env.SHARD_1!, b.tenantId)).toBe(0);
    expect(await directoryOf(a.tenantId)).toEqual({ shard: "SHARD_2", state: "active" });
  });

  it("is refused while another move of the workspace runs, to where it already is, and to an unbound database", async () => {
    const t = await seededWorkspace("Mover Three");
    const { q, bindings } = moveEnv(50);
    const now = Date.now();
    expect(await startMove(bindings, t.tenantId, "DB", now)).toEqual({ ok: false, reason: "same_database" });
    expect(await startMove({ ...bindings, SHARD_2: undefined }, t.tenantId, "SHARD_2", now)).toEqual({
      ok: false,
      reason: "not_bound",
    });
    const first = await startMove(bindings, t.tenantId, "SHARD_0", now);
    if (!first.ok) throw new Error(first.reason);
    expect(await startMove(bindings, t.tenantId, "SHARD_1", now)).toEqual({ ok: false, reason: "moving" });
    // Finished, so no move of this file is left for other files' watchdog runs.
    let clock = now;
    await runSteps(bindings, q, first.moveId, () => (clock += FREEZE_GRACE_MS));
    expect((await moveRow(first.moveId)).status).toBe("done");
  });

  it("rolls back when the copy does not verify: the target's copy is deleted and the workspace stays, writable, where it was", async () => {
    const t = await seededWorkspace("Mover Four");
    const before = await snapshot(env.DB, t.tenantId);
    const { q, bindings } = moveEnv(50);
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_0", now);
    if (!m.ok) throw new Error(m.reason);
    const clock = () => (now += FREEZE_GRACE_MS);
    await runSteps(bindings, q, m.moveId, clock, { until: (move) => move.status === "verifying" });
    // A row the source never had appears on the target (a bug, a stray write): verify must see it.
    const tag = await env
      .SHARD_0!.prepare(
        "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'stray', 'stray', 'blue', 0) RETURNING id",
      )
      .bind(t.tenantId)
      .first();
    expect(tag).not.toBeNull();
    await runSteps(bindings, q, m.moveId, clock, { until: (move) => move.status === "rolling_back" });
    // Writable again as soon as the rollback starts, not once the target's copy is deleted.
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
    expect((await post("/app/companies", t.cookie, { name: "Written While Rolling Back" })).status).toBe(303);
    await runSteps(bindings, q, m.moveId, clock);
    const failed = await moveRow(m.moveId);
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/^tags differs after the copy: \d+ rows on DB, \d+ on SHARD_0/);
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
    expect(await rowsOf(env.SHARD_0!, t.tenantId)).toBe(0);
    const after = await snapshot(env.DB, t.tenantId);
    for (const table of ["contacts", "contact_emails", "deals", "notes", "tasks", "tags"])
      expect(after[table], table).toEqual(before[table]);
    // The company written during the rollback is kept.
    expect(after.companies).toHaveLength(before.companies!.length + 1);
    expect((await post("/app/contacts", t.cookie, { first_name: "Writable", last_name: "Again" })).status).toBe(303);
  });

  it("never writes over another workspace's row that has the same id on the target: it rolls back and says why", async () => {
    const t = await seededWorkspace("Mover Six");
    const tagId = await insertTag(t.tenantId, "Shared id");
    // Another workspace on SHARD_1 whose tag has that id (integer ids are unique per database only).
    await env.SHARD_1!.batch([
      env.SHARD_1!.prepare(
        "INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('other-on-shard-1', 'Other', 0, 0) ON CONFLICT DO NOTHING",
      ),
      env
        .SHARD_1!.prepare(
          "INSERT INTO tags (id, tenant_id, name, name_key, color, created_at) VALUES (?, 'other-on-shard-1', 'Theirs', 'theirs', 'red', 0)",
        )
        .bind(tagId),
    ]);
    const before = await snapshot(env.DB, t.tenantId);
    const { q, bindings } = moveEnv(50);
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_1", now);
    if (!m.ok) throw new Error(m.reason);
    await runSteps(bindings, q, m.moveId, () => (now += FREEZE_GRACE_MS));
    const failed = await moveRow(m.moveId);
    expect(failed.status).toBe("failed");
    expect(failed.message).toBe(
      'tags: 1 of the workspace\'s ids are used by another workspace on SHARD_1, so it cannot move there (docs/scale.md, "Ids")',
    );
    expect(await env.SHARD_1!.prepare("SELECT tenant_id, name FROM tags WHERE id = ?").bind(tagId).first()).toEqual({
      tenant_id: "other-on-shard-1",
      name: "Theirs",
    });
    expect(await rowsOf(env.SHARD_1!, t.tenantId)).toBe(0);
    expect(await snapshot(env.DB, t.tenantId)).toEqual(before);
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "active" });
  });

  it("carries a row deleted and made again under a new id during the copy (a contact trashed, restored and trashed again)", async () => {
    const t = await seededWorkspace("Mover Eight");
    const trashed = t.contacts[2]!;
    const trashItem = async () =>
      (await env.DB.prepare("SELECT id FROM trash_items WHERE tenant_id = ? AND record_id = ?")
        .bind(t.tenantId, trashed)
        .first<{ id: number }>())!.id;
    expect((await send(`/app/contacts/${trashed}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    const first = await trashItem();
    const { q, bindings } = moveEnv();
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_2", now);
    if (!m.ok) throw new Error(m.reason);
    // Past the trash's table, its first entry is on the target; then the same contact leaves the trash and goes back.
    const past = MOVED_TABLES.indexOf("trash_items") + 1;
    await runSteps(bindings, q, m.moveId, () => now, {
      until: (move) => Number((move as unknown as { table_index: number }).table_index) > past,
    });
    expect((await moveRow(m.moveId)).status).toBe("copying");
    expect((await send(`/app/trash/${first}/restore`, { cookie: t.cookie, form: {} })).status).toBe(303);
    expect((await send(`/app/contacts/${trashed}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    expect(await trashItem()).not.toBe(first);
    const atFreeze = async () => snapshot(env.DB, t.tenantId);
    await runSteps(bindings, q, m.moveId, () => now, { until: (move) => move.status !== "copying" });
    const frozen = await atFreeze();
    now += FREEZE_GRACE_MS + 1000;
    await runSteps(bindings, q, m.moveId, () => now);
    expect(await moveRow(m.moveId)).toMatchObject({ status: "done", message: null });
    expect(await snapshot(env.SHARD_2!, t.tenantId)).toEqual(frozen);
  });

  it("runs its steps from the job queue's consumer", async () => {
    const t = await seededWorkspace("Mover Five");
    const { q, bindings } = moveEnv(1000);
    const m = await startMove(bindings, t.tenantId, "SHARD_1", Date.now());
    if (!m.ok) throw new Error(m.reason);
    expect(await deliver(bindings, q.takeOne(m.moveId)!)).toBe(true);
    expect((await moveRow(m.moveId)).table_index).toBe(1);
    expect(q.of(m.moveId)).toHaveLength(1);
    expect(await rowsOf(database("SHARD_1"), t.tenantId)).toBeGreaterThan(0);
  });

  it("copies every member to the target, those who never wrote anything and those who joined meanwhile", async () => {
    const t = await seededWorkspace("Mover Six");
    const idOf = async (email: string) => ({
      email,
      id: (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id,
    });
    const quiet = await idOf((await memberOf(t.tenantId, "viewer")).email);
    const { q, bindings } = moveEnv();
    let now = Date.now();
    const m = await startMove(bindings, t.tenantId, "SHARD_0", now);
    if (!m.ok) throw new Error(m.reason);
    await runSteps(bindings, q, m.moveId, () => now, { max: 10 });
    const joined = await idOf((await memberOf(t.tenantId, "member")).email);
    await runSteps(bindings, q, m.moveId, () => now, { until: (move) => move.status !== "copying" });
    now += FREEZE_GRACE_MS + 1000;
    await runSteps(bindings, q, m.moveId, () => now);
    expect((await moveRow(m.moveId)).status).toBe("done");
    const copies = await env
      .SHARD_0!.prepare(
        `SELECT u.id, u.email, u.password_hash, m.role FROM users u JOIN memberships m ON m.user_id = u.id
         WHERE m.tenant_id = ? AND u.id IN (?, ?)`,
      )
      .bind(t.tenantId, quiet.id, joined.id)
      .all<{ id: string; email: string; password_hash: string; role: string }>();
    expect(copies.results.map((a) => [a.id, a.email, a.password_hash, a.role]).sort()).toEqual(
      [
        [quiet.id, quiet.email, "!", "viewer"],
        [joined.id, joined.email, "!", "member"],
      ].sort(),
    );
  });

  it("after the move, a member joining by invitation (new account or existing) is copied to the shard", async () => {
    const t = await seededWorkspace("Mover Seven");
    await markVerified(t.email);
    await moveWhole(t.tenantId, "SHARD_2");
    // Invitations are sent before the move's switch as after it: both are control data.
    const fresh = await invitedMember(t, "member");
    const existing = await invitedExistingUser(t, "viewer");
    for (const [joiner, role] of [
      [fresh, "member"],
      [existing, "viewer"],
    ] as const) {
      const copy = await env
        .SHARD_2!.prepare("SELECT u.email, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.id = ?")
        .bind(joiner.userId)
        .first();
      expect(copy).toEqual({ email: joiner.email, role });
    }
    // A workspace on DB writes nothing to any shard when someone joins it.
    const onDb = await seededWorkspace("Stays On DB");
    await markVerified(onDb.email);
    const other = await invitedMember(onDb, "member");
    for (const shard of ["SHARD_0", "SHARD_1", "SHARD_2"] as const)
      expect(
        await database(shard).prepare("SELECT 1 AS x FROM users WHERE id = ?").bind(other.userId).first(),
      ).toBeNull();
  });
});
