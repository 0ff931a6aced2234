/**
 * Every form that asks for the password again (email, password, deletion, closing the workspace, handing it over)
 * draws on one budget per account, counted before the password is checked: a stolen session cannot guess through
 * the form with its own budget, nor by sending many guesses at once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, uniqueEmail } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return row!.id;
}

async function ownersOf(tenantId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT user_id AS userId FROM memberships WHERE tenant_id = ? AND role = 'owner'")
    .bind(tenantId)
    .all<{ userId: string }>();
  return rows.results.map((r) => r.userId);
}

async function closedAt(tenantId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT closed_at AS closedAt FROM tenants WHERE id = ?")
    .bind(tenantId)
    .first<{ closedAt: number | null }>();
  return row!.closedAt;
}

describe("one budget for the re-entered password", () => {
  it("closing the workspace and handing it over are refused, even with the right password, once the budget is spent", async () => {
    const owner = await newTenant("Budget Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const ownerId = await userIdOf(owner.email);
    // Ten guesses through the email form use the account's budget up.
    const next = uniqueEmail("taker");
    for (let i = 0; i < 10; i++) {
      const res = await send("/app/settings/profile/email", {
        cookie: owner.cookie,
        form: { email: next, password: `guess ${i}` },
      });
      expect(res.status).toBe(422);
    }

    const transfer = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: await userIdOf(admin.email), password: GOOD_PASSWORD },
    });
    expect(transfer.status).toBe(429);
    expect(Number(transfer.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await ownersOf(owner.tenantId)).toEqual([ownerId]);

    const close = await send("/app/settings/close", {
      cookie: owner.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
    });
    expect(close.status).toBe(429);
    expect(await close.text()).toContain("Too many wrong passwords");
    expect(await closedAt(owner.tenantId)).toBeNull();
  });

  it("guesses sent all at once to the transfer form get at most 10 password checks", async () => {
    const owner = await newTenant("Burst Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const target = await userIdOf(admin.email);
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        send("/app/settings/team/transfer", {
          cookie: owner.cookie,
          form: { user_id: target, password: `burst guess ${i}` },
        }).then((r) => r.status),
      ),
    );
    const checked = statuses.filter((s) => s === 422).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBe(16 - checked);
  });
});
