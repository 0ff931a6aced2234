/**
 * The account actions a person asks for by mail, run from the staff console: found only by an exact
 * address, each doing what the /ops action does, each in the trail of every workspace the account belongs
 * to with the staff member's name and reason; billing staff refused; erasure only with a second admin.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, signUp, textOf, uniqueEmail } from "../helpers/http";
import { lastMail } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { newId } from "../../src/lib/ids";
import { createContact } from "../contacts/contact-helpers";
import { tenantExists, tracesOf } from "../closure/helpers";
import { giveAccess, newStaff } from "./helpers";

const REASON = "Verified request by mail from the account holder";

const one = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();

const userIdOf = async (email: string) =>
  (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", email))!.id;

/** The workspace's Settings → Audit trail as its owner reads it. */
const auditPage = (ownerCookie: string) => textOf("/app/settings/audit", { cookie: ownerCookie });

/** An owner with a contact in their workspace, who is also a member of a second workspace. */
async function accountInTwoWorkspaces(label: string) {
  const owner = await newTenant(`${label} Own Ltd`);
  await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
  const other = await newTenant(`${label} Other Co`);
  const userId = await userIdOf(owner.email);
  await env.DB.prepare(
    "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', ?, ?)",
  )
    .bind(other.tenantId, userId, Date.now(), Date.now())
    .run();
  return { owner, other, userId };
}

describe("finding an account", () => {
  it("needs its exact address: an unknown one is a 404 page with no list, a known one opens the account", async () => {
    const { owner, userId } = await accountInTwoWorkspaces("Find");
    const staff = await newStaff("support", "Alex");

    const unknown = await send(`/staff/accounts?email=${encodeURIComponent(uniqueEmail("ghost"))}`, {
      cookie: staff.cookie,
    });
    expect(unknown.status).toBe(404);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain("No account has that address.");
    expect(unknownHtml).not.toContain("/staff/accounts/");
    // A part of an address finds nothing either.
    const part = await send(`/staff/accounts?email=${encodeURIComponent(owner.email.slice(1))}`, {
      cookie: staff.cookie,
    });
    expect(part.status).toBe(404);
    const bad = await send("/staff/accounts?email=not-an-address", { cookie: staff.cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter an email address like name@example.com.");

    const found = await send(`/staff/accounts?email=${encodeURIComponent(owner.email.toUpperCase())}`, {
      cookie: staff.cookie,
    });
    expect(found.status).toBe(303);
    expect(found.headers.get("Location")).toBe(`/staff/accounts/${userId}`);
    const page = await textOf(`/staff/accounts/${userId}`, { cookie: staff.cookie });
    expect(page).toContain("Find Own Ltd");
    expect(page).toContain("Find Other Co");
    expect(page).toMatch(/<td data-label="Role">owner<\/td>/);
    expect(page).toMatch(/<td data-label="Role">member<\/td>/);
    // Its workspaces by name and role; nothing of their records.
    expect(page).not.toContain("Lovelace");
    // Support staff do not see the erase form: that is an admin's, with a second admin.
    expect(page).not.toContain(`/staff/accounts/${userId}/erase`);
  });

  it("is refused to billing staff (403), for every account route", async () => {
    const { owner, userId } = await accountInTwoWorkspaces("Billing");
    const billing = await newStaff("billing");
    expect(
      (await send(`/staff/accounts?email=${encodeURIComponent(owner.email)}`, { cookie: billing.cookie })).status,
    ).toBe(403);
    expect((await send(`/staff/accounts/${userId}`, { cookie: billing.cookie })).status).toBe(403);
    for (const action of ["export", "email", "preferences", "erase"]) {
      const res = await send(`/staff/accounts/${userId}/${action}`, {
        cookie: billing.cookie,
        form: { reason: REASON, new_email: uniqueEmail(), digest: "on" },
      });
      expect(res.status, action).toBe(403);
    }
    const prefs = await one("SELECT 1 AS x FROM email_preferences WHERE user_id = ?", userId);
    expect(prefs).toBeNull();
  });
});

describe("export on request", () => {
  it("gives the account's data and is written, with the staff member and reason, to each of its workspaces' trails", async () => {
    const { owner, other, userId } = await accountInTwoWorkspaces("Export");
    const staff = await newStaff("support", "Alex");

    const refused = await send(`/staff/accounts/${userId}/export`, { cookie: staff.cookie, form: { reason: "x" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("The reason must be at least 10 characters.");
    expect(
      await one("SELECT 1 AS x FROM audit_log WHERE action = 'support.account_exported' AND target_id = ?", userId),
    ).toBeNull();

    const res = await send(`/staff/accounts/${userId}/export`, {
      cookie: staff.cookie,
      form: { reason: REASON, ticket: "T-1001" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const data = (await res.json()) as {
      account: { email: string };
      memberships: { workspace: string; role: string }[];
      owned_workspaces: { name: string; records_included: boolean; records_note?: string; contacts?: unknown }[];
    };
    expect(data.account.email).toBe(owner.email);
    expect(data.memberships.map((m) => m.role).sort()).toEqual(["member", "owner"]);
    expect(data.owned_workspaces.map((w) => w.name)).toEqual(["Export Own Ltd"]);
    // Without the owner's grant, support gets the account's own data and not the workspace's records.
    expect(data.owned_workspaces[0]).toMatchObject({ records_included: false });
    expect(data.owned_workspaces[0]!.records_note).toContain("Support access");
    expect(JSON.stringify(data)).not.toContain("Lovelace");

    // Under a read-and-write grant the owner gave (to any staff member), the records are in it.
    await giveAccess(owner.cookie, "write");
    const granted = await send(`/staff/accounts/${userId}/export`, {
      cookie: staff.cookie,
      form: { reason: REASON, ticket: "T-1001" },
    });
    expect(granted.status).toBe(200);
    const withRecords = (await granted.json()) as typeof data;
    expect(withRecords.owned_workspaces[0]).toMatchObject({ records_included: true });
    expect(JSON.stringify(withRecords)).toContain("Lovelace");

    for (const cookie of [owner.cookie, other.cookie]) {
      const trail = await auditPage(cookie);
      expect(trail).toContain("Support · Alex (CustomerTrackr)");
      expect(trail).toContain("Support exported an account&#39;s data (on its request)");
      expect(trail).toContain(`reason: ${REASON}`);
      expect(trail).toContain("ticket: T-1001");
    }
  });
});

describe("correcting an address", () => {
  it("changes it to one that must be confirmed, tells the old one, and shows in the trails and on the user's profile", async () => {
    const { owner, other, userId } = await accountInTwoWorkspaces("Correct");
    const staff = await newStaff("admin", "Robin");
    const second = await newStaff("admin", "Kim");
    const taken = (await signUp()).email;

    const bad = await send(`/staff/accounts/${userId}/email`, {
      cookie: staff.cookie,
      form: { new_email: "nope", reason: REASON },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter an email address like name@example.com.");
    const clash = await send(`/staff/accounts/${userId}/email`, {
      cookie: staff.cookie,
      form: { new_email: taken, reason: REASON },
    });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("Another account has this address.");
    expect(await userIdOf(owner.email)).toBe(userId);

    const corrected = uniqueEmail("corrected");
    const res = await send(`/staff/accounts/${userId}/email`, {
      cookie: staff.cookie,
      form: { new_email: corrected, reason: REASON },
    });
    expect(res.status).toBe(200);
    // Asked only: a second admin approves it (test/staff/email-correction.test.ts tries the rule itself).
    expect(await userIdOf(owner.email)).toBe(userId);
    const request = (await one<{ id: string }>("SELECT id FROM account_actions WHERE target_user_id = ?", userId))!;
    const approved = await send(`/staff/accounts/erasures/${request.id}/approve`, { cookie: second.cookie, form: {} });
    expect(approved.status).toBe(200);
    expect(await one("SELECT email, email_verified_at FROM users WHERE id = ?", userId)).toEqual({
      email: corrected,
      email_verified_at: null,
    });
    expect((await lastMail(corrected, "verify_email")).text_body).toContain("/verify-email/");
    expect((await lastMail(owner.email, "email_changed")).text_body).toContain(`has been changed to ${corrected}`);
    expect((await logIn(owner.email, GOOD_PASSWORD)).response.status).toBe(401);
    const signedIn = await logIn(corrected, GOOD_PASSWORD);
    expect(signedIn.response.status).toBe(303);

    for (const cookie of [owner.cookie, other.cookie]) {
      const trail = await auditPage(cookie);
      expect(trail).toContain("Support · Kim (CustomerTrackr)");
      expect(trail).toContain("Support corrected an email address (on request)");
      expect(trail).toContain("asked_by: Robin");
    }
    const profile = await textOf("/app/settings/profile", { cookie: signedIn.cookie });
    expect(profile).toContain("Support corrected an email address (on request)");
    expect(profile).toContain("CustomerTrackr support (Kim)");
  });
});

describe("email preferences", () => {
  it("sets the lists as ticked, shows them on the profile, and records them with the reason", async () => {
    const { owner, userId } = await accountInTwoWorkspaces("Lists");
    const staff = await newStaff("support", "Alex");
    const lists = async () =>
      (await textOf("/app/settings/profile", { cookie: owner.cookie })).match(
        /Weekly digest (on|off), product news (on|off)/,
      )?.[0];
    expect(await lists()).toBe("Weekly digest on, product news off");

    const noReason = await send(`/staff/accounts/${userId}/preferences`, {
      cookie: staff.cookie,
      form: { news: "on", reason: "" },
    });
    expect(noReason.status).toBe(400);
    expect(await lists()).toBe("Weekly digest on, product news off");

    const res = await send(`/staff/accounts/${userId}/preferences`, {
      cookie: staff.cookie,
      form: { news: "on", reminders: "on", reason: REASON },
    });
    expect(res.status).toBe(200);
    expect(await lists()).toBe("Weekly digest off, product news on");
    const trail = await auditPage(owner.cookie);
    expect(trail).toContain("Support changed email preferences (on request)");
    expect(trail).toContain(`reason: ${REASON}`);
    // Every mail list is on the form (an unticked box turns it off), mentions included.
    expect(trail).toContain("digest: false, news: true, reminders: true, agenda: false, mentions: false");
  });
});

describe("erasing an account now", () => {
  it("needs a second admin: the asker cannot approve, nothing goes until another admin does, then nothing is left", async () => {
    const { owner, other, userId } = await accountInTwoWorkspaces("Erase");
    const asker = await newStaff("admin", "Sam");
    const second = await newStaff("admin", "Kim");
    const support = await newStaff("support");

    expect(
      (await send(`/staff/accounts/${userId}/erase`, { cookie: support.cookie, form: { reason: REASON } })).status,
    ).toBe(403);
    const short = await send(`/staff/accounts/${userId}/erase`, { cookie: asker.cookie, form: { reason: "now" } });
    expect(short.status).toBe(400);
    expect(await one("SELECT 1 AS x FROM account_actions WHERE target_user_id = ?", userId)).toBeNull();

    const asked = await send(`/staff/accounts/${userId}/erase`, {
      cookie: asker.cookie,
      form: { reason: `Deletion request from ${owner.email}, identity checked`, ticket: "T-77" },
    });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Nothing is erased until a second admin approves it");
    const request = (await one<{ id: string }>("SELECT id FROM account_actions WHERE target_user_id = ?", userId))!;
    const waiting = await textOf(`/staff/accounts/${userId}`, { cookie: asker.cookie });
    expect(waiting).toContain("Waiting for a second admin: asked by Sam");
    expect(waiting).not.toContain(`action="/staff/accounts/${userId}/erase"`);

    // The asker's own approval is refused; nothing is erased.
    const own = await send(`/staff/accounts/erasures/${request.id}/approve`, { cookie: asker.cookie, form: {} });
    expect(own.status).toBe(403);
    expect(await own.text()).toContain("A second admin must approve");
    expect((await send("/staff/accounts/erasures", { cookie: support.cookie })).status).toBe(403);
    expect(await tenantExists(owner.tenantId)).toBe(true);
    expect((await logIn(owner.email)).response.status).toBe(303);

    const queue = await textOf("/staff/accounts/erasures", { cookie: second.cookie });
    expect(queue).toContain(owner.email);
    const approved = await send(`/staff/accounts/erasures/${request.id}/approve`, { cookie: second.cookie, form: {} });
    expect(approved.status).toBe(200);

    expect(await tenantExists(owner.tenantId)).toBe(false);
    expect((await logIn(owner.email)).response.status).toBe(401);
    expect(await tracesOf([userId, owner.email, owner.tenantId], ["closed_tenant_ledger"])).toEqual([]);
    // Once done, it cannot run again.
    expect(
      (await send(`/staff/accounts/erasures/${request.id}/approve`, { cookie: asker.cookie, form: {} })).status,
    ).toBe(404);

    // The workspace it was a member of survives and is told, with the approver, the asker and the reason.
    expect(await tenantExists(other.tenantId)).toBe(true);
    const trail = await auditPage(other.cookie);
    expect(trail).toContain("Support · Kim (CustomerTrackr)");
    expect(trail).toContain("Support erased an account (second admin approved)");
    expect(trail).toContain("asked_by: Sam");
    expect(trail).toContain("reason: Deletion request from [the address], identity checked");
    expect(trail).toContain("ticket: T-77");
  });

  it("answers 404 for an account that does not exist, and for a request that does not", async () => {
    const admin = await newStaff("admin");
    const id = newId(); // the shape of an account's id, no account's
    expect((await send(`/staff/accounts/${id}`, { cookie: admin.cookie })).status).toBe(404);
    expect((await send(`/staff/accounts/${id}/erase`, { cookie: admin.cookie, form: { reason: REASON } })).status).toBe(
      404,
    );
    expect((await send(`/staff/accounts/erasures/${id}/approve`, { cookie: admin.cookie, form: {} })).status).toBe(404);
  });
});
