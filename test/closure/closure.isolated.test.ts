/**
 * Closing a workspace, end to end, as its owner, its members, Stripe and the clock see it: the
 * confirmation with the password, the lock, the sessions that end, Stripe's customer deleted through
 * the SDK against the local fake, the reopen link, and after the grace period an erasure that leaves
 * no row of the workspace or of its own people in any table of the schema, no file in R2, and only
 * the ledger the law asks for.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ERASURE_STEPS, TENANT_TABLES } from "../../src/services/privacy/erasure-steps";
import { cookieHeader, GOOD_PASSWORD, logIn, send, signUp, statusOf, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  customerFor,
  deliverEvent,
  newSubscriptionId,
  stripeEvent,
  stripeHasSubscription,
  stripeRequests,
  subscriptionObject,
} from "../billing/helpers";
import { createContact, post } from "../contacts/contact-helpers";
import { insertDeal } from "../deals/data-helpers";
import { createCompanyThroughForm } from "../companies/helpers";
import { invitedMember, markVerified } from "../team/team-helpers";
import {
  DAY,
  r2Keys,
  runCron,
  runCronUntilErased,
  stripeHasInvoice,
  tablesWithColumn,
  tenantExists,
  tracesOf,
} from "./helpers";

const row = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();

async function tenantRow(tenantId: string) {
  return row<{
    closed_at: number | null;
    erase_after: number | null;
    reopen_token_hash: string | null;
    erasing_at: number | null;
  }>("SELECT closed_at, erase_after, reopen_token_hash, erasing_at FROM tenants WHERE id = ?", tenantId);
}

async function closeAs(cookie: string, password = GOOD_PASSWORD, bindings: Partial<Cloudflare.Env> = {}) {
  return send("/app/settings/close", { cookie, form: { password, confirm_close: "on" }, env: bindings });
}

/** A workspace with a record of every kind, made through the app's own forms where they exist. */
async function seededWorkspace(name: string) {
  const owner = await newTenant(name);
  await markVerified(owner.email);
  const { cookie } = owner;
  expect((await send("/app/settings/tags", { cookie, form: { name: "VIP", color: "blue" } })).status).toBe(303);
  expect(
    (await send("/app/settings/fields", { cookie, form: { entity: "contact", name: "Budget", kind: "number" } }))
      .status,
  ).toBe(303);
  const tagId = (await row<{ id: number }>("SELECT id FROM tags WHERE tenant_id = ?", owner.tenantId))!.id;
  const fieldId = (await row<{ id: number }>("SELECT id FROM custom_fields WHERE tenant_id = ?", owner.tenantId))!.id;
  const companyId = await createCompanyThroughForm(cookie, {
    name: "Erasable Engines",
    domain: "erasable-engines.example",
  });
  const contactId = await createContact(cookie, {
    first_name: "Zenobia",
    last_name: "Quartermaine",
    emails: ["zenobia.quartermaine@erasable.example", "zq@erasable.example"],
    phones: ["(415) 555-0199"],
    company_id: String(companyId),
    tag_ids: String(tagId),
    [`cf_${fieldId}`]: "1200",
  });
  expect(
    (await post(`/app/contacts/${contactId}/notes`, cookie, { body: "Met Zenobia at the harbour" })).status,
  ).toBeLessThan(400);
  expect((await post(`/app/companies/${companyId}/notes`, cookie, { body: "Engines note" })).status).toBeLessThan(400);
  expect((await post("/app/recent", cookie, { type: "contact", id: String(contactId) })).status).toBe(204);
  // Deals, open and lost, with their contact, company, tag and history: their foreign keys to the
  // stages and pipelines have no ON DELETE, so the erasure must take them first.
  const ownerId = (await row<{ id: string }>("SELECT id FROM users WHERE email = ?", owner.email))!.id;
  for (const status of ["open", "lost"] as const)
    await insertDeal(owner.tenantId, {
      name: `Quartermaine ${status} salvage`,
      amountMinor: 1_250_000,
      currency: "EUR",
      stage: "Proposal",
      status,
      lostReason: status === "lost" ? "Price" : null,
      closedOn: status === "lost" ? "2026-11-02" : null,
      ownerId,
      createdBy: ownerId,
      companyId,
      contacts: [{ id: contactId, role: "Decision maker" }],
      tagIds: [tagId],
    });
  // Files and job rows of features whose own flows run in the Queue: set up directly.
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO import_jobs (id, tenant_id, kind, status, file_name, file_size, file_key, created_at, updated_at) VALUES (?1, ?2, 'contacts', 'done', 'people.csv', 10, ?3, ?4, ?4)",
    ).bind(`imp-${owner.tenantId}`, owner.tenantId, `imports/${owner.tenantId}/imp-${owner.tenantId}`, now),
    env.DB.prepare(
      "INSERT INTO import_chunks (tenant_id, import_id, phase, chunk_no, created_at) VALUES (?1, ?2, 'commit', 0, ?3)",
    ).bind(owner.tenantId, `imp-${owner.tenantId}`, now),
    env.DB.prepare(
      "INSERT INTO import_records (tenant_id, import_id, entity_type, entity_id, action, row_no, after, written_at) VALUES (?1, ?2, 'contact', ?3, 'created', 1, '{}', ?4)",
    ).bind(owner.tenantId, `imp-${owner.tenantId}`, contactId, now),
    env.DB.prepare(
      "INSERT INTO data_exports (id, tenant_id, user_id, includes_workspace, status, object_key, created_at, updated_at) SELECT ?1, ?2, id, 1, 'ready', ?3, ?4, ?4 FROM users WHERE email = ?5",
    ).bind(`exp-${owner.tenantId}`, owner.tenantId, `exports/${owner.tenantId}/x/exp.zip`, now, owner.email),
    env.DB.prepare(
      "INSERT INTO suppressions (tenant_id, email_hash, created_at) VALUES (?, 'hash-of-someone', ?)",
    ).bind(owner.tenantId, now),
  ]);
  for (const key of ["upload", "chunk-0.json", "errors.csv"])
    await env.FILES.put(`imports/${owner.tenantId}/imp-${owner.tenantId}/${key}`, "Zenobia,Quartermaine");
  await env.FILES.put(`exports/${owner.tenantId}/x/exp.zip`, "zip bytes");
  return { ...owner, contactId, companyId };
}

/** Many contacts at once (setup only), so that the erasure needs more than one run. */
async function bulkContacts(tenantId: string, n: number) {
  const now = Date.now();
  await env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2)
     INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_at, updated_at, last_activity_at)
     SELECT ?1, 'Bulk', 'Quartermaine ' || i, 'quartermaine ' || i, ?3, ?3, ?3 FROM seq`,
  )
    .bind(tenantId, n, now)
    .run();
}

describe("closing a workspace: the confirmation", () => {
  it("needs the owner's password and the tick: a wrong password or no tick changes nothing", async () => {
    const owner = await newTenant("Careful Co");
    const member = await memberOf(owner.tenantId, "member");
    const before = await tenantRow(owner.tenantId);

    const page = await send("/app/settings/close", { cookie: owner.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Close this workspace");
    expect(html).toContain("everyone is signed out of it at once");
    expect(html).toMatch(/works once, until <strong>[^<]+<\/strong> \(30 days\)/);
    expect(html).toContain('type="password"');

    const wrong = await closeAs(owner.cookie, "not my password at all");
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("That is not your password.");
    const unticked = await send("/app/settings/close", { cookie: owner.cookie, form: { password: GOOD_PASSWORD } });
    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain("Tick the box");

    expect(await tenantRow(owner.tenantId)).toEqual(before);
    expect((await send("/app", { cookie: owner.cookie })).status).toBe(200);
    expect((await send("/app", { cookie: member.cookie })).status).toBe(200);
    expect(await row("SELECT 1 AS x FROM closed_tenant_ledger WHERE tenant_id = ?", owner.tenantId)).toBeNull();
    expect(
      await row("SELECT 1 AS x FROM email_outbox WHERE kind = 'workspace_closed' AND tenant_id = ?", owner.tenantId),
    ).toBeNull();
  });

  it("is the owner's alone: linked from the owner's workspace settings, refused to an admin", async () => {
    const owner = await newTenant("Owner Only Co");
    const admin = await memberOf(owner.tenantId, "admin");
    expect(await textOf("/app/settings/workspace", { cookie: owner.cookie })).toContain('href="/app/settings/close"');
    expect(await textOf("/app/settings/workspace", { cookie: admin.cookie })).not.toContain(
      'href="/app/settings/close"',
    );
    expect((await send("/app/settings/close", { cookie: admin.cookie })).status).toBe(403);
    expect((await closeAs(admin.cookie)).status).toBe(403);
    expect((await tenantRow(owner.tenantId))!.closed_at).toBeNull();
  });

  it("when Stripe cannot be reached, nothing is closed and the owner is told to try again", async () => {
    const owner = await newTenant("Outage Co");
    await customerFor(owner);
    const res = await closeAs(owner.cookie, GOOD_PASSWORD, { STRIPE_API_PORT: "9" });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("could not reach Stripe");
    expect((await tenantRow(owner.tenantId))!.closed_at).toBeNull();
    expect((await send("/app", { cookie: owner.cookie })).status).toBe(200);
  });
});

// Each test closes, erases or reopens a whole seeded workspace: beyond the default timeout under CI's load.
describe("closing a workspace, then erasing it after the grace period", { timeout: 90_000 }, () => {
  it("locks it, ends its sessions, deletes the Stripe customer, mails the reopen link, and after 30 days leaves nothing but the ledger", async () => {
    const t = await seededWorkspace("Quartermaine Salvage");
    const ownerId = (await row<{ id: string }>("SELECT id FROM users WHERE email = ?", t.email))!.id;
    // A member who belongs to no other workspace, and one who also has their own.
    const only = await invitedMember(t, "admin");
    const both = await memberOf(t.tenantId, "member");
    const bothTenant = (await row<{ tenant_id: string }>(
      "SELECT m.tenant_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.tenant_id <> ?",
      both.email,
      t.tenantId,
    ))!.tenant_id;
    const bothOwnSession = cookieHeader((await logIn(both.email)).response); // lands in their own workspace
    expect(await textOf("/app", { cookie: bothOwnSession })).toContain("Own workspace of a member");
    // What the only-here member left elsewhere in the database: a message to support, a cookie choice.
    expect(
      await statusOf("/contact", {
        form: { name: "Only Here", email: only.email, message: "Hello there, a question about invoices." },
      }),
    ).toBe(303);
    expect((await send("/consent", { cookie: only.cookie, form: { analytics: "reject" } })).status).toBe(303);
    // A pending invitation to someone who never came.
    expect(
      await statusOf("/app/settings/team/invitations", {
        cookie: t.cookie,
        form: { email: "never-came@erasable.example", role: "viewer" },
      }),
    ).toBe(303);

    // Paying, with two invoices at Stripe.
    const customer = await customerFor(t);
    const sub = newSubscriptionId();
    await stripeHasSubscription({ id: sub, customer, status: "active" });
    expect(
      (
        await deliverEvent(
          stripeEvent("customer.subscription.created", subscriptionObject({ id: sub, customer, status: "active" })),
        )
      ).status,
    ).toBe(200);
    expect(
      (await row<{ state: string }>("SELECT state FROM tenant_billing WHERE tenant_id = ?", t.tenantId))!.state,
    ).toBe("active");
    const created = Math.floor(Date.now() / 1000) - 40 * 86_400;
    await stripeHasInvoice({ id: `in_${sub}_1`, customer, number: "CT-0001", total: 2900, amount_paid: 2900, created });
    await stripeHasInvoice({
      id: `in_${sub}_2`,
      customer,
      number: "CT-0002",
      total: 2900,
      amount_paid: 2900,
      created: created + 30 * 86_400,
    });

    // A cancellation the owner scheduled for a date (as the webhook stores Stripe's cancel_at).
    await env.DB.prepare("UPDATE tenant_billing SET cancel_at_period_end = 1, cancel_at = ? WHERE tenant_id = ?")
      .bind(Date.now() + 60 * 86_400_000, t.tenantId)
      .run();

    // ---- closing ----
    const closedAt = Date.now();
    const res = await closeAs(t.cookie);
    expect(res.status).toBe(200);
    const done = await res.text();
    expect(done).toContain("Quartermaine Salvage is closed");
    expect(done).toContain(`We have sent a link that reopens it to ${t.email}`);
    expect(res.headers.get("Set-Cookie")).toMatch(/__Host-session=;/);

    const locked = (await tenantRow(t.tenantId))!;
    expect(locked.closed_at).toBeGreaterThanOrEqual(closedAt);
    expect(locked.erase_after! - locked.closed_at!).toBe(30 * DAY);
    expect(await row("SELECT 1 AS x FROM sessions WHERE tenant_id = ?", t.tenantId)).toBeNull();
    // Every member's session in it has ended...
    for (const cookie of [t.cookie, only.cookie, both.cookie]) {
      const app = await send("/app", { cookie });
      expect(app.status).toBe(303);
      expect(app.headers.get("Location")).toMatch(/^\/login/);
    }
    // ...but a member keeps their other workspace: the session there goes on, and logging in lands there.
    expect(await textOf("/app", { cookie: bothOwnSession })).toContain("Own workspace of a member");
    const relogin = await logIn(both.email);
    const relanded = await send("/app", { cookie: relogin.cookie });
    expect(relanded.status).toBe(200);
    expect(await relanded.text()).toContain("Own workspace of a member");

    // Stripe: the invoices were read and the customer deleted through the SDK (which cancels its subscription).
    const stripe = await stripeRequests();
    expect(
      stripe.some((r) => r.method === "GET" && r.path.startsWith("/v1/invoices") && r.path.includes(customer)),
    ).toBe(true);
    const deletion = stripe.filter((r) => r.method === "DELETE" && r.path === `/v1/customers/${customer}`);
    expect(deletion).toHaveLength(1);
    expect(deletion[0]!.headers["user-agent"]).toMatch(/Stripe/);
    const billing = await row<{
      state: string;
      stripe_customer_id: string | null;
      stripe_subscription_id: string | null;
      cancel_at: number | null;
    }>("SELECT * FROM tenant_billing WHERE tenant_id = ?", t.tenantId);
    expect(billing).toMatchObject({
      state: "free",
      stripe_customer_id: null,
      stripe_subscription_id: null,
      cancel_at_period_end: 0,
      cancel_at: null,
    });

    // The reopen link, mailed to the owner.
    const mail = await lastMail(t.email, "workspace_closed");
    expect(mail.essential).toBe(1);
    expect(mail.text_body).toContain("you can reopen it with this link (it works once)");
    const reopenPath = linkPath(mail, "/reopen/");
    expect(reopenPath).toMatch(new RegExp(`^/reopen/${t.tenantId}/[a-z2-7]{32}$`));

    // The owner can still sign in, and /app shows the closed page and nothing else.
    const ownerAgain = await logIn(t.email);
    for (const path of [
      "/app",
      "/app/contacts",
      `/app/contacts/${t.contactId}`,
      "/app/settings/team",
      "/app/export/contacts.csv",
    ]) {
      const closedPage = await send(path, { cookie: ownerAgain.cookie });
      expect(closedPage.status, path).toBe(423);
      const html = await closedPage.text();
      expect(html).toContain("This workspace is closed");
      expect(html).not.toContain("Zenobia");
      expect(html).not.toContain(only.email);
      expect(html).not.toContain('href="/app/contacts"');
    }
    expect((await send("/app/contacts", { cookie: ownerAgain.cookie, form: { first_name: "Sneaky" } })).status).toBe(
      423,
    );
    expect(
      await row("SELECT 1 AS x FROM contacts WHERE tenant_id = ? AND first_name = 'Sneaky'", t.tenantId),
    ).toBeNull();

    // ---- within the grace period nothing is erased ----
    await runCron(closedAt + 29 * DAY);
    expect(await tenantExists(t.tenantId)).toBe(true);
    expect(await row("SELECT 1 AS x FROM contacts WHERE id = ?", t.contactId)).not.toBeNull();
    expect((await send(reopenPath)).status).toBe(200);

    // ---- after it, the job erases everything, a few rows per statement, over several runs ----
    await bulkContacts(t.tenantId, 300);
    const runs = await runCronUntilErased(t.tenantId, locked.erase_after! + 60_000, { RETENTION_CHUNK_ROWS: "2" });
    expect(runs).toBeGreaterThan(1);
    console.log(JSON.stringify({ type: "closure_figures", runs, chunkRows: 2 }));

    const onlyId = only.userId;
    const traces = await tracesOf(
      [
        t.tenantId,
        ownerId,
        onlyId,
        t.email,
        only.email,
        "Zenobia",
        "Quartermaine",
        "never-came@erasable.example",
        customer,
      ],
      ["closed_tenant_ledger"],
    );
    expect(traces).toEqual([]);
    // Walked table by table too: no tenant_id column anywhere holds it.
    for (const table of await tablesWithColumn("tenant_id")) {
      if (table === "closed_tenant_ledger") continue;
      expect(await row(`SELECT 1 AS x FROM ${table} WHERE tenant_id = ?`, t.tenantId), table).toBeNull();
    }
    expect(await r2Keys(`imports/${t.tenantId}/`)).toEqual([]);
    expect(await r2Keys(`exports/${t.tenantId}/`)).toEqual([]);

    // The member with another workspace keeps it and their account (the job also ended their
    // sessions, idle for a month on its clock: they sign in again).
    expect(await row("SELECT 1 AS x FROM users WHERE email = ?", both.email)).not.toBeNull();
    expect(await tenantExists(bothTenant)).toBe(true);
    const bothLater = await logIn(both.email);
    expect(await textOf("/app", { cookie: bothLater.cookie })).toContain("Own workspace of a member");

    // Only the ledger: dates and invoices, no names, addresses or contact data.
    const ledger = await row<{
      closed_at: number;
      closed_by: string;
      erased_at: number;
      keep_until: number;
      stripe_customer_deleted_at: number;
      invoices: string;
    }>("SELECT * FROM closed_tenant_ledger WHERE tenant_id = ?", t.tenantId);
    expect(ledger).toMatchObject({ closed_at: locked.closed_at, closed_by: "owner" });
    expect(ledger!.erased_at).toBeGreaterThan(locked.erase_after!);
    expect(new Date(ledger!.keep_until).getUTCFullYear() - new Date(ledger!.erased_at).getUTCFullYear()).toBe(7);
    expect(ledger!.stripe_customer_deleted_at).not.toBeNull();
    const invoices = JSON.parse(ledger!.invoices) as {
      id: string;
      number: string;
      total: number;
      amount_paid: number;
      currency: string;
      created: string;
    }[];
    expect(invoices.map((i) => [i.number, i.total, i.amount_paid, i.currency])).toEqual([
      ["CT-0002", 2900, 2900, "usd"],
      ["CT-0001", 2900, 2900, "usd"],
    ]);
    expect(invoices[1]!.created).toBe(new Date(created * 1000).toISOString());
    const ledgerText = JSON.stringify(ledger);
    for (const personal of [t.email, only.email, "Quartermaine", "someone@example.com", "Someone", customer])
      expect(ledgerText).not.toContain(personal);

    // The reopen link is dead, and the addresses are free to sign up again.
    expect((await send(reopenPath)).status).toBe(404);
    expect((await send(reopenPath, { form: {} })).status).toBe(404);
    const again = await signUp({ email: t.email, company_name: "Quartermaine Again" });
    expect((await send("/app", { cookie: again.cookie })).status).toBe(200);
    const onlyAgain = await signUp({ email: only.email });
    expect((await send("/app", { cookie: onlyAgain.cookie })).status).toBe(200);

    // Running the job again (twice for one minute) is harmless.
    const ledgerBefore = await env.DB.prepare("SELECT * FROM closed_tenant_ledger").all();
    await runCron(locked.erase_after! + 2 * DAY);
    await runCron(locked.erase_after! + 2 * DAY);
    expect((await env.DB.prepare("SELECT * FROM closed_tenant_ledger").all()).results).toEqual(ledgerBefore.results);
    expect(await tenantExists(bothTenant)).toBe(true);
    expect((await send("/app", { cookie: (await logIn(t.email)).cookie })).status).toBe(200);
    expect((await send("/app", { cookie: (await logIn(both.email)).cookie })).status).toBe(200);
  });
});

describe("reopening", { timeout: 90_000 }, () => {
  it("works within the grace period, once: members sign in again, everything is there, billing is Free", async () => {
    const owner = await newTenant("Second Thoughts Ltd");
    const contactId = await createContact(owner.cookie, { first_name: "Kept", last_name: "Safe" });
    const member = await memberOf(owner.tenantId, "member");
    expect((await closeAs(owner.cookie)).status).toBe(200);
    const link = linkPath(await lastMail(owner.email, "workspace_closed"), "/reopen/");

    const page = await send(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Reopen Second Thoughts Ltd");
    expect(html).toContain(`action="${link}"`);
    // A GET changes nothing (mail scanners follow links).
    expect((await tenantRow(owner.tenantId))!.closed_at).not.toBeNull();

    const reopened = await send(link, { form: {} });
    expect(reopened.status).toBe(200);
    expect(await reopened.text()).toContain("Second Thoughts Ltd is open again");
    expect(await tenantRow(owner.tenantId)).toEqual({
      closed_at: null,
      erase_after: null,
      reopen_token_hash: null,
      erasing_at: null,
    });
    expect(await row("SELECT 1 AS x FROM closed_tenant_ledger WHERE tenant_id = ?", owner.tenantId)).toBeNull();
    expect(
      await row<{ action: string }>(
        "SELECT action FROM audit_log WHERE tenant_id = ? ORDER BY id DESC LIMIT 1",
        owner.tenantId,
      ),
    ).toEqual({ action: "workspace.reopened" });

    // The link works once.
    expect((await send(link, { form: {} })).status).toBe(404);
    expect((await send(link)).status).toBe(404);

    const ownerIn = await logIn(owner.email);
    const contact = await send(`/app/contacts/${contactId}`, { cookie: ownerIn.cookie });
    expect(contact.status).toBe(200);
    expect(await contact.text()).toContain("Kept");
    const billing = await send("/app/settings/billing", { cookie: ownerIn.cookie });
    expect(await billing.text()).toMatch(/<dd>\s*Free/);
    const memberIn = await logIn(member.email);
    expect((await send("/app/settings/team", { cookie: memberIn.cookie })).status).toBe(200);

    // The job leaves a reopened workspace alone, whatever the clock says.
    await runCron(Date.now() + 60 * DAY);
    expect(await tenantExists(owner.tenantId)).toBe(true);
  });

  it("does not work after the grace period (CLOSURE_GRACE_DAYS=0), and the next run erases the workspace", async () => {
    const owner = await newTenant("No Way Back Co");
    const res = await closeAs(owner.cookie, GOOD_PASSWORD, { CLOSURE_GRACE_DAYS: "0" });
    expect(res.status).toBe(200);
    const link = linkPath(await lastMail(owner.email, "workspace_closed"), "/reopen/");
    expect((await send(link)).status).toBe(404);
    expect((await send(link, { form: {} })).status).toBe(404);
    expect((await tenantRow(owner.tenantId))!.closed_at).not.toBeNull();
    await runCronUntilErased(owner.tenantId, Date.now() + 60_000);
    expect(await tracesOf([owner.tenantId, owner.email], ["closed_tenant_ledger"])).toEqual([]);
  });

  it("refuses forged and foreign links", async () => {
    const a = await newTenant("Forge A");
    const b = await newTenant("Forge B");
    expect((await closeAs(a.cookie)).status).toBe(200);
    expect((await closeAs(b.cookie)).status).toBe(200);
    const linkA = linkPath(await lastMail(a.email, "workspace_closed"), "/reopen/");
    const tokenA = linkA.split("/").at(-1)!;
    for (const path of [
      `/reopen/${b.tenantId}/${tokenA}`,
      `/reopen/${a.tenantId}/${"a".repeat(32)}`,
      `/reopen/${a.tenantId}/not-a-token`,
      `/reopen/${a.tenantId}`,
    ]) {
      expect((await send(path, { form: {} })).status, path).toBe(404);
    }
    expect((await tenantRow(a.tenantId))!.closed_at).not.toBeNull();
    expect((await tenantRow(b.tenantId))!.closed_at).not.toBeNull();
  });
});

describe("the erasure covers the whole schema", () => {
  it("names every table that has a tenant_id column (a new table must be added to it)", async () => {
    const withTenant = (await tablesWithColumn("tenant_id")).filter(
      (t) => t !== "closed_tenant_ledger" && t !== "memberships",
    );
    expect([...TENANT_TABLES].sort()).toEqual(withTenant.sort());
    expect(ERASURE_STEPS).toContain("memberships");
    expect(ERASURE_STEPS.at(-1)).toBe("finish");
  });

  it("empties a table before the tables its foreign keys name without a cascade (deals before stages before pipelines)", async () => {
    const order = [...TENANT_TABLES] as string[];
    const misplaced: string[] = [];
    for (const child of order) {
      const fks = await env.DB.prepare(
        'SELECT "table" AS parent, "from" AS col, on_delete FROM pragma_foreign_key_list(?)',
      )
        .bind(child)
        .all<{ parent: string; col: string; on_delete: string }>();
      for (const fk of fks.results) {
        // Without an action the parent's delete fails while children are left; SET NULL would write each child.
        if (fk.on_delete === "CASCADE" || !order.includes(fk.parent) || fk.parent === child) continue;
        if (order.indexOf(child) > order.indexOf(fk.parent)) misplaced.push(`${child}.${fk.col} → ${fk.parent}`);
      }
    }
    expect(misplaced).toEqual([]);
    expect(order.indexOf("deals")).toBeLessThan(order.indexOf("pipeline_stages"));
  });
});
