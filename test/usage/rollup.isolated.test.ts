/**
 * The daily rollup and the retention of usage data, run by the cron at chosen times: a day's raw points
 * become per-workspace aggregates, re-running a day gives the same rows, raw points go after their days
 * (USAGE_RETENTION.rawEventDays, what /privacy states) and aggregates after 25 months, and what is younger stays.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { USAGE_RETENTION } from "../../src/services/usage/definitions";
import { rollUpDay } from "../../src/services/usage/rollup";
import { runCron } from "../helpers/cron";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function insertPoint(tenantId: string, userId: string, on: string, kind: string, name: string, seconds = 0) {
  await env.DB.prepare(
    `INSERT INTO usage_events (tenant_id, user_id, kind, name, plan, day, device, seconds, created_at)
     VALUES (?, ?, ?, ?, 'free', ?, 'desktop', ?, ?)`,
  )
    .bind(tenantId, userId, kind, name, on, seconds, Date.parse(`${on}T12:00:00Z`))
    .run();
}

const dailyOf = (tenantId: string) =>
  queryRows(
    "SELECT day, user_id, kind, name, device, plan, count, seconds FROM usage_daily WHERE tenant_id = ? ORDER BY day, kind, name",
    tenantId,
  );

async function userIdOf(tenantId: string) {
  const [row] = await queryRows<{ user_id: string }>("SELECT user_id FROM memberships WHERE tenant_id = ?", tenantId);
  return row!.user_id;
}

describe("the usage rollup", () => {
  it("makes a finished day's points into aggregates per workspace, and the same rows when run again", async () => {
    const t = await newTenant("Rollup Co");
    const userId = await userIdOf(t.tenantId);
    // A page view recorded by the app today, rolled up by the cron tomorrow.
    expect((await send("/app/contacts", { cookie: t.cookie })).status).toBe(200);
    expect((await send("/app/contacts", { cookie: t.cookie })).status).toBe(200);
    expect(
      (await send("/app/usage/beacon", { cookie: t.cookie, form: { route: "/app/contacts", seconds: "30" } })).status,
    ).toBe(204);
    expect(
      (await send("/app/usage/beacon", { cookie: t.cookie, form: { route: "/app/contacts", seconds: "12" } })).status,
    ).toBe(204);
    const today = day(Date.now());
    const tomorrowMorning = Date.parse(`${today}T00:00:00Z`) + DAY + 60 * 60_000;
    await runCron(tomorrowMorning);
    const first = await dailyOf(t.tenantId);
    expect(first).toEqual([
      {
        day: today,
        user_id: userId,
        kind: "page",
        name: "/app/contacts",
        device: "desktop",
        plan: "free",
        count: 2,
        seconds: 0,
      },
      {
        day: today,
        user_id: userId,
        kind: "time",
        name: "/app/contacts",
        device: "desktop",
        plan: "free",
        count: 2,
        seconds: 42,
      },
    ]);
    // The cron does not roll a day up twice; rolling it up again by hand replaces it with the same rows.
    await runCron(tomorrowMorning + 60_000);
    await rollUpDay(createDb(env.DB), today, tomorrowMorning + 120_000);
    await rollUpDay(createDb(env.DB), today, tomorrowMorning + 180_000);
    expect(await dailyOf(t.tenantId)).toEqual(first);
  });

  it("does not roll up a day that has not ended", async () => {
    const t = await newTenant("Rollup Unfinished Co");
    const userId = await userIdOf(t.tenantId);
    const now = Date.parse("2031-03-10T18:00:00Z");
    await insertPoint(t.tenantId, userId, "2031-03-10", "feature", "deal.won");
    await runCron(now);
    expect(await dailyOf(t.tenantId)).toEqual([]);
    await runCron(Date.parse("2031-03-11T01:00:00Z"));
    expect((await dailyOf(t.tenantId)).map((r) => r.name)).toEqual(["deal.won"]);
  });
});

describe("usage retention", () => {
  it("deletes raw points past their days and aggregates past 25 months, and keeps the rest", async () => {
    const t = await newTenant("Usage Retention Co");
    const userId = await userIdOf(t.tenantId);
    const now = Date.parse("2032-06-15T03:00:00Z");
    const rawDays = USAGE_RETENTION.rawEventDays;
    await insertPoint(t.tenantId, userId, day(now - (rawDays + 1) * DAY), "page", "/app/tasks");
    await insertPoint(t.tenantId, userId, day(now - (rawDays - 1) * DAY), "page", "/app/deals");
    const aggregate = (on: string, name: string) =>
      env.DB.prepare(
        `INSERT INTO usage_daily (tenant_id, day, user_id, kind, name, device, plan, count, seconds)
         VALUES (?, ?, ?, 'page', ?, 'desktop', 'free', 1, 0)`,
      )
        .bind(t.tenantId, on, userId, name)
        .run();
    await aggregate("2030-05-14", "/app/old"); // 25 months and a day before
    await aggregate("2030-05-16", "/app/kept"); // just within 25 months
    await runCron(now);
    const raw = await queryRows<{ name: string }>("SELECT name FROM usage_events WHERE tenant_id = ?", t.tenantId);
    expect(raw.map((r) => r.name)).toEqual(["/app/deals"]);
    const names = (await dailyOf(t.tenantId)).map((r) => r.name);
    expect(names).toContain("/app/kept");
    expect(names).not.toContain("/app/old");
  });
});
