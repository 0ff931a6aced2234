/**
 * POST /webhooks/stripe through the real Worker and the real SDK: signatures, at-most-once
 * processing, ordering, tenant isolation, and what each event does.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { send, textOf } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import {
  allBillingRows,
  billingAudit,
  billingRow,
  customerFor,
  deliver,
  deliverEvent,
  newSubscriptionId,
  PRICE_YEARLY,
  signature,
  stripeEvent,
  stripeHasSubscription,
  stripeRequests,
  subscriptionObject,
} from "./helpers";

const now = () => Math.floor(Date.now() / 1000);

/** An invoice of the tenant's subscription, as Stripe sends it in invoice events. */
const invoiceOf = (id: string, t: { customer: string; sub: string }) => ({
  id,
  object: "invoice",
  customer: t.customer,
  parent: { subscription_details: { subscription: t.sub } },
});

/** A tenant with its Stripe customer (made through the real checkout) and a live subscription at Stripe. */
async function subscribedTenant(status: "trialing" | "active" = "active") {
  const owner = await newTenant("Webhook Co");
  const customer = await customerFor(owner);
  const sub = newSubscriptionId();
  await stripeHasSubscription({
    id: sub,
    customer,
    status,
    trialEnd: status === "trialing" ? now() + 14 * 86_400 : null,
  });
  const res = await deliverEvent(
    stripeEvent("customer.subscription.created", subscriptionObject({ id: sub, customer, status })),
  );
  expect(res.status).toBe(200);
  return { ...owner, customer, sub };
}

describe("signatures", () => {
  let tenant: Awaited<ReturnType<typeof subscribedTenant>>;
  let event: ReturnType<typeof stripeEvent>;
  beforeAll(async () => {
    tenant = await subscribedTenant("active");
    await stripeHasSubscription({ id: tenant.sub, customer: tenant.customer, status: "canceled" });
    event = stripeEvent(
      "customer.subscription.deleted",
      subscriptionObject({ id: tenant.sub, customer: tenant.customer, status: "canceled" }),
      { created: now() + 10 },
    );
  });

  async function expectUnchanged(res: Response) {
    expect(res.status).toBe(400);
    expect((await billingRow(tenant.tenantId))?.state).toBe("active");
    expect(await countRows("stripe_events", "id = ?", event.id)).toBe(0);
  }

  it("refuses a missing signature", async () => {
    await expectUnchanged(await deliver(JSON.stringify(event), null));
  });

  it("refuses a forged signature", async () => {
    const payload = JSON.stringify(event);
    const forged = `t=${now()},v1=${"ab".repeat(32)}`;
    await expectUnchanged(await deliver(payload, forged));
  });

  it("refuses a payload signed with another secret", async () => {
    const payload = JSON.stringify(event);
    await expectUnchanged(await deliver(payload, await signature(payload, { secret: "whsec_someone_else" })));
  });

  it("refuses the same JSON re-serialised (the signature covers the exact bytes)", async () => {
    const payload = JSON.stringify(event, null, 2);
    const sig = await signature(payload);
    await expectUnchanged(await deliver(JSON.stringify(JSON.parse(payload)), sig));
  });

  it("refuses a signature older than 300 seconds (a replay)", async () => {
    const payload = JSON.stringify(event);
    await expectUnchanged(await deliver(payload, await signature(payload, { timestamp: now() - 301 })));
  });

  it("refuses a signature dated further in the future than the tolerance", async () => {
    const payload = JSON.stringify(event);
    // A minute past the tolerance: at +301 the floored clock and the request's own time could bring it back inside.
    await expectUnchanged(await deliver(payload, await signature(payload, { timestamp: now() + 360 })));
  });

  it("refuses a correctly signed event whose shape is wrong, and records nothing", async () => {
    const { data: _data, ...withoutData } = event;
    const malformed: [string, unknown][] = [
      ["no data", withoutData],
      ["data without object", { ...event, data: {} }],
      ["data.object a string", { ...event, data: { object: "sub_x" } }],
      ["data.object a list", { ...event, data: { object: [event.data.object] } }],
      ["data.object null", { ...event, data: { object: null } }],
      ["created a string", { ...event, created: "soon" }],
      ["id a number", { ...event, id: 42 }],
      ["type missing", { ...event, type: undefined }],
      ["null", null],
      ["a list", [event]],
    ];
    for (const [label, body] of malformed) {
      const payload = JSON.stringify(body);
      const res = await deliver(payload, await signature(payload));
      expect(res.status, label).toBe(400);
      expect(await res.json(), label).toEqual({ error: "malformed event" });
    }
    expect((await billingRow(tenant.tenantId))?.state).toBe("active");
    expect(await countRows("stripe_events", "id = ?", event.id)).toBe(0);
    expect(await countRows("stripe_events", "tenant_id = ?", tenant.tenantId)).toBe(1);
  });

  it("accepts the same event correctly signed", async () => {
    const res = await deliverEvent(event);
    expect(res.status).toBe(200);
    expect((await billingRow(tenant.tenantId))?.state).toBe("free");
  });

  it("needs no Origin, cookie or CSRF token, and sets no cookie", async () => {
    const res = await deliverEvent(stripeEvent("customer.created", { id: "cus_x", object: "customer" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("subscription state", () => {
  it("stores the subscription fetched from Stripe: state, price, period end from the items, trial end", async () => {
    const owner = await newTenant("Trial Co");
    const customer = await customerFor(owner, "yearly");
    const sub = newSubscriptionId();
    const trialEnd = now() + 14 * 86_400;
    const periodEnd = now() + 14 * 86_400;
    await stripeHasSubscription({ id: sub, customer, status: "trialing", price: PRICE_YEARLY, trialEnd, periodEnd });
    // The event's own copy is stale on purpose: the app must use what Stripe says now.
    const res = await deliverEvent(
      stripeEvent("checkout.session.completed", {
        id: "cs_test_1",
        object: "checkout.session",
        mode: "subscription",
        customer,
        subscription: sub,
        client_reference_id: owner.tenantId,
      }),
    );
    expect(res.status).toBe(200);
    const row = await billingRow(owner.tenantId);
    expect(row).toMatchObject({
      state: "trialing",
      stripe_subscription_id: sub,
      price_id: PRICE_YEARLY,
      current_period_end: periodEnd * 1000,
      trial_end: trialEnd * 1000,
      cancel_at_period_end: 0,
    });
    expect(row!.first_subscribed_at).not.toBeNull();
    const fetched = (await stripeRequests(`/v1/subscriptions/${sub}`)).filter((r) => r.method === "GET");
    expect(fetched).toHaveLength(1);
    expect(fetched[0]!.headers.authorization).toBe("Bearer sk_test_customertrackr_fake");
    expect(fetched[0]!.headers["stripe-version"]).toBe("2026-10-28.endive");

    const audit = await billingAudit(owner.tenantId);
    const change = audit.find((a) => a.action === "billing.subscription_changed");
    expect(JSON.parse(change!.detail!)).toMatchObject({
      from: "free",
      to: "trialing",
      event: "checkout.session.completed",
    });

    const page = await textOf("/app/settings/billing", { cookie: owner.cookie });
    expect(page).toContain("Team, in its free trial");
    expect(page).toContain("billed yearly");
    expect(page).toContain(new Date(trialEnd * 1000).toISOString().slice(0, 10));
  });

  it("applies the same event once, in sequence and concurrently", async () => {
    const t = await subscribedTenant("trialing");
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "active" });
    const event = stripeEvent(
      "customer.subscription.updated",
      subscriptionObject({ id: t.sub, customer: t.customer, status: "active" }),
      { created: now() + 5 },
    );
    const changesBefore = (await billingAudit(t.tenantId)).filter(
      (a) => a.action === "billing.subscription_changed",
    ).length;

    const first = await deliverEvent(event);
    const again = await deliverEvent(event);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "duplicate" });

    // A second event id, delivered five times at once: one of them records it, the rest find it taken.
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "past_due" });
    const failed = stripeEvent(
      "invoice.payment_failed",
      {
        id: "in_1",
        object: "invoice",
        customer: t.customer,
        parent: { type: "subscription_details", subscription_details: { subscription: t.sub } },
      },
      { created: now() + 6 },
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => deliverEvent(failed)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    expect(await countRows("stripe_events", "id IN (?, ?)", event.id, failed.id)).toBe(2);
    const changes = (await billingAudit(t.tenantId)).filter((a) => a.action === "billing.subscription_changed");
    expect(changes.length - changesBefore).toBe(2); // trialing → active, active → past_due
    expect((await billingAudit(t.tenantId)).filter((a) => a.action === "billing.payment_failed")).toHaveLength(1);
    expect((await mailTo(t.email)).filter((m) => m.kind === "billing_payment_failed")).toHaveLength(1);
    expect((await billingRow(t.tenantId))?.state).toBe("past_due");
  });

  it("keeps the newer state when an older event arrives late", async () => {
    const t = await subscribedTenant("active");
    const base = now() + 100;
    // Newer: the owner scheduled cancellation.
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "active", cancelAtPeriodEnd: true });
    await deliverEvent(
      stripeEvent(
        "customer.subscription.updated",
        subscriptionObject({ id: t.sub, customer: t.customer, status: "active", cancelAtPeriodEnd: true }),
        { created: base + 10 },
      ),
    );
    expect((await billingRow(t.tenantId))?.cancel_at_period_end).toBe(1);

    // Older, arriving after it, and (as a handler that fetched before the change would) seeing the old state.
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "past_due" });
    const late = await deliverEvent(stripeEvent("invoice.payment_failed", invoiceOf("in_old", t), { created: base }));
    expect(late.status).toBe(200);
    const row = await billingRow(t.tenantId);
    expect(row).toMatchObject({ state: "active", cancel_at_period_end: 1, synced_event_created: base + 10 });
  });

  it("sends no 'payment failed' mail for a failure delivered after the invoice was paid", async () => {
    const t = await subscribedTenant("active");
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "active" });
    const late = await deliverEvent(
      stripeEvent("invoice.payment_failed", invoiceOf("in_paid", t), { created: now() + 30 }),
    );
    expect(late.status).toBe(200);
    expect((await billingRow(t.tenantId))?.state).toBe("active");
    expect((await billingAudit(t.tenantId)).filter((a) => a.action === "billing.payment_failed")).toHaveLength(1);
    expect((await mailTo(t.email)).filter((m) => m.kind === "billing_payment_failed")).toHaveLength(0);
  });

  it("goes back to Free when the subscription ends, keeping the customer and every record", async () => {
    const t = await subscribedTenant("active");
    await env.DB.prepare(
      "INSERT INTO tenant_counters (tenant_id, contacts) VALUES (?, 5) ON CONFLICT(tenant_id) DO UPDATE SET contacts = 5",
    )
      .bind(t.tenantId)
      .run();
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "canceled" });
    const res = await deliverEvent(
      stripeEvent(
        "customer.subscription.deleted",
        subscriptionObject({ id: t.sub, customer: t.customer, status: "canceled" }),
        { created: now() + 20 },
      ),
    );
    expect(res.status).toBe(200);
    const row = await billingRow(t.tenantId);
    expect(row).toMatchObject({
      state: "free",
      stripe_customer_id: t.customer,
      stripe_subscription_id: null,
      price_id: null,
    });
    expect(await countRows("tenant_counters", "tenant_id = ? AND contacts = 5", t.tenantId)).toBe(1);
    // A second subscription later gets no second trial.
    const checkout = await send("/app/settings/billing/checkout", { cookie: t.cookie, form: { interval: "monthly" } });
    expect(checkout.status).toBe(303);
    const sessions = (await stripeRequests("/v1/checkout/sessions")).filter((r) => r.params.customer === t.customer);
    expect(sessions.at(-1)!.params["subscription_data[trial_period_days]"]).toBeUndefined();
  });

  it("ignores the end of an old subscription once the tenant has a newer one", async () => {
    const t = await subscribedTenant("active");
    const newer = newSubscriptionId();
    await stripeHasSubscription({ id: newer, customer: t.customer, status: "active", price: PRICE_YEARLY });
    await deliverEvent(
      stripeEvent(
        "customer.subscription.created",
        subscriptionObject({ id: newer, customer: t.customer, status: "active" }),
        { created: now() + 30 },
      ),
    );
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "canceled" });
    await deliverEvent(
      stripeEvent(
        "customer.subscription.deleted",
        subscriptionObject({ id: t.sub, customer: t.customer, status: "canceled" }),
        { created: now() + 31 },
      ),
    );
    expect(await billingRow(t.tenantId)).toMatchObject({
      state: "active",
      stripe_subscription_id: newer,
      price_id: PRICE_YEARLY,
    });
  });

  it("mails the owner when the trial is about to end, and shows a past_due banner to everyone", async () => {
    const t = await subscribedTenant("trialing");
    // 20:00 UTC three days on: already the next day for an owner in Auckland (UTC+12/13), whose mail says so.
    const trialEnd = Math.floor(Date.UTC(...utcDayIn(3)) / 1000) + 20 * 3600;
    // The owner reads dates the German way: the mail writes the day as they read it.
    await env.DB.prepare("UPDATE users SET time_zone = 'Pacific/Auckland', locale = 'de-DE' WHERE email = ?")
      .bind(t.email)
      .run();
    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "trialing", trialEnd });
    await deliverEvent(
      stripeEvent(
        "customer.subscription.trial_will_end",
        subscriptionObject({ id: t.sub, customer: t.customer, status: "trialing" }),
        { created: now() + 40 },
      ),
    );
    const mail = (await mailTo(t.email)).filter((m) => m.kind === "billing_trial_ending");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.essential).toBe(1);
    const aucklandDay = new Date((trialEnd + 86_400) * 1000);
    const germanDay = `${aucklandDay.getUTCDate()}.${aucklandDay.getUTCMonth() + 1}.${aucklandDay.getUTCFullYear()}`;
    expect(mail[0]!.text_body).toContain(`ends on ${germanDay}`);

    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "past_due" });
    await deliverEvent(stripeEvent("invoice.payment_failed", invoiceOf("in_2", t), { created: now() + 41 }));
    const dashboard = await textOf("/app", { cookie: t.cookie });
    expect(dashboard).toContain("did not go through");
    expect(dashboard).toContain('href="/app/settings/billing"');

    await stripeHasSubscription({ id: t.sub, customer: t.customer, status: "active" });
    await deliverEvent(stripeEvent("invoice.paid", invoiceOf("in_3", t), { created: now() + 42 }));
    expect((await billingRow(t.tenantId))?.state).toBe("active");
    expect(await textOf("/app", { cookie: t.cookie })).not.toContain("did not go through");
  });
});

describe("tenant isolation", () => {
  it("finds the tenant only by the stored customer id, never by client_reference_id or metadata", async () => {
    const a = await newTenant("Victim Co");
    await customerFor(a);
    const sub = newSubscriptionId();
    await stripeHasSubscription({ id: sub, customer: "cus_belongs_to_nobody", status: "active" });
    const before = await allBillingRows();
    const res = await deliverEvent(
      stripeEvent("checkout.session.completed", {
        id: "cs_test_forged",
        object: "checkout.session",
        mode: "subscription",
        customer: "cus_belongs_to_nobody",
        subscription: sub,
        client_reference_id: a.tenantId,
        metadata: { tenant_id: a.tenantId },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "ignored" });
    expect(await allBillingRows()).toEqual(before);
    expect(await countRows("stripe_events")).toBeGreaterThanOrEqual(0);
  });

  it("changes nothing when the subscription at Stripe belongs to another tenant's customer", async () => {
    const a = await newTenant("Tenant A");
    const b = await newTenant("Tenant B");
    const customerA = await customerFor(a);
    const customerB = await customerFor(b);
    // B's event names A's subscription (or a subscription moved between customers): neither changes.
    const subOfA = newSubscriptionId();
    await stripeHasSubscription({ id: subOfA, customer: customerA, status: "active" });
    const before = await allBillingRows();
    const res = await deliverEvent(
      stripeEvent("checkout.session.completed", {
        id: "cs_x",
        object: "checkout.session",
        mode: "subscription",
        customer: customerB,
        subscription: subOfA,
        client_reference_id: a.tenantId,
      }),
    );
    expect(await res.json()).toMatchObject({ outcome: "ignored", reason: "customer_mismatch" });
    expect(await allBillingRows()).toEqual(before);
    expect(
      await countRows(
        "audit_log",
        "tenant_id IN (?, ?) AND action = 'billing.subscription_changed'",
        a.tenantId,
        b.tenantId,
      ),
    ).toBe(0);
  });

  it("acknowledges unknown event types and unknown customers without changing anything", async () => {
    const before = await allBillingRows();
    for (const event of [
      stripeEvent("charge.refunded", { id: "ch_1", object: "charge", customer: "cus_x" }),
      stripeEvent(
        "customer.subscription.updated",
        subscriptionObject({ id: newSubscriptionId(), customer: "cus_nobody", status: "active" }),
      ),
      stripeEvent("invoice.paid", { id: "in_9", object: "invoice", customer: "cus_nobody", parent: null }),
    ]) {
      const res = await deliverEvent(event);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: "ignored" });
    }
    expect(await allBillingRows()).toEqual(before);
  });
});

describe("privacy", () => {
  it("stores no card data: no column for it, and nothing card-like in any billing row", async () => {
    const t = await subscribedTenant("active");
    const columns = (
      await env.DB.prepare(
        "SELECT name FROM pragma_table_info('tenant_billing') UNION ALL SELECT name FROM pragma_table_info('stripe_events')",
      ).all<{ name: string }>()
    ).results.map((c) => c.name);
    for (const name of columns) expect(name).not.toMatch(/card|pan|cvc|cvv|last4|exp_|payment_method|brand|iban/i);
    const rows = JSON.stringify(
      await env.DB.prepare("SELECT * FROM tenant_billing WHERE tenant_id = ?").bind(t.tenantId).all(),
    );
    expect(rows).not.toMatch(/4242|card|pm_/);
  });
});

/** [year, month, day] of the UTC day `days` from now. */
function utcDayIn(days: number): [number, number, number] {
  const d = new Date(Date.now() + days * 86_400_000);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}
