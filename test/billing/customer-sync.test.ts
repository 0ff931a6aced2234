/**
 * Corrections reach Stripe: when an owner's new address is confirmed, or the workspace is renamed or
 * handed over, the Stripe customer is updated through the SDK (seen here in the fake's record of
 * requests). A Stripe failure undoes nothing the user changed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, uniqueEmail, statusOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { customerFor, stripeRequests } from "./helpers";
import { invitedMember, markVerified } from "../team/team-helpers";

/** The updates the fake Stripe received for one customer, oldest first. */
async function updatesOf(customer: string) {
  return (await stripeRequests(`/v1/customers/${customer}`)).filter((r) => r.method === "POST").map((r) => r.params);
}

async function changeEmail(cookie: string, to: string) {
  expect(
    (await send("/app/settings/profile/email", { cookie, form: { email: to, password: GOOD_PASSWORD } })).status,
  ).toBe(200);
  const path = linkPath(await lastMail(to, "change_email"), "/verify-email/");
  return send(path, { method: "POST", cookie, form: {} });
}

describe("the Stripe customer", () => {
  it("gets the owner's new address once confirmed, and the workspace's new name, from either settings page", async () => {
    const owner = await newTenant("Before Rename Ltd");
    const customer = await customerFor(owner);
    const next = uniqueEmail("corrected-owner");

    expect(
      await statusOf("/app/settings/profile/email", {
        cookie: owner.cookie,
        form: { email: next, password: GOOD_PASSWORD },
      }),
    ).toBe(200);
    expect(await updatesOf(customer)).toEqual([]); // not before the new address is confirmed
    const path = linkPath(await lastMail(next, "change_email"), "/verify-email/");
    expect((await send(path, { method: "POST", cookie: owner.cookie, form: {} })).status).toBeLessThan(400);
    expect(await updatesOf(customer)).toEqual([{ email: next, name: "Before Rename Ltd" }]);

    expect(
      await statusOf("/app/settings/workspace", {
        cookie: owner.cookie,
        form: { default_region: "US", company_name: "After Rename Ltd" },
      }),
    ).toBe(303);
    expect((await updatesOf(customer)).at(-1)).toEqual({ email: next, name: "After Rename Ltd" });
    expect(
      await statusOf("/app/settings/profile/company", {
        cookie: owner.cookie,
        form: { company_name: "Renamed Again Ltd" },
      }),
    ).toBe(303);
    expect((await updatesOf(customer)).at(-1)).toEqual({ email: next, name: "Renamed Again Ltd" });
    // Saving without a change sends nothing.
    const before = (await updatesOf(customer)).length;
    expect(
      await statusOf("/app/settings/profile/company", {
        cookie: owner.cookie,
        form: { company_name: "Renamed Again Ltd" },
      }),
    ).toBe(303);
    expect(await updatesOf(customer)).toHaveLength(before);
  });

  it("gets the new owner's address after a transfer, and a member's own address change sends nothing", async () => {
    const owner = await newTenant("Handed Over Co");
    await markVerified(owner.email);
    const customer = await customerFor(owner);
    const member = await invitedMember(owner, "admin");
    expect(
      await statusOf("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: member.userId, password: GOOD_PASSWORD },
      }),
    ).toBe(303);
    expect((await updatesOf(customer)).at(-1)).toEqual({ email: member.email, name: "Handed Over Co" });
    const count = (await updatesOf(customer)).length;
    // The former owner (now an admin) changes address: not the customer's address any more.
    expect((await changeEmail(owner.cookie, uniqueEmail("former-owner"))).status).toBeLessThan(400);
    expect(await updatesOf(customer)).toHaveLength(count);
  });

  it("a Stripe failure does not undo the correction: the name is saved, the request was made", async () => {
    const owner = await newTenant("Outage Co");
    const customer = await customerFor(owner);
    const res = await send("/app/settings/workspace", {
      cookie: owner.cookie,
      form: { default_region: "US", company_name: "Renamed stripe-outage Co" },
    });
    expect(res.status).toBe(303);
    expect(await env.DB.prepare("SELECT name FROM tenants WHERE id = ?").bind(owner.tenantId).first()).toEqual({
      name: "Renamed stripe-outage Co",
    });
    expect((await updatesOf(customer)).at(-1)).toMatchObject({ name: "Renamed stripe-outage Co" });
    expect((await send("/app/settings/workspace", { cookie: owner.cookie })).status).toBe(200);
  });
});
