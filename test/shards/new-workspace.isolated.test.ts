/**
 * New workspaces placed on shards (PLACEMENT_TARGETS, src/services/shards/new-workspace.ts): the workspace's records
 * side is on its shard from its first request, its people on the control database with their copy on the shard,
 * nothing of its records on DB. A sign-up whose control batch fails leaves nothing on the shard.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { runCron } from "../reminders/helpers";
import { GOOD_PASSWORD, send, signUp } from "../helpers/http";
import { deliveredTo, lastMail, linkPath } from "../helpers/mail";
import { database, directoryOf, rowsOf } from "./helpers";

const count = (db: D1Database, table: string, tenantId: string) =>
  db.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(tenantId).first<number>("n");

const tenantOf = async (email: string) =>
  (await env.DB.prepare(
    "SELECT m.tenant_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? ORDER BY m.created_at DESC",
  )
    .bind(email)
    .first<{ id: string }>())!.id;

describe("a workspace born on a shard", () => {
  it("at sign-up: its pipeline and its owner's copy are there, and its records go there from the first", async () => {
    const owner = await signUp({ company_name: "Born On A Shard" }, { env: { PLACEMENT_TARGETS: "SHARD_2" } });
    const tenantId = await tenantOf(owner.email);
    expect(await directoryOf(tenantId)).toEqual({ shard: "SHARD_2", state: "active" });
    const shard = database("SHARD_2");
    expect(await count(shard, "pipeline_stages", tenantId)).toBeGreaterThan(0);
    expect(await count(env.DB, "pipeline_stages", tenantId)).toBe(0);
    const copy = await shard
      .prepare("SELECT u.email, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.tenant_id = ?")
      .bind(tenantId)
      .first();
    expect(copy).toEqual({ email: owner.email, role: "owner" });

    const id = await createContact(owner.cookie, { first_name: "First", last_name: "Customer" });
    expect(id).toBeGreaterThan(3 * 2 ** 40); // SHARD_2's id range
    expect(await count(shard, "contacts", tenantId)).toBe(1);
    expect(await rowsOf(env.DB, tenantId)).toBe(1); // its tenants row on DB, nothing else of its records
    const board = await (await send("/app/deals", { cookie: owner.cookie })).text();
    expect(board).toContain("Qualified");
    expect(await (await send(`/app/contacts/${id}`, { cookie: owner.cookie })).text()).toContain("First Customer");
  }, 120_000);

  it("from the workspaces page: a second workspace on another shard, the first one where it was", async () => {
    const owner = await signUp({ company_name: "Has Two" }, { env: { PLACEMENT_TARGETS: "SHARD_0" } });
    const first = await tenantOf(owner.email);
    const made = await send("/app/workspaces", {
      cookie: owner.cookie,
      form: { name: "Second On A Shard" },
      env: { PLACEMENT_TARGETS: "SHARD_1" },
    });
    expect(made.status).toBe(303);
    const second = await tenantOf(owner.email);
    expect(second).not.toBe(first);
    expect(await directoryOf(second)).toEqual({ shard: "SHARD_1", state: "active" });
    expect(await count(database("SHARD_1"), "pipeline_stages", second)).toBeGreaterThan(0);
    // The session moved into the new workspace: a contact made now is its, on its shard.
    await createContact(owner.cookie, { first_name: "Second", last_name: "Home" });
    expect(await count(database("SHARD_1"), "contacts", second)).toBe(1);
    expect(await count(database("SHARD_0"), "contacts", first)).toBe(0);
  }, 120_000);

  it("rings and mails its task reminders from its shard once the owner has confirmed their address", async () => {
    const owner = await signUp({ company_name: "Reminded On A Shard" }, { env: { PLACEMENT_TARGETS: "SHARD_0" } });
    const tenantId = await tenantOf(owner.email);
    const shard = database("SHARD_0");
    const verified = () =>
      shard.prepare("SELECT email_verified_at FROM users WHERE email = ?").bind(owner.email).first("email_verified_at");
    expect(await verified()).toBeNull();
    const confirm = await send(linkPath(await lastMail(owner.email, "verify_email"), "/verify-email/"), {
      method: "POST",
    });
    expect(confirm.status).toBe(200);
    expect(await verified()).not.toBeNull(); // the copy learnt it: reminder mail needs a confirmed address

    const form = { title: "Renew the lease", due_date: "2027-03-01", due_time: "10:00", remind: "0" };
    expect((await send("/app/tasks", { cookie: owner.cookie, form })).status).toBe(303);
    const task = await shard
      .prepare("SELECT id, remind_at FROM tasks WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ id: number; remind_at: number }>();
    await runCron(task!.remind_at);
    const bell = await shard
      .prepare("SELECT title FROM notifications WHERE tenant_id = ? AND task_id = ?")
      .bind(tenantId, task!.id)
      .all();
    expect(bell.results).toHaveLength(1);
    // Written with the reminder on the shard, sent by the mailer's sweep of every database.
    const mail = await shard
      .prepare("SELECT subject, status FROM email_outbox WHERE to_address = ? AND kind = 'task_reminder'")
      .bind(owner.email)
      .first<{ subject: string; status: string }>();
    expect(mail).toMatchObject({ status: "sent" });
    expect(mail!.subject).toContain("Renew the lease");
    expect((await deliveredTo(owner.email)).some((m) => m.message.subject.includes("Renew the lease"))).toBe(true);
  }, 120_000);

  it("closed by its owner: its shard's copy knows at once, so no reminder rings there; reopened, they ring again", async () => {
    const owner = await signUp({ company_name: "Closed On A Shard" }, { env: { PLACEMENT_TARGETS: "SHARD_2" } });
    const tenantId = await tenantOf(owner.email);
    // A confirmed address: the reopen link is mailed only to one.
    await send(linkPath(await lastMail(owner.email, "verify_email"), "/verify-email/"), { method: "POST" });
    const shard = database("SHARD_2");
    // Due within the closure's grace period, so the cron's run at its time does not erase the workspace.
    const dueDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const form = { title: "Pay the closed shop's rent", due_date: dueDate, due_time: "09:00", remind: "0" };
    expect((await send("/app/tasks", { cookie: owner.cookie, form })).status).toBe(303);
    const task = await shard
      .prepare("SELECT id, remind_at FROM tasks WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ id: number; remind_at: number }>();
    const closedCopy = () =>
      shard.prepare("SELECT closed_at FROM tenants WHERE id = ?").bind(tenantId).first("closed_at");

    const closed = await send("/app/settings/close", {
      cookie: owner.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
    });
    expect(closed.status).toBe(200);
    expect(await closedCopy()).not.toBeNull();
    // Read before the cron's run at the reminder's time, whose retention sweep would take the mail.
    const reopenLink = linkPath(await lastMail(owner.email, "workspace_closed"), "/reopen/");
    await runCron(task!.remind_at);
    const rung = () =>
      shard.prepare("SELECT count(*) AS n FROM notifications WHERE task_id = ?").bind(task!.id).first<number>("n");
    expect(await rung()).toBe(0);

    const reopened = await send(reopenLink, { method: "POST" });
    expect(reopened.status).toBe(200);
    expect(await closedCopy()).toBeNull();
    await runCron(task!.remind_at + 60_000);
    expect(await rung()).toBe(1);
  }, 120_000);

  it("whose control batch fails leaves nothing on its shard", async () => {
    const shard = database("SHARD_1");
    const before = await shard.prepare("SELECT count(*) AS n FROM tenants").first<number>("n");
    const pipelineSeq = () =>
      shard
        .prepare("SELECT coalesce(max(seq), 0) AS n FROM sqlite_sequence WHERE name = 'pipelines'")
        .first<number>("n");
    const seqBefore = await pipelineSeq();
    // A control database that answers reads but fails the sign-up's batch (its only large one), as an outage
    // between the two databases' writes would.
    const failingBatches = <T extends object>(inner: T): T =>
      new Proxy(inner, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop === "batch")
            return (statements: unknown[]) =>
              statements.length > 5
                ? Promise.reject(new Error("D1_ERROR: simulated batch failure"))
                : (value as (s: unknown[]) => unknown).call(target, statements);
          if (prop === "withSession") return (b?: string) => failingBatches(env.DB.withSession(b));
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const control = failingBatches(env.DB);
    const res = await send("/signup", {
      form: {
        email: "never-born@example.com",
        password: "correct horse battery staple 42",
        company_name: "Never Born",
        age_confirmed: "on",
        accept_terms: "on",
      },
      env: { DB: control, PLACEMENT_TARGETS: "SHARD_1" },
    });
    expect(res.status).toBe(500);
    // The shard's part was written (its pipeline took an id) and then taken back.
    expect(await pipelineSeq()).toBeGreaterThan(seqBefore!);
    expect(await shard.prepare("SELECT count(*) AS n FROM tenants").first<number>("n")).toBe(before);
    expect(await shard.prepare("SELECT count(*) AS n FROM tenants WHERE name = 'Never Born'").first<number>("n")).toBe(
      0,
    );
  }, 120_000);
});
