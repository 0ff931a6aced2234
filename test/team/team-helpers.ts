/** Team fixtures built through the real invitation flow; the token is read from the queued email. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Role } from "../../src/db/schema";
import { cookieHeader, GOOD_PASSWORD, send, signUp, uniqueEmail } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

/**
 * Marks an address verified directly in the database. Verification has its own flow and tests;
 * here it is only the precondition for inviting.
 */
export async function markVerified(email: string): Promise<void> {
  await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), email).run();
}

/** A new workspace whose owner has a verified address and may invite. */
export async function verifiedOwner(companyName = "Team Co") {
  const owner = await newTenant(companyName);
  await markVerified(owner.email);
  const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(owner.email).first<{ id: string }>();
  return { ...owner, userId: user!.id, companyName };
}

/** Invites an address through the team page's form; expects the redirect back to the team page. */
export async function invite(cookie: string, email: string, role: string = "member") {
  const res = await send("/app/settings/team/invitations", { cookie, form: { email, role } });
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get("Location")).toBe("/app/settings/team?notice=invited");
  return res;
}

/** The newest invitation email to an address: its outbox row and the token in its link. */
export async function invitationMailTo(email: string) {
  const mail = await env.DB.prepare(
    "SELECT id, tenant_id AS tenantId, subject, text_body AS text FROM email_outbox WHERE to_address = ? AND kind = 'invitation' ORDER BY rowid DESC LIMIT 1",
  )
    .bind(email)
    .first<{ id: string; tenantId: string; subject: string; text: string }>();
  if (!mail) throw new Error(`no invitation email to ${email}`);
  const token = mail.text.match(/http:\/\/localhost\/invite\/([a-z0-9]+)/)?.[1];
  if (!token) throw new Error(`no invitation link in: ${mail.text}`);
  return { ...mail, token };
}

/** A verified owner who has invited a new address (as a member): the owner, the address, its link's token. */
export async function pendingInvitation(emailPrefix: string, companyName?: string) {
  const owner = await verifiedOwner(companyName);
  const email = uniqueEmail(emailPrefix);
  await invite(owner.cookie, email);
  const { token } = await invitationMailTo(email);
  return { owner, email, token };
}

/** Accepts an invitation by creating the account on the invitation page; returns the new browser cookie. */
export async function acceptWithNewAccount(token: string, password = GOOD_PASSWORD) {
  const res = await send(`/invite/${token}`, { form: { password, age_confirmed: "on", accept_terms: "on" } });
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get("Location")).toBe("/app");
  return cookieHeader(res);
}

/** A new user who joined `owner`'s workspace with `role` through a real invitation, signed in there. */
export async function invitedMember(
  owner: { cookie: string },
  role: Exclude<Role, "owner">,
  email = uniqueEmail(role),
) {
  await invite(owner.cookie, email, role);
  const { token } = await invitationMailTo(email);
  const cookie = await acceptWithNewAccount(token);
  const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return { email, cookie, userId: user!.id };
}

/** An existing user with a workspace of their own who then joins `owner`'s workspace through an invitation. */
export async function invitedExistingUser(owner: { cookie: string }, role: Exclude<Role, "owner">) {
  const user = await signUp({ company_name: "Their Own Co" });
  await invite(owner.cookie, user.email, role);
  const { token } = await invitationMailTo(user.email);
  const res = await send(`/invite/${token}`, { cookie: user.cookie, form: {} });
  expect(res.status).toBe(303);
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(user.email).first<{ id: string }>();
  return { ...user, userId: row!.id };
}

/** A member's role in a workspace, or null when they are not a member. */
export async function roleIn(tenantId: string, userId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT role FROM memberships WHERE tenant_id = ? AND user_id = ?")
    .bind(tenantId, userId)
    .first<{ role: string }>();
  return row?.role ?? null;
}

/** The audit entries of a workspace with an action, oldest first. */
export async function auditEntries(tenantId: string, action: string) {
  const rows = await env.DB.prepare(
    "SELECT actor_user_id AS actorUserId, target_id AS targetId, target_label AS targetLabel, detail FROM audit_log WHERE tenant_id = ? AND action = ? ORDER BY id",
  )
    .bind(tenantId, action)
    .all<{ actorUserId: string | null; targetId: string | null; targetLabel: string | null; detail: string | null }>();
  return rows.results;
}

/** Row counts of every table the team flows write. */
export async function teamCounts() {
  const tables = ["users", "memberships", "sessions", "invitations", "email_outbox", "audit_log"] as const;
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await env.DB.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>())!.n;
  return out;
}

/** Snapshot of the invitations and memberships tables, to prove a refused request changed nothing. */
export async function teamState() {
  const invitations = await env.DB.prepare("SELECT * FROM invitations ORDER BY id").all();
  const memberships = await env.DB.prepare("SELECT * FROM memberships ORDER BY tenant_id, user_id").all();
  const sessions = await env.DB.prepare("SELECT id, tenant_id, user_id FROM sessions ORDER BY id").all();
  return { invitations: invitations.results, memberships: memberships.results, sessions: sessions.results };
}

/** The error message rendered beside a field, found through its aria-describedby link. */
export function fieldError(html: string, id: string): string | null {
  const control = html.match(new RegExp(`<(?:input|select)[^>]*id="${id}"[^>]*>`))?.[0];
  const describedBy = control?.match(/aria-describedby="([^"]*)"/)?.[1]?.split(" ") ?? [];
  if (!control || !describedBy.includes(`${id}-error`) || !control.includes(`aria-invalid="true"`)) return null;
  return html.match(new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`))?.[1] ?? null;
}
