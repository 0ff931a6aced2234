/**
 * Correcting an account's address from the console is a takeover if one person can do it (the reset link then goes
 * to the new address), so it follows the two-person rule of erasure: a staff member asks, nothing changes, and only a
 * different staff admin's approval in the queue runs it. Tried as the staff, the owner and whoever holds the new address.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, textOf, uniqueEmail } from "../helpers/http";
import { lastMail, mailTo } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { newStaff } from "./helpers";

const REASON = "Verified request by mail from the account holder";
const QUEUE = "/staff/accounts/erasures";

const one = <T>(sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<T>();

async function account(label: string) {
  const owner = await newTenant(`${label} Ltd`);
  const { id } = (await one<{ id: string }>("SELECT id FROM users WHERE email = ?", owner.email))!;
  return { owner, userId: id };
}

const addressOf = async (userId: string) =>
  (await one<{ email: string }>("SELECT email FROM users WHERE id = ?", userId))!.email;

const requestIdFor = async (userId: string) =>
  (await one<{ id: string }>(
    "SELECT id FROM account_actions WHERE target_user_id = ? AND kind = 'correct_email' ORDER BY created_at DESC",
    userId,
  ))!.id;

const ask = (cookie: string, userId: string, newEmail: string) =>
  send(`/staff/accounts/${userId}/email`, { cookie, form: { new_email: newEmail, reason: REASON, ticket: "T-9" } });

describe("correcting an account's address from the console", () => {
  it("changes nothing when one staff member asks: no reset link reaches the new address, the owner still signs in", async () => {
    const { owner, userId } = await account("Takeover");
    const support = await newStaff("support", "Alex");
    const admin = await newStaff("admin", "Alex");
    const attacker = uniqueEmail("attacker");

    // Support staff cannot ask at all: an admin may add support staff, and would then be both asker and approver.
    expect((await ask(support.cookie, userId, attacker)).status).toBe(403);
    expect(await one("SELECT 1 AS x FROM account_actions WHERE target_user_id = ?", userId)).toBeNull();
    const asked = await ask(admin.cookie, userId, attacker);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Nothing changes until a second staff admin approves it");
    expect(await addressOf(userId)).toBe(owner.email);

    // Whoever holds the new address gets no confirmation link, and asking for a reset there sends nothing.
    expect((await send("/password/forgot", { form: { email: attacker } })).status).toBeLessThan(400);
    expect(await mailTo(attacker)).toEqual([]);
    expect((await logIn(attacker, GOOD_PASSWORD)).response.status).toBe(401);
    expect((await logIn(owner.email, GOOD_PASSWORD)).response.status).toBe(303);

    // The account page says it waits, and offers no second request meanwhile.
    const page = await textOf(`/staff/accounts/${userId}`, { cookie: admin.cookie });
    expect(page).toContain("Waiting for a second admin: asked by Alex");
    expect(page).not.toContain(`action="/staff/accounts/${userId}/email"`);
    // Support staff can neither see the queue nor approve.
    const id = await requestIdFor(userId);
    expect((await send(QUEUE, { cookie: support.cookie })).status).toBe(403);
    expect((await send(`${QUEUE}/${id}/approve`, { cookie: support.cookie, form: {} })).status).toBe(403);
    expect(await addressOf(userId)).toBe(owner.email);
  });

  it("runs only when a different staff admin approves it in the queue; the asker's own approval is refused", async () => {
    const { owner, userId } = await account("Corrected");
    const asker = await newStaff("admin", "Sam");
    const second = await newStaff("admin", "Kim");
    const corrected = uniqueEmail("corrected");

    expect((await ask(asker.cookie, userId, corrected)).status).toBe(200);
    const id = await requestIdFor(userId);
    const own = await send(`${QUEUE}/${id}/approve`, { cookie: asker.cookie, form: {} });
    expect(own.status).toBe(403);
    expect(await own.text()).toContain("A second admin must approve");
    expect(await addressOf(userId)).toBe(owner.email);
    expect(await mailTo(corrected)).toEqual([]);

    const queue = await textOf(QUEUE, { cookie: second.cookie });
    expect(queue).toContain("Requests waiting for a second admin");
    expect(queue).toContain(`Correct the address to ${corrected}`);
    expect(queue).toContain(owner.email);

    const approved = await send(`${QUEUE}/${id}/approve`, { cookie: second.cookie, form: {} });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain(`Corrected to ${corrected}.`);
    expect(await one("SELECT email, email_verified_at FROM users WHERE id = ?", userId)).toEqual({
      email: corrected,
      email_verified_at: null,
    });
    expect((await lastMail(corrected, "verify_email")).text_body).toContain("/verify-email/");
    expect((await lastMail(owner.email, "email_changed")).text_body).toContain(`has been changed to ${corrected}`);
    // Done once: approving again finds nothing.
    expect((await send(`${QUEUE}/${id}/approve`, { cookie: second.cookie, form: {} })).status).toBe(404);

    // The workspace's trail names the approver as actor, the asker and the reason.
    const signedIn = await logIn(corrected, GOOD_PASSWORD);
    expect(signedIn.response.status).toBe(303);
    const trail = await textOf("/app/settings/audit", { cookie: signedIn.cookie });
    expect(trail).toContain("Support · Kim (CustomerTrackr)");
    expect(trail).toContain("Support corrected an email address (on request)");
    expect(trail).toContain("asked_by: Sam");
    expect(trail).toContain(`reason: ${REASON}`);
  });

  it("refuses a taken address when asked, and drops a request a day old unapproved", async () => {
    const { owner, userId } = await account("Expired");
    const taken = (await newTenant("Taken Ltd")).email;
    const asker = await newStaff("admin", "Alex");
    const admin = await newStaff("admin", "Kim");

    const clash = await ask(asker.cookie, userId, taken);
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("Another account has this address.");
    expect(await one("SELECT 1 AS x FROM account_actions WHERE target_user_id = ?", userId)).toBeNull();

    const later = uniqueEmail("later");
    expect((await ask(asker.cookie, userId, later)).status).toBe(200);
    const id = await requestIdFor(userId);
    await env.DB.prepare("UPDATE account_actions SET created_at = ? WHERE id = ?")
      .bind(Date.now() - 24 * 60 * 60 * 1000 - 1, id)
      .run();
    expect(await textOf(QUEUE, { cookie: admin.cookie })).not.toContain(later);
    expect((await send(`${QUEUE}/${id}/approve`, { cookie: admin.cookie, form: {} })).status).toBe(404);
    expect(await addressOf(userId)).toBe(owner.email);
    // Once expired, it can be asked again.
    expect((await ask(asker.cookie, userId, later)).status).toBe(200);
  });
});
