/**
 * A workspace on a shard checks its plan limits against its copy of tenant_billing there. The webhook's batch marks
 * that copy stale with the event, so when copying it fails after the event is recorded (Stripe's retry is then a
 * duplicate and copies nothing), the cron still brings the new plan to the shard. Isolated: it runs the cron ahead.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runCron } from "../helpers/cron";
import { newTenant } from "../helpers/tenants";
import { database, moveWhole } from "../shards/helpers";
import {
  customerFor,
  deliverEvent,
  newSubscriptionId,
  stripeEvent,
  stripeHasSubscription,
  subscriptionObject,
} from "./helpers";

/** The real binding, except that the first statement matching `failing` fails when run, as a timeout would. */
function failingOnce(real: D1Database, failing: RegExp): D1Database {
  let failed = false;
  return new Proxy(real, {
    get(db, prop) {
      if (prop === "prepare")
        return (text: string) => {
          if (failed || !failing.test(text)) return db.prepare(text);
          failed = true;
          const fail = () => Promise.reject(new Error("D1_ERROR: simulated timeout (test fault injection)"));
          const statement = { run: fail, all: fail, first: fail, raw: fail };
          return { ...statement, bind: () => statement };
        };
      const value = Reflect.get(db, prop, db);
      return typeof value === "function" ? value.bind(db) : value;
    },
  });
}

const planOn = (db: D1Database, tenantId: string) =>
  db.prepare("SELECT state FROM tenant_billing WHERE tenant_id = ?").bind(tenantId).first<string>("state");

describe("a sharded workspace's plan", () => {
  it("reaches its shard through the cron when the copy after the webhook failed and Stripe's retry is a duplicate", async () => {
    const owner = await newTenant("Sharded Plan Co");
    const customer = await customerFor(owner);
    await moveWhole(owner.tenantId, "SHARD_2");
    const shard = database("SHARD_2");
    expect(await planOn(shard, owner.tenantId)).toBe("free");

    const sub = newSubscriptionId();
    await stripeHasSubscription({ id: sub, customer, status: "active" });
    const event = stripeEvent(
      "customer.subscription.created",
      subscriptionObject({ id: sub, customer, status: "active" }),
    );
    // The step after the event's batch (marking and copying the shard's people) fails once.
    const broken = failingOnce(env.DB, /UPDATE workspace_shards SET people_stale_since/);
    await deliverEvent(event, { env: { DB: broken } });
    expect(await planOn(env.DB, owner.tenantId)).toBe("active");
    // Stripe delivers again: the event is recorded, so nothing is applied or copied.
    const retry = await deliverEvent(event);
    expect(await retry.json()).toMatchObject({ outcome: "duplicate" });
    expect(await planOn(shard, owner.tenantId)).toBe("free");

    const since = await env.DB.prepare("SELECT people_stale_since AS since FROM workspace_shards WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<number | null>("since");
    await runCron((since ?? Date.now()) + 61_000);
    expect(await planOn(shard, owner.tenantId)).toBe("active");
  }, 120_000);
});
