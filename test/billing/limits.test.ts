/**
 * The Free plan's limits where they stop new seats: inviting and accepting, one at a time and many
 * at once. Limits are checked inside the writing batch, so concurrency cannot get past them.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail, statusOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { createDb } from "../../src/db/client";
import { PlanLimitError } from "../../src/services/billing/limits";
import { scoped } from "../../src/db/scoped";
import type { ContactInput } from "../../src/services/contacts/form";
import { createContact } from "../../src/services/contacts/write";
import {
  customerFor,
  deliverEvent,
  newSubscriptionId,
  stripeEvent,
  stripeHasSubscription,
  subscriptionObject,
} from "./helpers";

const LIMITS = { FREE_MAX_SEATS: "3", FREE_MAX_CONTACTS: "5" } as const;

/** A signed-up owner whose address is confirmed (only verified owners may invite). */
async function verifiedOwner(company: string) {
  const owner = await newTenant(company);
  await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), owner.email).run();
  return owner;
}

function invite(cookie: string, email = uniqueEmail("invitee")) {
  return send("/app/settings/team/invitations", { cookie, form: { email, role: "member" }, env: LIMITS });
}

async function setState(tenantId: string, customer: string, status: "active" | "past_due" | "trialing") {
  const sub = newSubscriptionId();
  await stripeHasSubscription({ id: sub, customer, status });
  const res = await deliverEvent(
    stripeEvent("customer.subscription.created", subscriptionObject({ id: sub, customer, status }), {
      created: Math.floor(Date.now() / 1000) + 1000,
    }),
  );
  expect(res.status).toBe(200);
  const row = await env.DB.prepare("SELECT state FROM tenant_billing WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ state: string }>();
  expect(row?.state).toBe(status);
}

describe("seats on the Free plan", () => {
  it("counts members and live invitations, refuses the next invitation with an upgrade link, and lets a re-invite through", async () => {
    const owner = await verifiedOwner("Seats Co");
    const first = uniqueEmail("first");
    expect((await invite(owner.cookie, first)).status).toBe(303);
    expect((await invite(owner.cookie)).status).toBe(303);
    // Owner + 2 invitations = 3 seats: the limit.
    const refused = await invite(owner.cookie);
    expect(refused.status).toBe(402);
    const html = await refused.text();
    expect(html).toContain("The Free plan includes 3 seats");
    expect(html).toContain('href="/app/settings/billing"');
    expect(await countRows("invitations", "tenant_id = ? AND revoked_at IS NULL", owner.tenantId)).toBe(2);
    // Nothing of the refused invitation was written: no mail, no audit entry.
    expect(await countRows("audit_log", "tenant_id = ? AND action = 'invitation.created'", owner.tenantId)).toBe(2);

    // Sending an address its invitation again replaces it, so it needs no new seat.
    expect((await invite(owner.cookie, first)).status).toBe(303);
  });

  it("tells an admin to ask the owner instead of linking to billing", async () => {
    const owner = await verifiedOwner("Admin Seats Co");
    const admin = await memberOf(owner.tenantId, "admin");
    await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), admin.email).run();
    // Owner + admin + one invitation = 3.
    expect((await invite(admin.cookie)).status).toBe(303);
    const refused = await invite(admin.cookie);
    expect(refused.status).toBe(402);
    const html = await refused.text();
    expect(html).toContain("Ask the workspace owner to upgrade");
    expect(html).not.toContain('href="/app/settings/billing" hx-boost');
  });

  it("lets exactly the free seats through when invitations race", async () => {
    const owner = await verifiedOwner("Race Seats Co");
    const results = await Promise.all(Array.from({ length: 6 }, () => invite(owner.cookie)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 303, 402, 402, 402, 402]);
    expect(await countRows("invitations", "tenant_id = ? AND revoked_at IS NULL", owner.tenantId)).toBe(2);
  });

  it("refuses an acceptance when the seats filled up meanwhile, and keeps the invitation usable", async () => {
    const owner = await verifiedOwner("Accept Seats Co");
    const guest = uniqueEmail("guest");
    expect((await invite(owner.cookie, guest)).status).toBe(303);
    const path = linkPath(await lastMail(guest, "invitation"), "/invite/");
    // Two members join by another route: the workspace is full (owner + 2 = 3 members).
    await memberOf(owner.tenantId, "member");
    await memberOf(owner.tenantId, "viewer");

    const refused = await send(path, {
      form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" },
      env: LIMITS,
    });
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain("has no free seat");
    expect(await countRows("users", "email = ?", guest)).toBe(0);
    expect(await countRows("memberships", "tenant_id = ?", owner.tenantId)).toBe(3);

    // An existing account accepting while signed in is refused the same way.
    const account = await signUp({ email: guest });
    const again = await send(path, { cookie: account.cookie, form: {}, env: LIMITS });
    expect(again.status).toBe(402);
    expect(await countRows("memberships", "tenant_id = ?", owner.tenantId)).toBe(3);

    // Once the plan allows it, the same link works.
    const ok = await send(path, {
      cookie: (await logIn(guest)).cookie,
      form: {},
      env: { ...LIMITS, FREE_MAX_SEATS: "4" },
    });
    expect(ok.status).toBe(303);
    expect(await countRows("memberships", "tenant_id = ?", owner.tenantId)).toBe(4);
  });

  it("lifts the limit while trialing or active, and holds a past_due workspace to it again", async () => {
    const owner = await verifiedOwner("Paid Seats Co");
    const customer = await customerFor(owner);
    await setState(owner.tenantId, customer, "trialing");
    for (let i = 0; i < 4; i += 1) expect((await invite(owner.cookie)).status).toBe(303);
    await setState(owner.tenantId, customer, "past_due");
    expect((await invite(owner.cookie)).status).toBe(402);
    // Nothing is removed: the five seats already taken stay.
    expect(await countRows("invitations", "tenant_id = ? AND revoked_at IS NULL", owner.tenantId)).toBe(4);
  });

  it("applies no limit where billing is not configured", async () => {
    const owner = await verifiedOwner("Self-hosted Co");
    const env = { ...LIMITS, STRIPE_SECRET_KEY: "" };
    for (let i = 0; i < 4; i += 1)
      expect(
        await statusOf("/app/settings/team/invitations", {
          cookie: owner.cookie,
          form: { email: uniqueEmail(), role: "member" },
          env,
        }),
      ).toBe(303);
  });
});

describe("contacts on the Free plan", () => {
  const input = (n: number): ContactInput & { companyName: string | null } => ({
    firstName: `Ada ${n}`,
    lastName: "Lovelace",
    emails: [`ada${n}@example.com`],
    phones: [],
    jobTitle: null,
    companyId: null,
    companyName: null,
    address: null,
    tagIds: [],
    newTag: null,
    customValues: new Map(),
    ownerId: null,
  });
  const owner = async (company: string) => {
    const o = await newTenant(company);
    const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(o.email).first<{ id: string }>();
    return { ...o, userId: row!.id };
  };

  it("refuses the contact past the limit and writes nothing of it", async () => {
    const o = await owner("Contacts Limit Co");
    const db = createDb(env.DB);
    for (let i = 0; i < 5; i += 1) await createContact(scoped(db, o.tenantId), o.userId, input(i), Date.now() + i, 5);
    await expect(createContact(scoped(db, o.tenantId), o.userId, input(99), Date.now() + 10, 5)).rejects.toBeInstanceOf(
      PlanLimitError,
    );
    expect(await countRows("contacts", "tenant_id = ?", o.tenantId)).toBe(5);
    expect(await countRows("contact_emails", "tenant_id = ? AND email = ?", o.tenantId, "ada99@example.com")).toBe(0);
    expect(await countRows("activities", "tenant_id = ? AND subject_type = 'contact'", o.tenantId)).toBe(5);
    expect(await countRows("tenant_counters", "tenant_id = ? AND contacts = 5", o.tenantId)).toBe(1);
  });

  it("leaves exactly the limit when many creates race at it", async () => {
    const o = await owner("Contacts Race Co");
    const db = createDb(env.DB);
    await createContact(scoped(db, o.tenantId), o.userId, input(0), Date.now(), 5);
    const base = Date.now() + 100;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => createContact(scoped(db, o.tenantId), o.userId, input(i + 1), base + i, 5)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    expect(
      results
        .filter((r) => r.status === "rejected")
        .every((r) => (r as PromiseRejectedResult).reason instanceof PlanLimitError),
    ).toBe(true);
    expect(await countRows("contacts", "tenant_id = ?", o.tenantId)).toBe(5);
    expect(await countRows("tenant_counters", "tenant_id = ? AND contacts = 5", o.tenantId)).toBe(1);
  });

  it("leaves exactly the limit when the contact form is posted many times at once", async () => {
    const o = await owner("Contacts Form Race Co");
    const limits = { FREE_MAX_CONTACTS: "3" };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send("/app/contacts", { cookie: o.cookie, form: { first_name: `Racer ${i}` }, env: limits }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([303, 303, 303, 402, 402, 402, 402, 402]);
    expect(await countRows("contacts", "tenant_id = ?", o.tenantId)).toBe(3);
    expect(await countRows("tenant_counters", "tenant_id = ? AND contacts = 3", o.tenantId)).toBe(1);
  });

  it("has no limit while trialing or active, and the limit again when past_due, deleting nothing", async () => {
    const o = await owner("Contacts Paid Co");
    const customer = await customerFor(o);
    await setState(o.tenantId, customer, "active");
    const db = createDb(env.DB);
    for (let i = 0; i < 7; i += 1) await createContact(scoped(db, o.tenantId), o.userId, input(i), Date.now() + i, 5);
    await setState(o.tenantId, customer, "past_due");
    await expect(createContact(scoped(db, o.tenantId), o.userId, input(50), Date.now() + 60, 5)).rejects.toBeInstanceOf(
      PlanLimitError,
    );
    expect(await countRows("contacts", "tenant_id = ?", o.tenantId)).toBe(7);
  });
});
