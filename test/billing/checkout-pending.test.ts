/**
 * Checkout between paying and Stripe's webhook: the owner is back on the billing page (?checkout=success) while our
 * state still says Free. Stripe already has the subscription, so a second checkout would bill twice (and give the
 * trial again): the page offers none, and the POST asks Stripe before it opens one.
 */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import {
  billingAudit,
  billingRow,
  customerFor,
  newSubscriptionId,
  stripeHasSubscription,
  stripeRequests,
} from "./helpers";

const now = () => Math.floor(Date.now() / 1000);

/** The Checkout sessions the app asked Stripe to create for `customer`. */
async function sessionsOf(customer: string) {
  return (await stripeRequests("/v1/checkout/sessions")).filter(
    (r) => r.method === "POST" && r.path === "/v1/checkout/sessions" && r.params.customer === customer,
  );
}

describe("checkout before Stripe's webhook has arrived", () => {
  it("answers 409 and opens no session when Stripe already has a live subscription for the customer", async () => {
    const owner = await newTenant("Paid Twice Co");
    const customer = await customerFor(owner);
    // The owner paid on Stripe's page (a trial started); the webhook has not been delivered yet.
    await stripeHasSubscription({
      id: newSubscriptionId(),
      customer,
      status: "trialing",
      trialEnd: now() + 14 * 86_400,
    });
    expect((await billingRow(owner.tenantId))?.state).toBe("free");
    const before = (await sessionsOf(customer)).length;

    const again = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "yearly" } });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("your payment is being confirmed");
    expect(await sessionsOf(customer)).toHaveLength(before);
    expect((await billingAudit(owner.tenantId)).filter((a) => a.action === "billing.checkout_started")).toHaveLength(1);
  });

  it("shows 'Confirming your payment…' instead of the Upgrade buttons on the page Stripe returns to", async () => {
    const owner = await newTenant("Back From Stripe Co");
    const back = await textOf("/app/settings/billing?checkout=success", { cookie: owner.cookie });
    expect(back).toContain("Confirming your payment…");
    expect(back).not.toContain('action="/app/settings/billing/checkout"');
    // Anywhere else, a Free workspace is offered the upgrade.
    expect(await textOf("/app/settings/billing", { cookie: owner.cookie })).toContain(
      'action="/app/settings/billing/checkout"',
    );
  });

  it("gives no second trial to a customer whose earlier trial Stripe shows, though no webhook told us of it", async () => {
    const owner = await newTenant("Second Trial Co");
    const customer = await customerFor(owner);
    // A trial started and was cancelled at Stripe; neither webhook arrived, so we never stored a subscription.
    await stripeHasSubscription({ id: newSubscriptionId(), customer, status: "canceled", trialEnd: now() - 86_400 });
    const res = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval: "monthly" } });
    expect(res.status).toBe(303);
    const last = (await sessionsOf(customer)).at(-1)!;
    expect(last.params["subscription_data[trial_period_days]"]).toBeUndefined();
  });
});
