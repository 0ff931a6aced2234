/** Builds teams for role tests until invitations exist: real sign-ups, then a membership row. */
import { env } from "cloudflare:workers";
import type { Role } from "../../src/db/schema";
import { signUp } from "./http";

/** Signs up a tenant and returns its owner's cookie, email and tenant id. */
export async function newTenant(companyName = "Tenant Co") {
  const owner = await signUp({ company_name: companyName });
  const row = await env.DB.prepare(
    "SELECT m.tenant_id AS tenantId FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?",
  )
    .bind(owner.email)
    .first<{ tenantId: string }>();
  return { ...owner, tenantId: row!.tenantId };
}

/** A user who is a member of `tenantId` with `role`, signed in with that tenant active. */
export async function memberOf(tenantId: string, role: Role) {
  const user = await signUp({ company_name: `Own workspace of a ${role}` });
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) SELECT ?, id, ?, ?, ? FROM users WHERE email = ?",
    ).bind(tenantId, role, now, now, user.email),
    env.DB.prepare("UPDATE sessions SET tenant_id = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)").bind(
      tenantId,
      user.email,
    ),
  ]);
  return user;
}

/** Confirms the signed-in account's address, as its emailed link would: API keys, webhooks and feeds need it. */
export async function confirmAddressOf(cookie: string): Promise<void> {
  const token = decodeURIComponent(/__Host-session=([^;]+)/.exec(cookie)?.[1] ?? "");
  await env.DB.prepare(
    "UPDATE users SET email_verified_at = coalesce(email_verified_at, ?) WHERE id = (SELECT user_id FROM sessions WHERE id = ?)",
  )
    .bind(Date.now(), token.split(".")[0] ?? "")
    .run();
}
