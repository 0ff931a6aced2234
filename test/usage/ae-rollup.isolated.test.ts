/**
 * Production's usage rollup: the sink writes to Analytics Engine, so the cron reads each finished day back
 * through AE's SQL API (here the local fake in test/fake-analytics-engine.ts, which really groups the points
 * it was given) and writes the aggregates, sampling undone, into usage_daily, which the charts read. An outage
 * fails visibly and the day is retried; the only value in the SQL is a day the code made. Isolated: it runs
 * the cron at chosen days, which rolls up every workspace's usage.
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { runCron } from "../../src/cron";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { daySql } from "../../src/services/usage/ae-source";
import { rollUpDay } from "../../src/services/usage/rollup";
import { usageSourceFor } from "../../src/services/usage/source";
import { assertIsoDay } from "../../src/services/usage/usage-day";
import { loadStaffUsage } from "../../src/services/usage/staff-usage";
import { loadTeamUsage } from "../../src/services/usage/team-usage";
import { queryRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";

const FAKE = () => `http://127.0.0.1:${inject("fakeApiPort")}`;
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = "test-ae-sql-token-not-secret";
const DATASET = "usage_ae_rollup_test";

/** Production bindings, the SQL API at the fake; the dataset binding is a no-op (the points are seeded). */
const production = (over: Partial<Cloudflare.Env> = {}): Cloudflare.Env => ({
  ...env,
  ENVIRONMENT: "production",
  USAGE: { writeDataPoint() {} } as AnalyticsEngineDataset,
  USAGE_SQL_ACCOUNT_ID: ACCOUNT,
  USAGE_SQL_TOKEN: TOKEN,
  USAGE_DATASET: DATASET,
  USAGE_SQL_API_URL: `${FAKE()}/client/v4`,
  ...over,
});

interface Point {
  kind: string;
  name: string;
  tenantId: string;
  userId: string;
  day: string;
  seconds?: number;
  plan?: string;
  sampleInterval?: number;
}

/** Data points as the sink writes them (src/services/usage/sink.ts), with AE's sampling interval. */
async function seed(points: Point[], dataset = DATASET) {
  const body = {
    accountId: ACCOUNT,
    token: TOKEN,
    dataset,
    points: points.map((p) => ({
      blobs: [p.kind, p.name, p.tenantId, p.userId, p.plan ?? "team", p.day, "desktop"],
      doubles: [1, p.seconds ?? 0],
      sampleInterval: p.sampleInterval ?? 1,
    })),
  };
  expect((await fetch(`${FAKE()}/__ae/points`, { method: "POST", body: JSON.stringify(body) })).status).toBe(200);
}

const outage = (mode: "http" | "bad-json" | null) =>
  fetch(`${FAKE()}/__ae/outage`, { method: "POST", body: JSON.stringify({ accountId: ACCOUNT, mode }) });

const dailyOf = (tenantId: string, day: string) =>
  queryRows(
    `SELECT user_id, kind, name, device, plan, count, seconds FROM usage_daily WHERE tenant_id = ? AND day = ?
     ORDER BY kind, name`,
    tenantId,
    day,
  );
const rolledUp = async (day: string) =>
  (await queryRows("SELECT day FROM usage_rollups WHERE day = ?", day)).length === 1;

/** The SQL texts the fake's SQL API route received. */
async function sqlReceived(): Promise<string[]> {
  const all = (await (await fetch(`${FAKE()}/__received`)).json()) as { path: string; body: string }[];
  return all.filter((r) => r.path === `/client/v4/accounts/${ACCOUNT}/analytics_engine/sql`).map((r) => r.body);
}

async function userIdOf(tenantId: string) {
  const [row] = await queryRows<{ user_id: string }>("SELECT user_id FROM memberships WHERE tenant_id = ?", tenantId);
  return row!.user_id;
}

const morningAfter = (day: string) => Date.parse(`${day}T00:00:00Z`) + 86_400_000 + 60 * 60_000;

describe("the usage rollup in production (Analytics Engine)", () => {
  it("rolls a day's points into usage_daily with sampling undone, the same rows again, and the charts read them", async () => {
    const t = await newTenant("AE Rollup Co");
    const userId = await userIdOf(t.tenantId);
    const day = "2034-02-08"; // a Wednesday
    await seed([
      // Three stored page views, one standing for four (AE sampled it): six views.
      { kind: "page", name: "/app/contacts", tenantId: t.tenantId, userId, day },
      { kind: "page", name: "/app/contacts", tenantId: t.tenantId, userId, day },
      { kind: "page", name: "/app/contacts", tenantId: t.tenantId, userId, day, sampleInterval: 4 },
      // 30 s, and 10 s standing for five beacons: 6 beacons, 80 s.
      { kind: "time", name: "/app/contacts", tenantId: t.tenantId, userId, day, seconds: 30 },
      { kind: "time", name: "/app/contacts", tenantId: t.tenantId, userId, day, seconds: 10, sampleInterval: 5 },
      { kind: "feature", name: "deal.won", tenantId: t.tenantId, userId, day },
      // Another day's point, and points of a deleted user and an erased workspace: none of them in this day.
      { kind: "feature", name: "search.used", tenantId: t.tenantId, userId, day: "2034-02-07" },
      { kind: "feature", name: "deal.won", tenantId: t.tenantId, userId: "deleted-user", day },
      { kind: "feature", name: "deal.won", tenantId: "erased-workspace", userId, day },
    ]);

    const report = await runCron(production(), morningAfter(day));
    expect(report.failures).toEqual([]);
    expect(report.did.usageDays).toContain(day);
    const rows = await dailyOf(t.tenantId, day);
    const row = (kind: string, name: string, count: number, seconds: number) => ({
      user_id: userId,
      kind,
      name,
      device: "desktop",
      plan: "team",
      count,
      seconds,
    });
    expect(rows).toEqual([
      row("feature", "deal.won", 1, 0),
      row("page", "/app/contacts", 6, 0),
      row("time", "/app/contacts", 6, 80),
    ]);
    expect((await dailyOf(t.tenantId, "2034-02-07")).map((r) => r.name)).toEqual(["search.used"]);
    expect(
      await queryRows("SELECT 1 FROM usage_daily WHERE user_id = 'deleted-user' OR tenant_id = 'erased-workspace'"),
    ).toEqual([]);

    // Rolled up once by the cron; by hand again (twice), the same rows.
    const queries = (await sqlReceived()).length;
    expect((await runCron(production(), morningAfter(day) + 60_000)).did.usageDays).toBeUndefined();
    expect(await sqlReceived()).toHaveLength(queries);
    const db = createDb(env.DB);
    await rollUpDay(db, day, morningAfter(day), usageSourceFor(production()));
    await rollUpDay(db, day, morningAfter(day), usageSourceFor(production()));
    expect(await dailyOf(t.tenantId, day)).toEqual(rows);

    // What the owners' reports and the staff admins' page show comes from these rows.
    const team = await loadTeamUsage(scoped(db, t.tenantId), "2034-02-06", "2034-02-12");
    expect(team.weeks).toEqual([{ week: "2034-02-06", members: 1 }]);
    expect(team.features.find((f) => f.name === "deal.won")!.count).toBe(1);
    expect(team.features.find((f) => f.name === "search.used")!.count).toBe(1);
    const staff = await loadStaffUsage(db, Date.parse("2034-02-09T12:00:00Z"));
    expect(staff.weeks.find((w) => w.week === "2034-02-06")).toMatchObject({ workspaces: 1, users: 1 });
    expect(staff.areas).toEqual([{ area: "contacts", seconds: 80 }]);
  });

  it("fails visibly when the SQL API is down, answers garbage or refuses the token, and retries the day", async () => {
    const t = await newTenant("AE Outage Co");
    const userId = await userIdOf(t.tenantId);
    const day = "2034-06-14";
    await seed([{ kind: "feature", name: "task.completed", tenantId: t.tenantId, userId, day }]);
    const at = morningAfter(day);

    for (const [mode, expected] of [
      ["http", "answered 503"],
      ["bad-json", "answered no JSON"],
    ] as const) {
      await outage(mode);
      const report = await runCron(production(), at);
      expect(report.failures).toEqual([{ part: "usage", error: expect.stringContaining(expected) }]);
      expect(await rolledUp(day)).toBe(false);
      expect(await dailyOf(t.tenantId, day)).toEqual([]);
    }
    await outage(null);
    const wrongToken = await runCron(production({ USAGE_SQL_TOKEN: "not-the-token" }), at);
    expect(wrongToken.failures).toEqual([{ part: "usage", error: expect.stringContaining("answered 401") }]);
    // Production with the dataset bound but no way to read it back: a failure, not an empty day marked done.
    const unconfigured = await runCron(production({ USAGE_SQL_TOKEN: undefined }), at);
    expect(unconfigured.failures).toEqual([{ part: "usage", error: expect.stringContaining("USAGE_SQL_TOKEN") }]);
    expect(await rolledUp(day)).toBe(false);

    // The API is back: the next run rolls the day up.
    const next = await runCron(production(), at + 60_000);
    expect(next.failures).toEqual([]);
    expect(next.did.usageDays).toContain(day);
    expect((await dailyOf(t.tenantId, day)).map((r) => [r.name, r.count])).toEqual([["task.completed", 1]]);
  });

  it("puts only a day it made into the SQL, and the fake refuses SQL it cannot parse", async () => {
    expect((await runCron(production(), morningAfter("2034-09-20"))).failures).toEqual([]);
    for (const bad of ["2034-02-30", "2034-2-01", "2034-02-01' OR '1'='1", "2034-02-01\n", "", "/app/contacts?q=x"]) {
      expect(() => assertIsoDay(bad), bad).toThrow(/not a day/);
      expect(() => daySql(DATASET, bad), bad).toThrow(/not a day/);
      await expect(rollUpDay(createDb(env.DB), bad, Date.now(), usageSourceFor(production()))).rejects.toThrow(
        /not a day/,
      );
    }
    expect(() => daySql("usage; DROP", "2034-02-01")).toThrow(/dataset/);
    // Every statement the cron sent named the configured dataset and a YYYY-MM-DD day, nothing else.
    const sent = await sqlReceived();
    expect(sent.length).toBeGreaterThan(0);
    for (const text of sent) {
      expect(text).toBe(daySql(DATASET, text.match(/blob6 = '(\d{4}-\d{2}-\d{2})'/)![1]!));
    }
    // The fake is strict, like the API: a statement it does not understand is a 400, not an empty answer.
    const api = `${FAKE()}/client/v4/accounts/${ACCOUNT}/analytics_engine/sql`;
    const headers = { authorization: `Bearer ${TOKEN}` };
    for (const body of [
      "SELECT * FROM usage_ae_rollup_test FORMAT JSON",
      daySql(DATASET, "2034-02-08").replace("'2034-02-08'", "'2034-02-08' OR blob1 = 'x'"),
    ]) {
      expect((await fetch(api, { method: "POST", headers, body })).status, body).toBe(400);
    }
    expect((await fetch(api, { method: "POST", body: daySql(DATASET, "2034-02-08") })).status).toBe(401);
  });
});
