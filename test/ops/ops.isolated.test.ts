/**
 * The operator endpoints behind `npm run ops`, as an operator and as an attacker meet them: the
 * bearer token, each action's effect and its audit entry (no actor; the operator's name and reason),
 * and the absence of any way to list or browse what a workspace holds.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail, statusOf, textOf } from "../helpers/http";
import { lastMail } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { customerFor, stripeRequests } from "../billing/helpers";
import { createContact, type Form, post } from "../contacts/contact-helpers";
import { insertDeal } from "../deals/data-helpers";
import { createCompanyThroughForm } from "../companies/helpers";
import { r2Keys, tenantExists, tracesOf } from "../closure/helpers";
// The command's own argument handling (scripts/ops.mjs), without running it.
import { parseArgs, requestFor } from "../../scripts/ops.mjs";

const TOKEN = "ops-token-for-tests-0123456789abcdef-closure";
const OPS_ENV = { OPS_TOKEN: TOKEN };
const NOTE = { operator: "Ana Operator", reason: "Verified request, ticket #4711" };

function ops(path: string, body?: unknown, opts: { token?: string | null; method?: string } = {}) {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // The command sends no Origin: it is not a browser.
  return send(path, {
    method: opts.method ?? (body === undefined ? "GET" : "POST"),
    body: body === undefined ? undefined : JSON.stringify(body),
    headers,
    origin: null,
    env: OPS_ENV,
  });
}

const one = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();

async function opsAudit(action: string) {
  return (
    await env.DB.prepare(
      "SELECT tenant_id, actor_user_id, target_type, target_id, target_label, detail FROM audit_log WHERE action = ? ORDER BY id",
    )
      .bind(action)
      .all<{
        tenant_id: string | null;
        actor_user_id: string | null;
        target_type: string | null;
        target_id: string | null;
        target_label: string | null;
        detail: string;
      }>()
  ).results;
}

/** A new workspace with a contact, a company and a note on the contact, made through the app as its owner. */
async function ownerWithRecords(workspace: string, company: string, note: string, contact: Form) {
  const owner = await newTenant(workspace);
  const contactId = await createContact(owner.cookie, contact);
  await createCompanyThroughForm(owner.cookie, { name: company });
  expect((await post(`/app/contacts/${contactId}/notes`, owner.cookie, { body: note })).status).toBeLessThan(400);
  return { owner, contactId };
}

const ENDPOINTS: [string, string][] = [
  ["GET", "/ops/mail/failed"],
  ["POST", "/ops/accounts/erase"],
  ["POST", "/ops/accounts/export"],
  ["POST", "/ops/accounts/correct-email"],
  ["POST", "/ops/accounts/erase-contact-messages"],
  ["POST", "/ops/accounts/email-preferences"],
];

describe("the operator token", () => {
  it("is required on every endpoint: none, a wrong one, another scheme, or an unconfigured server get 401 and change nothing", async () => {
    const victim = await newTenant("Victim Co");
    const body = { email: victim.email, old_email: victim.email, new_email: uniqueEmail("attacker"), ...NOTE };
    const wrong = [null, "", "x", `${TOKEN.slice(0, -1)}X`, `${TOKEN}X`, TOKEN.toUpperCase()];
    for (const [method, path] of ENDPOINTS) {
      for (const token of wrong) {
        const res = await ops(path, method === "POST" ? body : undefined, { token, method });
        expect(res.status, `${method} ${path} with ${token}`).toBe(401);
        expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="ops"');
      }
      const basic = await send(path, {
        method,
        headers: { Authorization: `Basic ${btoa(`ops:${TOKEN}`)}`, "Content-Type": "application/json" },
        body: method === "POST" ? JSON.stringify(body) : undefined,
        origin: null,
        env: OPS_ENV,
      });
      expect(basic.status).toBe(401);
      // A server without OPS_TOKEN refuses everything, whatever is sent.
      const unconfigured = await send(path, {
        method,
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: method === "POST" ? JSON.stringify(body) : undefined,
        origin: null,
        env: { OPS_TOKEN: "" },
      });
      expect(unconfigured.status).toBe(401);
    }
    expect(await tenantExists(victim.tenantId)).toBe(true);
    expect((await logIn(victim.email)).response.status).toBe(303);
    expect(await opsAudit("ops.account_erased")).toEqual([]);
  });

  it("opens no way to list or browse: plausible listing paths answer 404 even with the token", async () => {
    const t = await newTenant("Browse Me Co");
    await createContact(t.cookie, { first_name: "Secretive", last_name: "Sam" });
    const probes: [string, string][] = [
      ["GET", "/ops"],
      ["GET", "/ops/"],
      ["GET", "/ops/tenants"],
      ["GET", `/ops/tenants/${t.tenantId}`],
      ["GET", `/ops/tenants/${t.tenantId}/contacts`],
      ["GET", "/ops/accounts"],
      ["GET", `/ops/accounts?email=${encodeURIComponent(t.email)}`],
      ["GET", "/ops/users"],
      ["GET", "/ops/contacts"],
      ["GET", "/ops/contacts?q=Sam"],
      ["GET", "/ops/search?q=Sam"],
      ["GET", "/ops/accounts/export"],
      ["GET", "/ops/export"],
      ["POST", "/ops/accounts/search"],
      ["POST", "/ops/accounts/list"],
    ];
    for (const [method, path] of probes) {
      const res = await ops(path, method === "POST" ? { q: "Sam", ...NOTE } : undefined, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      const text = await res.text();
      expect(text).not.toContain("Secretive");
      expect(text).not.toContain(t.email);
    }
    // An action names one account exactly: no wildcards, no partial addresses.
    for (const email of ["%", "*@example.com", t.email.slice(0, 5)]) {
      const res = await ops("/ops/accounts/export", { email, ...NOTE });
      expect([400, 404], email).toContain(res.status);
      expect(await res.text()).not.toContain("Secretive");
    }
  });
});

describe("every action needs the operator's name and a reason", () => {
  it("refuses a request without either (400), and changes nothing", async () => {
    const t = await newTenant("Reasonless Co");
    for (const [path, body] of [
      ["/ops/accounts/erase", { email: t.email }],
      ["/ops/accounts/erase", { email: t.email, operator: "Ana" }],
      ["/ops/accounts/erase", { email: t.email, reason: "because" }],
      ["/ops/accounts/export", { email: t.email, operator: " ", reason: "because" }],
      ["/ops/accounts/correct-email", { old_email: t.email, new_email: uniqueEmail(), operator: "Ana", reason: "" }],
    ] as const) {
      const res = await ops(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await ops("/ops/accounts/erase", "not json")).status).toBe(400);
    expect(await tenantExists(t.tenantId)).toBe(true);
    expect(
      await one("SELECT 1 AS x FROM audit_log WHERE action LIKE 'ops.%' AND detail LIKE ?", "%Reasonless%"),
    ).toBeNull();
  });
});

describe("erase-account", () => {
  it("erases the account now: its workspace (Stripe customer deleted), its data, and its traces elsewhere; other workspaces keep what they wrote", async () => {
    const { owner } = await ownerWithRecords("Erase Me Now Ltd", "Vexley Holdings", "A note about Ottoline", {
      first_name: "Ottoline",
      last_name: "Vexley",
      emails: ["ottoline@vexley.example"],
    });
    await env.FILES.put(`imports/${owner.tenantId}/job/upload`, "Ottoline,Vexley");
    const customer = await customerFor(owner);
    const userId = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", owner.email))!.id;
    // They are also a member of someone else's workspace, and wrote a note there.
    const other = await newTenant("Keeps Its Notes Co");
    await env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', ?, ?)",
    )
      .bind(other.tenantId, userId, Date.now(), Date.now())
      .run();
    const otherContact = await createContact(other.cookie, { first_name: "Stays" });
    const inOther = await logIn(owner.email); // lands in their own workspace first
    await send("/app/workspaces/switch", { cookie: inOther.cookie, form: { tenant_id: other.tenantId } });
    expect(
      (await post(`/app/contacts/${otherContact}/notes`, inOther.cookie, { body: "Written by the erased user" }))
        .status,
    ).toBeLessThan(400);
    // And they wrote to support once.
    expect(
      await statusOf("/contact", {
        form: { name: "Ottoline's owner", email: owner.email, message: "Please delete my account and data." },
      }),
    ).toBe(303);

    const res = await ops("/ops/accounts/erase", {
      email: owner.email,
      operator: NOTE.operator,
      reason: "Deletion request; the account holder is a minor",
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { erased: boolean; workspaces_erased: number; complete: boolean };
    expect(body).toMatchObject({ erased: true, workspaces_erased: 1, complete: true });

    expect(await tenantExists(owner.tenantId)).toBe(false);
    expect(
      await tracesOf([owner.tenantId, userId, owner.email, "Ottoline", "Vexley", customer], ["closed_tenant_ledger"]),
    ).toEqual([]);
    expect(await r2Keys(`imports/${owner.tenantId}/`)).toEqual([]);
    expect(
      (await stripeRequests()).filter((r) => r.method === "DELETE" && r.path === `/v1/customers/${customer}`),
    ).toHaveLength(1);
    expect(
      await one(
        "SELECT closed_by, erased_at IS NOT NULL AS erased FROM closed_tenant_ledger WHERE tenant_id = ?",
        owner.tenantId,
      ),
    ).toEqual({ closed_by: "operator", erased: 1 });
    // The other workspace keeps its records and the note, now by a former member.
    expect(await tenantExists(other.tenantId)).toBe(true);
    expect(
      await one(
        "SELECT author_id FROM notes WHERE tenant_id = ? AND body = 'Written by the erased user'",
        other.tenantId,
      ),
    ).toEqual({ author_id: null });
    expect(
      await one("SELECT 1 AS x FROM audit_log WHERE tenant_id = ? AND action = 'member.left'", other.tenantId),
    ).not.toBeNull();
    // Gone: they cannot sign in, and the address can sign up afresh.
    expect((await logIn(owner.email)).response.status).toBe(401);
    expect((await send("/app", { cookie: (await signUp({ email: owner.email })).cookie })).status).toBe(200);

    // Audited without an actor, with the operator and the reason, and without what it erased.
    const [entry] = await opsAudit("ops.account_erased");
    expect(entry).toMatchObject({
      tenant_id: null,
      actor_user_id: null,
      target_type: "account",
      target_id: null,
      target_label: null,
    });
    expect(JSON.parse(entry!.detail)).toEqual({
      operator: NOTE.operator,
      reason: "Deletion request; the account holder is a minor",
      workspaces_erased: 1,
    });
  });

  it("answers 404 for an address without an account", async () => {
    expect((await ops("/ops/accounts/erase", { email: uniqueEmail("ghost"), ...NOTE })).status).toBe(404);
  });
});

describe("export-account", () => {
  it("gives the account's own data and the records of the workspaces it owns, not of those it only belongs to, and is audited", async () => {
    const { owner, contactId } = await ownerWithRecords("Export Me Ltd", "Lint Industries", "Perpetua likes tea", {
      first_name: "Perpetua",
      last_name: "Lint",
      emails: ["perpetua@lint.example"],
    });
    await insertDeal(owner.tenantId, { name: "Lint supply deal", contacts: [{ id: contactId, role: "Buyer" }] });
    const other = await newTenant("Not Theirs Co");
    await createContact(other.cookie, { first_name: "Foreign", last_name: "Record" });
    await insertDeal(other.tenantId, { name: "Foreign deal" });
    const member = await memberOf(other.tenantId, "viewer");
    const memberEmail = member.email;
    await createContact((await newTenant("x")).cookie, { first_name: "Unrelated" });

    const res = await ops("/ops/accounts/export", { email: owner.email, ...NOTE });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const data = (await res.json()) as {
      format: string;
      account: { email: string; age_confirmed_at: string };
      memberships: { workspace: string; role: string }[];
      sessions: unknown[];
      audit_entries: { action: string }[];
      owned_workspaces: {
        name: string;
        contacts: { records: { firstName?: string; first_name?: string }[] };
        companies: { records: unknown[] };
        deals: { records: { name: string; contacts: { role: string | null }[] }[] };
        notes: { records: unknown[] };
      }[];
    };
    expect(data.format).toBe("customertrackr.account-export/1");
    expect(data.account.email).toBe(owner.email);
    expect(data.memberships).toEqual([expect.objectContaining({ workspace: "Export Me Ltd", role: "owner" })]);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.audit_entries.map((a) => a.action)).toContain("auth.sign_up");
    expect(data.owned_workspaces).toHaveLength(1);
    const text = JSON.stringify(data);
    for (const s of ["Perpetua", "perpetua@lint.example", "Lint Industries", "Perpetua likes tea"])
      expect(text).toContain(s);
    for (const s of ["Foreign", "Unrelated"]) expect(text).not.toContain(s);
    expect(data.owned_workspaces[0]!.companies.records).toHaveLength(1);
    expect(data.owned_workspaces[0]!.notes.records).toHaveLength(1);
    expect(data.owned_workspaces[0]!.deals.records).toEqual([
      expect.objectContaining({ name: "Lint supply deal", contacts: [expect.objectContaining({ role: "Buyer" })] }),
    ]);

    // A member's export holds their membership, not the workspace's records.
    const memberExport = (await (await ops("/ops/accounts/export", { email: memberEmail, ...NOTE })).json()) as {
      memberships: { workspace: string; role: string }[];
    };
    expect(memberExport.memberships.map((m) => m.role).sort()).toEqual(["owner", "viewer"]);
    expect(JSON.stringify(memberExport)).not.toContain("Foreign");

    const entries = await opsAudit("ops.account_exported");
    const userId = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", owner.email))!.id;
    expect(entries[0]).toMatchObject({ tenant_id: null, actor_user_id: null, target_type: "user", target_id: userId });
    expect(JSON.parse(entries[0]!.detail)).toEqual({ ...NOTE, workspaces_included: 1 });
    expect((await ops("/ops/accounts/export", { email: uniqueEmail("ghost"), ...NOTE })).status).toBe(404);
  });

  it("keeps the addresses and browsers of the user's own actions only, not of those who acted on them", async () => {
    const owner = await newTenant("Acts On Others Ltd");
    const member = await memberOf(owner.tenantId, "member");
    const userId = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", member.email))!.id;
    const changed = await send(`/app/settings/team/members/${userId}/role`, {
      cookie: owner.cookie,
      form: { role: "viewer" },
      ip: "203.0.113.77",
    });
    expect(changed.status).toBe(303);
    const data = (await (await ops("/ops/accounts/export", { email: member.email, ...NOTE })).json()) as {
      audit_entries: { action: string; by_this_user: boolean; ip: string | null; user_agent: string | null }[];
    };
    const byOwner = data.audit_entries.filter((a) => !a.by_this_user);
    expect(byOwner.length).toBeGreaterThan(0);
    expect(byOwner.every((a) => a.ip === null && a.user_agent === null)).toBe(true);
    expect(JSON.stringify(data)).not.toContain("203.0.113.77");
  });
});

describe("correct-email", () => {
  it("changes the address, asks the new one to confirm, tells the old one, and is audited", async () => {
    const { email } = await signUp();
    const corrected = uniqueEmail("corrected");
    const res = await ops("/ops/accounts/correct-email", {
      old_email: email,
      new_email: corrected.toUpperCase(),
      ...NOTE,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ corrected: true, email: corrected, verification_sent: true });
    expect(await one("SELECT email_verified_at FROM users WHERE email = ?", corrected)).toEqual({
      email_verified_at: null,
    });
    expect(await one("SELECT 1 AS x FROM users WHERE email = ?", email)).toBeNull();
    expect((await logIn(email, GOOD_PASSWORD)).response.status).toBe(401);
    expect((await logIn(corrected, GOOD_PASSWORD)).response.status).toBe(303);
    expect((await lastMail(corrected, "verify_email")).text_body).toContain("/verify-email/");
    expect((await lastMail(email, "email_changed")).text_body).toContain(`has been changed to ${corrected}`);

    const userId = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", corrected))!.id;
    const entries = (await opsAudit("ops.email_corrected")).filter((e) => e.target_id === userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ tenant_id: null, actor_user_id: null, target_type: "user" });
    expect(JSON.parse(entries[0]!.detail)).toEqual(NOTE);
  });

  it("refuses an address in use (409), the same address (400) and an unknown account (404)", async () => {
    const a = await signUp();
    const b = await signUp();
    expect((await ops("/ops/accounts/correct-email", { old_email: a.email, new_email: b.email, ...NOTE })).status).toBe(
      409,
    );
    expect((await ops("/ops/accounts/correct-email", { old_email: a.email, new_email: a.email, ...NOTE })).status).toBe(
      400,
    );
    expect(
      (await ops("/ops/accounts/correct-email", { old_email: uniqueEmail("ghost"), new_email: uniqueEmail(), ...NOTE }))
        .status,
    ).toBe(404);
    expect(await one("SELECT 1 AS x FROM users WHERE email = ?", a.email)).not.toBeNull();
  });
});

describe("erase-contact-messages", () => {
  it("erases a sender without an account: their messages, the acknowledgement and support's copy go, others stay, and it is audited without the address", async () => {
    const sender = uniqueEmail("child");
    const bystander = uniqueEmail("bystander");
    const write = (email: string, message: string) => send("/contact", { form: { name: "Someone", email, message } });
    expect((await write(sender, "I am 12, please delete what I wrote.")).status).toBe(303);
    expect((await write(sender, "Also this second message, thank you.")).status).toBe(303);
    expect((await write(bystander, "A question about invoices, please.")).status).toBe(303);
    expect(await tracesOf([sender])).not.toEqual([]);
    // erase-account cannot help: there is no account.
    expect((await ops("/ops/accounts/erase", { email: sender, ...NOTE })).status).toBe(404);

    const res = await ops("/ops/accounts/erase-contact-messages", { email: sender.toUpperCase(), ...NOTE });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { erased: boolean; messages: number; mail: number };
    expect(body).toMatchObject({ erased: true, messages: 2 });
    expect(body.mail).toBeGreaterThanOrEqual(3); // two copies to support, at least one acknowledgement
    expect(await tracesOf([sender, "I am 12", "this second message"])).toEqual([]);
    expect(await one("SELECT count(*) AS n FROM support_messages WHERE email = ?", bystander)).toEqual({ n: 1 });
    expect(await one("SELECT count(*) AS n FROM email_outbox WHERE to_address = ?", bystander)).toEqual({ n: 1 });

    const entries = await opsAudit("ops.contact_messages_erased");
    const entry = entries.find((e) => JSON.parse(e.detail).messages === 2)!;
    expect(entry).toMatchObject({ tenant_id: null, actor_user_id: null, target_id: null, target_label: null });
    expect(JSON.parse(entry.detail)).toEqual({ ...NOTE, messages: 2, mail: body.mail });
    expect(JSON.stringify(entries)).not.toContain(sender);
    // Without the token: 401, nothing erased.
    expect(
      (await ops("/ops/accounts/erase-contact-messages", { email: bystander, ...NOTE }, { token: null })).status,
    ).toBe(401);
    expect(await one("SELECT count(*) AS n FROM support_messages WHERE email = ?", bystander)).toEqual({ n: 1 });
  });
});

describe("set-email-preferences", () => {
  it("turns a list off or on for someone who asked by mail, keeps the other as it was, shows it on their profile, and is audited", async () => {
    const t = await newTenant("Asked By Mail Co");
    const profile = async () =>
      (await textOf("/app/settings/profile", { cookie: t.cookie })).match(
        /Weekly digest (on|off), product news (on|off)/,
      )?.[0];
    expect(await profile()).toBe("Weekly digest on, product news off");

    const off = await ops("/ops/accounts/email-preferences", { email: t.email, digest: false, ...NOTE });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({
      email: t.email,
      digest: false,
      news: false,
      reminders: true,
      agenda: false,
      mentions: true,
    });
    expect(await profile()).toBe("Weekly digest off, product news off");
    expect((await ops("/ops/accounts/email-preferences", { email: t.email, news: true, ...NOTE })).status).toBe(200);
    expect(await profile()).toBe("Weekly digest off, product news on");
    // Every list can be switched, mentions included.
    const mentions = await ops("/ops/accounts/email-preferences", { email: t.email, mentions: false, ...NOTE });
    expect(await mentions.json()).toMatchObject({ digest: false, news: true, mentions: false });
    expect(await ops("/ops/accounts/email-preferences", { email: t.email, mentions: true, ...NOTE })).toHaveProperty(
      "status",
      200,
    );

    // Neither list, a value that is not a boolean, no reason, an unknown address: refused, nothing changes.
    expect((await ops("/ops/accounts/email-preferences", { email: t.email, ...NOTE })).status).toBe(400);
    expect((await ops("/ops/accounts/email-preferences", { email: t.email, digest: "on", ...NOTE })).status).toBe(400);
    expect(
      (await ops("/ops/accounts/email-preferences", { email: t.email, digest: true, operator: "Ana" })).status,
    ).toBe(400);
    expect(
      (await ops("/ops/accounts/email-preferences", { email: uniqueEmail("ghost"), digest: true, ...NOTE })).status,
    ).toBe(404);
    expect(await profile()).toBe("Weekly digest off, product news on");

    const userId = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", t.email))!.id;
    const entries = (await opsAudit("ops.email_preferences_set")).filter((e) => e.target_id === userId);
    expect(entries.map((e) => JSON.parse(e.detail))).toEqual([
      { ...NOTE, digest: false, news: false, reminders: true, agenda: false, mentions: true },
      { ...NOTE, digest: false, news: true, reminders: true, agenda: false, mentions: true },
      { ...NOTE, digest: false, news: true, reminders: true, agenda: false, mentions: false },
      { ...NOTE, digest: false, news: true, reminders: true, agenda: false, mentions: true },
    ]);
    expect(entries[0]).toMatchObject({ tenant_id: null, actor_user_id: null, target_type: "user" });
  });
});

describe("npm run ops", () => {
  it("requires --operator and --reason, and maps each action to its endpoint", () => {
    const parsed = parseArgs(["erase-account", "a@example.com", "--operator", "Ana", "--reason=Ticket 1"]);
    expect(parsed).toEqual({
      positional: ["erase-account", "a@example.com"],
      options: { operator: "Ana", reason: "Ticket 1" },
    });
    expect(requestFor("erase-account", ["a@example.com"], parsed.options)).toEqual({
      method: "POST",
      path: "/ops/accounts/erase",
      body: { email: "a@example.com", operator: "Ana", reason: "Ticket 1" },
    });
    expect(
      requestFor("correct-email", ["a@example.com", "b@example.com"], { operator: "Ana", reason: "r" }),
    ).toMatchObject({
      path: "/ops/accounts/correct-email",
      body: { old_email: "a@example.com", new_email: "b@example.com" },
    });
    expect(
      requestFor("export-account", ["a@example.com"], { operator: "Ana", reason: "r", out: "x.json" }),
    ).toMatchObject({ path: "/ops/accounts/export", out: "x.json" });
    expect(requestFor("erase-contact-messages", ["a@example.com"], { operator: "Ana", reason: "r" })).toEqual({
      method: "POST",
      path: "/ops/accounts/erase-contact-messages",
      body: { email: "a@example.com", operator: "Ana", reason: "r" },
    });
    expect(
      requestFor("set-email-preferences", ["a@example.com"], {
        operator: "Ana",
        reason: "r",
        digest: "off",
        news: "on",
      }),
    ).toEqual({
      method: "POST",
      path: "/ops/accounts/email-preferences",
      body: { email: "a@example.com", digest: false, news: true, operator: "Ana", reason: "r" },
    });
    expect(requestFor("set-email-preferences", ["a@example.com"], { operator: "Ana", reason: "r" }).error).toContain(
      "--digest",
    );
    expect(
      requestFor("set-email-preferences", ["a@example.com"], { operator: "Ana", reason: "r", news: "yes" }).error,
    ).toContain("on or off");
    expect(requestFor("erase-account", ["a@example.com"], { operator: "Ana" }).error).toContain("--reason");
    expect(requestFor("list-tenants", [], { operator: "Ana", reason: "r" }).error).toContain("Unknown action");
  });
});
