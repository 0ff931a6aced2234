/**
 * Webhook deliveries of a workspace moved to a shard: the cron finds them there, the Queue consumer sends them
 * from there, and an endpoint failing for three days is disabled there with the admins told through the
 * control database's outbox, once. Isolated: the cron runs at chosen future times.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RETRY_FOR_MS, runWebhookDelivery, type WebhookMessage } from "../../src/services/webhooks/deliver";
import { send } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { HeldQueue, jobEnv, runCron } from "../jobs/helpers";
import { addEndpoint, received, receiverUrl, scriptReceiver } from "../webhooks/helpers";
import { directoryOf, moveWhole } from "./helpers";

/** A workspace on SHARD_2 with an endpoint and one contact.created delivery not yet sent, its message lost. */
async function movedWithPendingDelivery(name: string) {
  const t = await newTenant(`Shard Hooks ${name}`);
  const endpoint = await addEndpoint(t.cookie, receiverUrl(name), ["contact.created"]);
  const lost = new HeldQueue();
  const res = await send("/app/contacts", {
    cookie: t.cookie,
    env: jobEnv(lost),
    form: { first_name: "Ada", last_name: "Lovelace", emails: "ada@example.com" },
  });
  expect(res.status).toBe(303);
  await moveWhole(t.tenantId, "SHARD_2");
  expect(await directoryOf(t.tenantId)).toEqual({ shard: "SHARD_2", state: "active" });
  const rows = () =>
    env
      .SHARD_2!.prepare("SELECT * FROM webhook_deliveries WHERE tenant_id = ?")
      .bind(t.tenantId)
      .all<{ status: string; attempts: number; next_attempt_at: number; created_at: number }>();
  expect((await rows()).results.map((r) => r.status)).toEqual(["pending"]);
  // Nothing of it is left on DB: only the shard can send it.
  expect(
    await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first("n"),
  ).toBe(0);
  return { t, endpoint, rows };
}

const heldDeliveries = (q: HeldQueue, tenantId: string) =>
  q.held.filter((m): m is WebhookMessage => m.type === "webhooks.deliver" && m.tenantId === tenantId);

describe("webhooks of a workspace on a shard", { timeout: 90_000 }, () => {
  it("are found by the cron on the shard and sent from it", async () => {
    const { t, rows } = await movedWithPendingDelivery("shard-sent");
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    // The lost message is sent again by the sweep once it is silent, from the shard; the consumer runs it then.
    const at = Date.now() + 3 * 60_000;
    await runCron(bindings, at);
    const messages = heldDeliveries(q, t.tenantId);
    expect(messages).toHaveLength(1);
    await runWebhookDelivery(bindings as never, messages[0]!, at);
    const [got] = await received("shard-sent");
    expect(JSON.parse(got!.body)).toMatchObject({ type: "contact.created", data: { first_name: "Ada" } });
    expect((await rows()).results).toEqual([expect.objectContaining({ status: "succeeded", attempts: 1 })]);
  });

  it("disable an endpoint failing for three days on the shard, and email the admins once", async () => {
    const { t, endpoint, rows } = await movedWithPendingDelivery("shard-down");
    const admin = await memberOf(t.tenantId, "admin");
    await scriptReceiver("shard-down", Array(40).fill(500));
    const q = new HeldQueue();
    // APP_URL: the attempt has no request to take the mail's links from, and without it no mail is sent.
    const bindings = jobEnv(q, { APP_URL: "https://crm.example.test" });
    let at = Date.now() + 3 * 60_000;
    await runCron(bindings, at);
    const message = heldDeliveries(q, t.tenantId)[0]!;
    for (let i = 0; i < 30; i += 1) {
      await runWebhookDelivery(bindings as never, message, at);
      const [row] = (await rows()).results;
      if (row!.status !== "pending") break;
      at = row!.next_attempt_at;
    }
    const [row] = (await rows()).results;
    expect(row!.status).toBe("failed");
    expect(at - row!.created_at).toBe(RETRY_FOR_MS);
    const ep = await env
      .SHARD_2!.prepare("SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = ?")
      .bind(endpoint)
      .first();
    expect(ep).toEqual({ enabled: 0, disabled_reason: "Deliveries failed for three days." });
    for (const who of [t.email, admin.email])
      expect(
        (await mailTo(who)).filter((m) => m.kind === "webhook_disabled"),
        who,
      ).toHaveLength(1);
  });

  it("wait while their workspace's writes are frozen for a move, then go", async () => {
    const t = await newTenant("Shard Hooks Frozen");
    await addEndpoint(t.cookie, receiverUrl("shard-frozen"), ["contact.created"]);
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const res = await send("/app/contacts", {
      cookie: t.cookie,
      env: bindings,
      form: { first_name: "Ada", last_name: "Frozen" },
    });
    expect(res.status).toBe(303);
    const at = Date.now() + 3 * 60_000;
    await runCron(bindings, at);
    const message = heldDeliveries(q, t.tenantId)[0]!;
    q.held.length = 0;
    const delivery = () =>
      env.DB.prepare("SELECT status, attempts FROM webhook_deliveries WHERE tenant_id = ?").bind(t.tenantId).first();
    const freeze = (state: string) =>
      env.DB.prepare("UPDATE workspace_shards SET state = ? WHERE tenant_id = ?").bind(state, t.tenantId).run();

    await freeze("moving");
    await runWebhookDelivery(bindings as never, message, at);
    expect(await received("shard-frozen")).toEqual([]);
    expect(await delivery()).toEqual({ status: "pending", attempts: 0 });
    expect(heldDeliveries(q, t.tenantId)).toHaveLength(1);

    await freeze("active");
    await runWebhookDelivery(bindings as never, heldDeliveries(q, t.tenantId)[0]!, at + 60_000);
    expect(await received("shard-frozen")).toHaveLength(1);
    expect(await delivery()).toEqual({ status: "succeeded", attempts: 1 });
  });
});

describe("the job watchdog across databases", () => {
  it("sends again the steps of more silent jobs than one Queue batch holds (100), over several databases", async () => {
    const t = await newTenant("Many Silent Jobs");
    const long = Date.now() - 60 * 60_000;
    const perDatabase = 26;
    const databases = [env.DB, env.SHARD_0!, env.SHARD_1!, env.SHARD_2!];
    for (const [d, db] of databases.entries()) {
      // The workspace's row, as a move leaves it on a shard, and imports whose step messages were lost an hour ago.
      await db
        .prepare(
          "INSERT OR IGNORE INTO tenants (id, name, time_zone, created_at, updated_at) VALUES (?, 'Silent', 'UTC', 0, 0)",
        )
        .bind(t.tenantId)
        .run();
      await db.batch(
        Array.from({ length: perDatabase }, (_, i) =>
          db
            .prepare(
              `INSERT INTO import_jobs (id, tenant_id, kind, status, file_name, file_size, file_key, created_at, updated_at)
               VALUES (?, ?, 'contacts', 'analysing', 'a.csv', 1, 'imports/x', ?, ?)`,
            )
            .bind(`silent-${d}-${i}`, t.tenantId, long, long),
        ),
      );
      // And a "select all matching" delete whose step was lost, on the control database.
      if (d === 0)
        await db
          .prepare(
            `INSERT INTO bulk_jobs (id, tenant_id, entity, action, match_query, status, created_at, updated_at)
             VALUES ('silent-bulk', ?, 'contacts', 'delete', '', 'working', ?, ?)`,
          )
          .bind(t.tenantId, long, long)
          .run();
    }
    const q = new HeldQueue();
    await runCron(jobEnv(q), Date.now());
    // 25 a table on each database per run: 101 steps, in batches the Queue takes.
    expect(q.held.filter((m) => "importId" in m && m.importId.startsWith("silent-"))).toHaveLength(100);
    expect(q.held.filter((m) => "bulkJobId" in m && m.bulkJobId === "silent-bulk")).toHaveLength(1);
  });
});
