/**
 * Staff admins' product usage (src/routes/staff/usage.tsx, /staff/usage in the staff console): active workspaces
 * and users per week, feature adoption, time per area, Free → Team conversions, across workspaces. Isolated:
 * it counts every workspace in the storage.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { loadStaffUsage } from "../../src/services/usage/staff-usage";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { newStaff } from "../staff/helpers";

const DAY = 86_400_000;
const NOW = Date.parse("2033-05-12T12:00:00Z"); // a Thursday; its week starts Monday 2033-05-09
const dayBefore = (n: number) => new Date(NOW - n * DAY).toISOString().slice(0, 10);

async function aggregate(
  tenantId: string,
  userId: string,
  day: string,
  plan: string,
  kind: string,
  name: string,
  seconds = 0,
) {
  await env.DB.prepare(
    `INSERT INTO usage_daily (tenant_id, day, user_id, kind, name, device, plan, count, seconds)
     VALUES (?, ?, ?, ?, ?, 'desktop', ?, 1, ?)`,
  )
    .bind(tenantId, day, userId, kind, name, plan, seconds)
    .run();
}

describe("staff usage", () => {
  it("counts active workspaces and users per week, adoption, time per area and conversions", async () => {
    const converting = await newTenant("Staff Usage Converting");
    const free = await newTenant("Staff Usage Free");
    const team = await newTenant("Staff Usage Team");
    // Converting: on Free ten days ago, on Team from three days ago (this week).
    await aggregate(converting.tenantId, "u1", dayBefore(10), "free", "page", "/app");
    await aggregate(converting.tenantId, "u1", dayBefore(3), "team", "feature", "deal.won");
    await aggregate(converting.tenantId, "u2", dayBefore(3), "team", "page", "/app/deals");
    await aggregate(free.tenantId, "u3", dayBefore(2), "free", "time", "/app/contacts/:id", 5400);
    await aggregate(free.tenantId, "u3", dayBefore(2), "free", "time", "/app/contacts", 1800);
    await aggregate(team.tenantId, "u4", dayBefore(1), "team", "time", "/app/deals/:id", 3600);

    const usage = await loadStaffUsage(createDb(env.DB), NOW);
    expect(usage.activeWorkspaces).toBe(3);
    const thisWeek = usage.weeks.find((w) => w.week === "2033-05-09")!;
    expect(thisWeek).toEqual({ week: "2033-05-09", workspaces: 3, users: 4, conversions: 1 });
    const lastWeek = usage.weeks.find((w) => w.week === "2033-05-02")!;
    expect(lastWeek).toEqual({ week: "2033-05-02", workspaces: 1, users: 1, conversions: 0 });
    expect(usage.weeks).toHaveLength(12);
    expect(usage.adoption.find((a) => a.name === "deal.won")).toEqual({
      name: "deal.won",
      workspaces: 1,
      share: 1 / 3,
    });
    expect(usage.adoption.find((a) => a.name === "import.committed")!.share).toBe(0);
    expect(usage.areas).toEqual([
      { area: "contacts", seconds: 7200 },
      { area: "deals", seconds: 3600 },
    ]);
  });

  it("does not count a trial as a conversion: only the first paid day after Free", async () => {
    const trying = await newTenant("Staff Usage Trying");
    await aggregate(trying.tenantId, "u6", "2033-04-20", "free", "page", "/app");
    await aggregate(trying.tenantId, "u6", dayBefore(9), "trial", "page", "/app"); // last week: a trial starts
    let usage = await loadStaffUsage(createDb(env.DB), NOW);
    const conversions = () => usage.weeks.reduce((n, w) => n + w.conversions, 0);
    const before = conversions();
    await aggregate(trying.tenantId, "u6", dayBefore(2), "team", "page", "/app"); // this week: it pays
    usage = await loadStaffUsage(createDb(env.DB), NOW);
    expect(conversions()).toBe(before + 1);
    expect(usage.weeks.find((w) => w.week === "2033-05-02")!.conversions).toBe(0);
  });

  it("shows staff admins the page with its charts, in the console", async () => {
    const t = await newTenant("Staff Usage Today");
    await aggregate(t.tenantId, "u5", new Date().toISOString().slice(0, 10), "free", "feature", "search.used");
    const admin = await newStaff("admin");
    expect((await send("/staff/usage", { cookie: (await newStaff("support")).cookie })).status).toBe(403);
    const res = await send("/staff/usage", { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const heading of [
      "Active workspaces and users per week",
      "Feature adoption",
      "Time spent per area",
      "Plan conversion: Free to Team",
    ]) {
      expect(html).toContain(heading);
    }
    expect(html).toContain("<svg");
  });
});
