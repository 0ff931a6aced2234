/**
 * The billing page, Checkout and the Customer Portal through real requests, the real SDK and the
 * local fake of Stripe's API; the public pricing section; and billing without any configuration.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { expectToContainAll } from "../helpers/expect-html";
import { send, signUp, uniqueEmail, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  billingAudit,
  billingRow,
  customerFor,
  deliverEvent,
  PRICE_MONTHLY,
  PRICE_YEARLY,
  stripeEvent,
  stripeHasSubscription,
  stripeRequests,
  stripeSession,
  subscriptionObject,
} from "./helpers";

/** Bindings of a server without any Stripe configuration (as `npm run dev` starts by default). */
const UNCONFIGURED = {
  STRIPE_SECRET_KEY: "",
  STRIPE_WEBHOOK_SECRET: "",
  STRIPE_PRICE_MONTHLY: "",
  STRIPE_PRICE_YEARLY: "",
} as const;

describe("the billing page", () => {
  it("shows the owner the plan, usage against the Free limits and the upgrade buttons", async () => {
    const owner = await newTenant("Page Co");
    await memberOf(owner.tenantId, "member");
    const res = await send("/app/settings/billing", {
      cookie: owner.cookie,
      env: { FREE_MAX_SEATS: "2", FREE_MAX_CONTACTS: "1000" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("<h1>Billing</h1>");
    expect(html).toMatch(/<dd>\s*Free/);
    expectToContainAll(html, ["2 of 2", "limit reached", "0 of 1000", 'action="/app/settings/billing/checkout"']);
    expect(html).toMatch(/<button type="submit" name="interval" value="monthly">/);
    expect(html).toContain("first 14 days are free");
    // No portal before there is a Stripe customer.
    expect(html).not.toContain('action="/app/settings/billing/portal"');
    // The forms post natively (their answer is a redirect to Stripe), never through htmx.
    expect(html).toMatch(/<form method="post" action="\/app\/settings\/billing\/checkout" class="actions">/);
  });

  it("lets Stripe's Checkout and portal origins into form-action on this page only, and changes nothing else in the policy", async () => {
    const owner = await newTenant("CSP Co");
    const billing = (await send("/app/settings/billing", { cookie: owner.cookie })).headers.get(
      "Content-Security-Policy",
    )!;
    const profile = (await send("/app/settings/profile", { cookie: owner.cookie })).headers.get(
      "Content-Security-Policy",
    )!;
    const directives = (csp: string) =>
      Object.fromEntries(
        csp
          .split(";")
          .map((d) => d.trim().replace(/'nonce-[^']+'/, "'nonce'"))
          .filter(Boolean)
          .map((d) => [d.split(" ")[0], d.split(" ").slice(1).sort().join(" ")]),
      );
    const b = directives(billing);
    const p = directives(profile);
    expect(p["form-action"]).toBe("'self'");
    expect(b["form-action"]).toBe("'self' https://billing.stripe.com https://checkout.stripe.com");
    expect({ ...b, "form-action": "'self'" }).toEqual(p);
  });

  it("is for the owner only: admins, members and viewers get 403, audited, and never reach Stripe", async () => {
    const owner = await newTenant("Roles Billing Co");
    const before = (await stripeRequests()).length;
    for (const role of ["admin", "member", "viewer"] as const) {
      const user = await memberOf(owner.tenantId, role);
      for (const [path, form] of [
        ["/app/settings/billing", undefined],
        ["/app/settings/billing/checkout", { interval: "monthly" }],
        ["/app/settings/billing/portal", {}],
      ] as const) {
        const res = await send(path, { cookie: user.cookie, form });
        expect(res.status, `${role} ${path}`).toBe(403);
      }
    }
    const denied = await env.DB.prepare(
      "SELECT target_label FROM audit_log WHERE tenant_id = ? AND action = 'permission.denied' ORDER BY id",
    )
      .bind(owner.tenantId)
      .all<{ target_label: string }>();
    expect(denied.results.map((r) => r.target_label)).toEqual(
      Array.from({ length: 3 }, () => [
        "GET /app/settings/billing",
        "POST /app/settings/billing/checkout",
        "POST /app/settings/billing/portal",
      ]).flat(),
    );
    expect(await billingRow(owner.tenantId)).toBeNull();
    // Other test files share the fake Stripe: only requests naming this workspace count.
    const ours = (await stripeRequests())
      .slice(before)
      .filter((r) => JSON.stringify(r.params).includes(owner.tenantId));
    expect(ours).toEqual([]);
  });

  it("shows the Billing tab to the owner only", async () => {
    const owner = await newTenant("Tab Co");
    const admin = await memberOf(owner.tenantId, "admin");
    expect(await textOf("/app/settings/profile", { cookie: owner.cookie })).toContain('href="/app/settings/billing"');
    expect(await textOf("/app/settings/profile", { cookie: admin.cookie })).not.toContain(
      'href="/app/settings/billing"',
    );
  });
});

describe("checkout", () => {
  it("creates the Stripe customer once (metadata tenant_id), reuses it, and answers 303 to a subscription-mode session with the trial", async () => {
    const owner = await newTenant("Checkout Co");
    const first = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "yearly" } });
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const row = await billingRow(owner.tenantId);
    expect(row).toMatchObject({ state: "free", stripe_subscription_id: null });
    const customer = row!.stripe_customer_id!;

    const second = await send("/app/settings/billing/checkout", {
      cookie: owner.cookie,
      form: { interval: "monthly" },
    });
    expect(second.status).toBe(303);
    expect((await billingRow(owner.tenantId))!.stripe_customer_id).toBe(customer);

    const created = (await stripeRequests("/v1/customers")).filter(
      (r) => r.method === "POST" && r.params["metadata[tenant_id]"] === owner.tenantId,
    );
    expect(created).toHaveLength(1);
    expect(created[0]!.params.email).toBe(owner.email);
    expect(created[0]!.headers.authorization).toBe("Bearer sk_test_customertrackr_fake");

    const sessions = (await stripeRequests("/v1/checkout/sessions")).filter((r) => r.params.customer === customer);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.params).toMatchObject({
      mode: "subscription",
      client_reference_id: owner.tenantId,
      "line_items[0][price]": PRICE_YEARLY,
      "line_items[0][quantity]": "1",
      "subscription_data[trial_period_days]": "14",
      "subscription_data[metadata][tenant_id]": owner.tenantId,
      success_url: "http://localhost/app/settings/billing?checkout=success",
      cancel_url: "http://localhost/app/settings/billing?checkout=cancelled",
    });
    expect(sessions[1]!.params["line_items[0][price]"]).toBe(PRICE_MONTHLY);
    // The first Checkout page closed when the second opened: paying in both tabs cannot make two subscriptions.
    const firstId = first.headers.get("Location")!.split("/").pop()!;
    const secondId = second.headers.get("Location")!.split("/").pop()!;
    expect((await stripeSession(firstId)).status).toBe("expired");
    expect((await stripeSession(secondId)).status).toBe("open");

    const actions = (await billingAudit(owner.tenantId)).map((a) => a.action);
    expect(actions).toEqual(["billing.customer_created", "billing.checkout_started", "billing.checkout_started"]);
  });

  it("gives simultaneous first checkouts one customer between them, deleting the loser's at Stripe", async () => {
    const owner = await newTenant("Race Co");
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "monthly" } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303, 303]);
    const stored = (await billingRow(owner.tenantId))!.stripe_customer_id!;
    const created = (await stripeRequests("/v1/customers")).filter(
      (r) => r.method === "POST" && r.params["metadata[tenant_id]"] === owner.tenantId,
    );
    const deleted = (await stripeRequests("/v1/customers/")).filter((r) => r.method === "DELETE");
    const createdIds = created.length;
    // Every customer made beyond the stored one was deleted again.
    const sessions = (await stripeRequests("/v1/checkout/sessions")).filter(
      (r) => r.params.client_reference_id === owner.tenantId,
    );
    expect(sessions.every((s) => s.params.customer === stored)).toBe(true);
    expect(deleted.filter((d) => !d.path.endsWith(stored)).length).toBeGreaterThanOrEqual(createdIds - 1);
    expect(deleted.some((d) => d.path.endsWith(stored))).toBe(false);
    expect(await countRows("audit_log", "tenant_id = ? AND action = 'billing.customer_created'", owner.tenantId)).toBe(
      1,
    );
  });

  it("refuses a second subscription: a subscribed tenant manages its plan in the portal", async () => {
    const owner = await newTenant("Subscribed Co");
    const customer = await customerFor(owner);
    await fetchSubscription(customer, "sub_page_active");
    const res = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "yearly" } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("already has a subscription");
  });

  it("answers 422 to an interval it does not sell", async () => {
    const owner = await newTenant("Bad Form Co");
    const res = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "weekly" } });
    expect(res.status).toBe(422);
    expect(await billingRow(owner.tenantId)).toBeNull();
  });

  it("answers 502 with a clear page, not a 500, when Stripe cannot be reached", async () => {
    const owner = await signUp({ email: uniqueEmail("stripe-outage") });
    const tenantId = (await env.DB.prepare(
      "SELECT tenant_id AS t FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?",
    )
      .bind(owner.email)
      .first<{ t: string }>())!.t;
    const res = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "monthly" } });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain("could not reach Stripe");
    expect(await billingRow(tenantId)).toBeNull();
  });
});

/** Makes the tenant's subscription active through a signed webhook, as Stripe would after checkout. */
async function fetchSubscription(customer: string, id: string) {
  await stripeHasSubscription({ id, customer, status: "active" });
  const res = await deliverEvent(
    stripeEvent("customer.subscription.created", subscriptionObject({ id, customer, status: "active" })),
  );
  expect(res.status).toBe(200);
}

describe("the customer portal", () => {
  it("answers 303 to a portal session for the stored customer, returning to the billing page", async () => {
    const owner = await newTenant("Portal Co");
    const customer = await customerFor(owner);
    const res = await send("/app/settings/billing/portal", { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/bps_/);
    const portal = (await stripeRequests("/v1/billing_portal/sessions")).filter((r) => r.params.customer === customer);
    expect(portal).toHaveLength(1);
    expect(portal[0]!.params.return_url).toBe("http://localhost/app/settings/billing");
    expect((await billingAudit(owner.tenantId)).map((a) => a.action)).toContain("billing.portal_opened");
  });

  it("answers 409 before the workspace has a Stripe customer", async () => {
    const owner = await newTenant("No Customer Co");
    const res = await send("/app/settings/billing/portal", { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("no billing account");
  });
});

describe("without Stripe configuration", () => {
  it("says billing is not configured, shows no buttons and applies no limits", async () => {
    const owner = await newTenant("Unconfigured Co");
    const res = await send("/app/settings/billing", { cookie: owner.cookie, env: UNCONFIGURED });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Billing is not configured on this server");
    expect(html).not.toContain("/app/settings/billing/checkout");
    expect(html).not.toContain("/app/settings/billing/portal");
    expect(html).toContain("(no limit)");
  });

  it("answers the POSTs with a clear 503 page and the webhook with 503, never a 500", async () => {
    const owner = await newTenant("Unconfigured Posts Co");
    for (const path of ["/app/settings/billing/checkout", "/app/settings/billing/portal"]) {
      const res = await send(path, { cookie: owner.cookie, form: { interval: "monthly" }, env: UNCONFIGURED });
      expect(res.status, path).toBe(503);
      expect(await res.text()).toContain("Billing is not configured");
    }
    const hook = await send("/webhooks/stripe", {
      method: "POST",
      body: "{}",
      headers: { "Stripe-Signature": "t=1,v1=00" },
      origin: null,
      env: UNCONFIGURED,
    });
    expect(hook.status).toBe(503);
    expect(await billingRow(owner.tenantId)).toBeNull();
  });

  it("still serves the landing page's pricing", async () => {
    const res = await send("/", { env: UNCONFIGURED });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Team");
  });
});

describe("the public pricing section", () => {
  it("compares Free and Team with the configured limits, trial and prices", async () => {
    const html = await textOf("/", {
      env: {
        FREE_MAX_SEATS: "3",
        FREE_MAX_CONTACTS: "500",
        TEAM_PRICE_MONTHLY_DISPLAY: "€25",
        TEAM_PRICE_YEARLY_DISPLAY: "€250",
      },
    });
    expectToContainAll(html, [
      'aria-labelledby="pricing-heading"',
      "3 seats",
      "500 contacts",
      "€25",
      "€250",
      "14-day free trial",
    ]);
  });

  it("falls back to sensible display prices when none are configured", async () => {
    const html = await textOf("/", { env: { TEAM_PRICE_MONTHLY_DISPLAY: "", TEAM_PRICE_YEARLY_DISPLAY: "" } });
    expect(html).toContain("$29");
    expect(html).toContain("$290");
  });
});
