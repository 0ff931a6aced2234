/**
 * What the owner is told about their subscription as Stripe has it: the trial-ending and payment-failed mails, the
 * limit message of a workspace whose payment is overdue, and a cancellation scheduled for a date of their choosing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { lastMail } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  customerFor,
  deliverEvent,
  stripeEvent,
  stripeHasSubscription,
  subscriptionObject,
  subscriptionThroughWebhook,
  type SubscriptionSpec,
} from "./helpers";

const now = () => Math.floor(Date.now() / 1000);
let clock = 0;
/** An event newer than every one the tests delivered before it. */
const newer = () => {
  clock += 1;
  return { created: now() + 5000 + clock };
};

/** A workspace whose subscription is `spec` at Stripe and here (through its webhook). */
async function subscribed(name: string, spec: Omit<SubscriptionSpec, "id" | "customer">) {
  const owner = await newTenant(name);
  const customer = await customerFor(owner);
  const sub = await subscriptionThroughWebhook(customer, spec);
  return { ...owner, customer, sub };
}

/** Stripe's event about the subscription, as it is at Stripe now (`spec`). */
async function eventAbout(
  type: string,
  t: { customer: string; sub: string },
  spec: Omit<SubscriptionSpec, "id" | "customer">,
) {
  const s = { ...spec, id: t.sub, customer: t.customer };
  await stripeHasSubscription(s);
  const object =
    type === "invoice.payment_failed"
      ? {
          id: `in_${t.sub}`,
          object: "invoice",
          customer: t.customer,
          parent: { subscription_details: { subscription: t.sub } },
        }
      : subscriptionObject(s);
  const res = await deliverEvent(stripeEvent(type, object, newer()));
  expect(res.status).toBe(200);
}

describe("the trial-ending mail", () => {
  it("tells an owner who cancelled during the trial that nothing will be charged", async () => {
    const trialEnd = now() + 3 * 86_400;
    const t = await subscribed("Cancelled Trial Co", { status: "trialing", trialEnd });
    await eventAbout("customer.subscription.trial_will_end", t, {
      status: "trialing",
      trialEnd,
      periodEnd: trialEnd,
      cancelAtPeriodEnd: true,
    });
    const mail = await lastMail(t.email, "billing_trial_ending");
    for (const body of [mail.text_body, mail.html_body]) {
      expect(body).toContain("nothing will be charged");
      expect(body).not.toContain("continues and is charged");
    }
  });

  it("still tells an owner who keeps the subscription that it continues and is charged", async () => {
    const trialEnd = now() + 3 * 86_400;
    const t = await subscribed("Kept Trial Co", { status: "trialing", trialEnd });
    await eventAbout("customer.subscription.trial_will_end", t, { status: "trialing", trialEnd, periodEnd: trialEnd });
    const mail = await lastMail(t.email, "billing_trial_ending");
    expect(mail.text_body).toContain("continues and is charged");
    expect(mail.text_body).not.toContain("nothing will be charged");
  });
});

describe("the payment-failed mail", () => {
  it("promises Stripe's retries only while the subscription is past due, never once it is unpaid", async () => {
    const t = await subscribed("Unpaid Co", { status: "active" });
    await eventAbout("invoice.payment_failed", t, { status: "past_due" });
    expect((await lastMail(t.email, "billing_payment_failed")).text_body).toContain("Stripe will try again");

    await eventAbout("invoice.payment_failed", t, { status: "unpaid" });
    const unpaid = await lastMail(t.email, "billing_payment_failed");
    for (const body of [unpaid.text_body, unpaid.html_body]) {
      expect(body).not.toContain("will try again");
      expect(body).toContain("Stripe has stopped trying to collect it");
    }
  });

  it("tells the owner of a first payment that failed (incomplete) that Stripe does not retry it", async () => {
    const t = await subscribed("Incomplete Co", { status: "incomplete" });
    await eventAbout("invoice.payment_failed", t, { status: "incomplete" });
    const mail = await lastMail(t.email, "billing_payment_failed");
    expect(mail.text_body).not.toContain("will try again");
    expect(mail.text_body).toContain("Stripe does not try again on its own");
  });
});

describe("the links of the owner's billing mail", () => {
  it("open the billing page of the workspace the mail is about, from a browser working in another", async () => {
    // One owner, two workspaces: Beta subscribes, then the browser goes back to work in Alpha.
    const owner = await newTenant("Alpha Billing Co");
    expect((await send("/app/workspaces", { cookie: owner.cookie, form: { name: "Beta Billing Co" } })).status).toBe(
      303,
    );
    const beta = (await env.DB.prepare("SELECT id FROM tenants WHERE name = ? ORDER BY created_at DESC LIMIT 1")
      .bind("Beta Billing Co")
      .first<string>("id"))!;
    const customer = await customerFor({ cookie: owner.cookie, tenantId: beta });
    const sub = await subscriptionThroughWebhook(customer, { status: "active" });
    const back = await send("/app/workspaces/switch", { cookie: owner.cookie, form: { tenant_id: owner.tenantId } });
    expect(back.status).toBe(303);

    for (const [type, kind] of [
      ["invoice.payment_failed", "billing_payment_failed"],
      ["customer.subscription.trial_will_end", "billing_trial_ending"],
    ] as const) {
      const trialEnd = now() + 3 * 86_400;
      await eventAbout(
        type,
        { customer, sub },
        type === "invoice.payment_failed"
          ? { status: "past_due" }
          : { status: "trialing", trialEnd, periodEnd: trialEnd },
      );
      const mail = await lastMail(owner.email, kind);
      const url = new URL(
        mail.text_body.match(/https?:\/\/\S+\/app\/workspaces\/open\/\S+/)?.[0] ?? "http://localhost/none",
      );
      expect(url.pathname, kind).toBe(`/app/workspaces/open/${beta}`);
      expect(url.searchParams.get("to"), kind).toBe("/app/settings/billing");
      // Followed from Alpha: the offer to switch to Beta, never Alpha's own billing page.
      const opened = await send(url.pathname + url.search, { cookie: owner.cookie });
      expect(opened.status, kind).toBe(200);
      expect(await opened.text(), kind).toContain("Switch to Beta Billing Co and open it");
    }
  });
});

describe("the limit message of a workspace whose payment is overdue", () => {
  it("asks for the payment method, not an upgrade, at the contact limit", async () => {
    const t = await subscribed("Overdue Limit Co", { status: "past_due" });
    const limits = { FREE_MAX_CONTACTS: "1" };
    expect((await send("/app/contacts", { cookie: t.cookie, form: { first_name: "Ada" }, env: limits })).status).toBe(
      303,
    );
    const refused = await send("/app/contacts", { cookie: t.cookie, form: { first_name: "Alan" }, env: limits });
    expect(refused.status).toBe(402);
    const html = await refused.text();
    expect(html).toContain("last payment did not go through");
    expect(html).toContain("Update the payment method");
    expect(html).not.toContain("Upgrade to Team");
    expect(html).not.toContain("The Free plan includes");
    // A member is sent to the owner for the payment method too.
    const member = await memberOf(t.tenantId, "member");
    const theirs = await send("/app/contacts", { cookie: member.cookie, form: { first_name: "Bo" }, env: limits });
    expect(theirs.status).toBe(402);
    const text = await theirs.text();
    expect(text).toContain("Ask the workspace owner to update the payment method");
    expect(text).not.toContain("upgrade to Team");
  });

  it("still offers the upgrade to a Free workspace at the limit", async () => {
    const owner = await newTenant("Free Limit Co");
    const limits = { FREE_MAX_CONTACTS: "1" };
    await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "Ada" }, env: limits });
    const refused = await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "Alan" }, env: limits });
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain("Upgrade to Team for no limit");
  });
});

describe("a cancellation scheduled for a date", () => {
  it("shows the scheduled date, not the period's end, on the billing page", async () => {
    const periodEnd = Math.floor(Date.UTC(2031, 2, 10, 12) / 1000);
    const cancelAt = periodEnd + 60 * 86_400;
    const t = await subscribed("Cancel Later Co", { status: "active", periodEnd, cancelAt });
    const html = await textOf("/app/settings/billing", { cookie: t.cookie });
    expect(html).toContain("Ends on");
    expect(html).toContain(`datetime="${new Date(cancelAt * 1000).toISOString()}"`);
    expect(html).not.toContain(`datetime="${new Date(periodEnd * 1000).toISOString()}"`);
  });
});
