/**
 * Numbers and dates read as the reader writes them on every part of a page, the parts htmx fetches on their own
 * included: a German reader sees "1.234 deals", a Los Angeles reader a task due at 08:00 in Berlin on the day before.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addTask } from "../tasks/helpers";
import { insertDeal } from "../deals/data-helpers";

const setReader = (email: string, zone: string, locale: string) =>
  env.DB.prepare("UPDATE users SET time_zone = ?, locale = ? WHERE email = ?").bind(zone, locale, email).run();

describe("what a reader in another zone and locale sees", () => {
  it("the header search gives a timed task's day in the reader's zone, written in their locale", async () => {
    const w = await newTenant("Reader Search Co");
    await setReader(w.email, "Europe/Berlin", "en-GB");
    await addTask(w.cookie, { title: "Call the brewery", due_date: "2030-06-10", due_time: "08:00" });
    // 08:00 in Berlin is 23:00 the evening before in Los Angeles.
    await setReader(w.email, "America/Los_Angeles", "en-US");
    const box = await textOf("/app/search?q=brewery", {
      cookie: w.cookie,
      headers: { "HX-Request": "true", "HX-Target": "global-results" },
    });
    expect(box).toContain("Due 6/9/2030");
    expect(box).not.toContain("2030-06-10");
  });

  it("the deals list and the dashboard count in the reader's digits", async () => {
    const w = await newTenant("Reader Count Co");
    await insertDeal(w.tenantId, { name: "Seed", amountMinor: 100 });
    // 1,233 more open deals like it, with their kept totals.
    await env.DB.batch([
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1233)
         INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_key, pipeline_id, stage_id, status,
           created_at, updated_at, last_activity_at)
         SELECT d.tenant_id, 'Deal ' || i, 'deal ' || i, 100, 'USD', '9999-12-31', d.pipeline_id, d.stage_id, 'open',
           d.created_at, d.updated_at, d.last_activity_at FROM n, deals d WHERE d.tenant_id = ?1`,
      ).bind(w.tenantId),
      env.DB.prepare("UPDATE deal_stage_totals SET deals = 1234, amount_minor = 123400 WHERE tenant_id = ?").bind(
        w.tenantId,
      ),
    ]);
    await setReader(w.email, "Europe/Berlin", "de-DE");
    expect(await textOf("/app/deals/list", { cookie: w.cookie })).toContain("1.234 deals match.");
    expect(await textOf("/app", { cookie: w.cookie })).toMatch(/in 1\.234 open\s+deals/);
  });

  it("the privacy page's export list, polled while a copy is prepared, keeps the reader's zone", async () => {
    const w = await newTenant("Reader Poll Co");
    await setReader(w.email, "America/Los_Angeles", "en-US");
    const asked = await send("/app/settings/privacy/export", { cookie: w.cookie, form: {} });
    expect(asked.status).toBe(303);
    const part = await textOf("/app/settings/privacy?part=exports", {
      cookie: w.cookie,
      headers: { "HX-Request": "true" },
    });
    expect(part).toMatch(/Asked/);
    expect(part).toMatch(/P[SD]T/);
    expect(part).not.toContain("UTC");
  });
});
