/**
 * Copy a visitor reads: the landing page's pricing only where billing is configured, and waits said in words
 * ("30 seconds", "1 minute"), never "about 1 minutes".
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS, limitKey } from "../../src/auth/rate-limit";
import { randomIp, send, textOf } from "../helpers/http";

/** A server without Stripe configured, as `npm run dev` and wrangler.toml start it. */
const UNCONFIGURED = { STRIPE_SECRET_KEY: "", STRIPE_PRICE_MONTHLY: "", STRIPE_PRICE_YEARLY: "" };

/** Sets a limit's counter as if `count` events came in a window that ends in `secondsLeft`. */
async function counted(key: string, count: number, windowMs: number, secondsLeft: number) {
  await env.DB.prepare(
    "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count",
  )
    .bind(key, Date.now() - windowMs + secondsLeft * 1000, count)
    .run();
}

describe("the landing page's pricing", () => {
  it("without billing configured: no price, no trial, no Free limits; it says there are no plans", async () => {
    const html = await textOf("/", { env: UNCONFIGURED });
    expect(html).toContain('aria-labelledby="pricing-heading"');
    expect(html).toContain("This server has no paid plans");
    for (const sold of ["$29", "$290", "day free trial", "Up to 1,000,000 contacts", "per month"])
      expect(html).not.toContain(sold);
  });

  it("with billing configured: the prices and limits", async () => {
    const html = await textOf("/");
    expect(html).toContain("$29");
    expect(html).not.toContain("This server has no paid plans");
  });
});

describe("waits said in words", () => {
  it("a 429 page with half a minute left says 30 seconds", async () => {
    const ip = randomIp();
    await counted(limitKey(LIMITS.consentPerIp, ip), LIMITS.consentPerIp.max, LIMITS.consentPerIp.windowMs, 30);
    const res = await send("/consent", { form: { analytics: "reject" }, ip });
    expect(res.status).toBe(429);
    const html = await res.text();
    expect(html).toMatch(/Try again in about (29|30) seconds\./);
    expect(html).not.toContain("minutes");
  });

  it("a refused sign-up with under a minute left says 1 minute", async () => {
    const ip = randomIp();
    await counted(limitKey(LIMITS.signupPerIp, ip), LIMITS.signupPerIp.max, LIMITS.signupPerIp.windowMs, 30);
    const res = await send("/signup", {
      ip,
      form: {
        email: `late-${Date.now().toString(36)}@example.com`,
        password: "violet tractor sandwich 42",
        company_name: "Late Ltd",
        age_confirmed: "on",
        accept_terms: "on",
      },
    });
    expect(res.status).toBe(429);
    const html = await res.text();
    expect(html).toContain("Please try again in 1 minute.");
    expect(html).not.toContain("1 minutes");
  });
});
