/**
 * "Closing this month" on the dashboard is the reader's month, as its charts' periods are: at 17:00 on 31 January
 * in Los Angeles it is already February in UTC, and the reader still sees January's deals.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { insertDeal } from "../deals/data-helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

/** The "Closing this month" card: the section labelled by its heading. */
function closingCard(html: string): string {
  const at = html.indexOf('id="closing-heading"');
  expect(at, "the closing card").toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf("</section>", at));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("closing this month", () => {
  it("lists the deals of the reader's month, not UTC's", async () => {
    // 17:00 on 31 January 2026 in Los Angeles (PST, UTC-8) is 01:00 on 1 February in UTC. Only Date is faked.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-02-01T01:00:00Z"));
    const t = await newTenant("Los Angeles Co");
    await env.DB.prepare("UPDATE users SET time_zone = 'America/Los_Angeles' WHERE email = ?").bind(t.email).run();
    await insertDeal(t.tenantId, { name: "Signs tonight", amountMinor: 100_000, closeDate: "2026-01-31" });
    await insertDeal(t.tenantId, { name: "Next month's renewal", amountMinor: 200_000, closeDate: "2026-02-02" });

    const res = await send("/app", { cookie: t.cookie });
    expect(res.status).toBe(200);
    const card = closingCard(await res.text());
    expect(card).toContain("Signs tonight");
    expect(card).not.toContain("Next month&#39;s renewal");
    expect(card).not.toContain("Next month's renewal");
  });
});
