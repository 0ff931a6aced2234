/**
 * What "Needs attention" reads for a member of a workspace with a large overdue backlog: their own overdue tasks
 * and (in a workspace that shows members their own figures) their own deals past the close date, along their own
 * index, not every overdue task and past-due deal of the team. An admin still sees the team's.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { memberOf, newTenant } from "../helpers/tenants";
import { userIdOf } from "../tasks/helpers";

const BACKLOG = 1_500;
const LONG_AGO = "2024-01-15";

/** `count` open tasks of `assigneeId`, due LONG_AGO, in one statement. */
async function insertOverdueTasks(tenantId: string, assigneeId: string, count: number, title: string) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3)
     INSERT INTO tasks (tenant_id, title, title_sort, due_date, assignee_id, status, created_at, updated_at)
     SELECT ?1, ?4, lower(?4), ?5, ?2, 'open', ?6, ?6 FROM n`,
  )
    .bind(tenantId, assigneeId, count, title, LONG_AGO, Date.now())
    .run();
}

/** `count` open deals of `ownerId` in Lead, expected to close LONG_AGO, in one statement. */
async function insertPastDeals(tenantId: string, ownerId: string, count: number, name: string) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3)
     INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id, pipeline_id,
       stage_id, status, created_at, updated_at, last_activity_at)
     SELECT ?1, ?4, lower(?4), 1000, 'USD', ?5, ?5, ?2, s.pipeline_id, s.id, 'open', ?6, ?6, ?6
     FROM n JOIN pipeline_stages s ON s.tenant_id = ?1 AND s.name = 'Lead'`,
  )
    .bind(tenantId, ownerId, count, name, LONG_AGO, Date.now())
    .run();
}

/** /app as `cookie` sees it, and the rows SQLite read for the charts' statement (where needs attention is). */
async function dashboardReads(cookie: string) {
  const counting = countingDb();
  const res = await send("/app", { cookie, env: { DB: counting.binding } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const charts = counting.bound.filter((s) => s.sql.includes("tasks k") && s.sql.includes("json_array("));
  expect(charts.length).toBeGreaterThan(0);
  let rowsRead = 0;
  for (const s of charts) {
    const again = await env.DB.prepare(s.sql)
      .bind(...s.params)
      .all();
    rowsRead += again.meta.rows_read;
  }
  return { html, rowsRead };
}

describe("needs attention on a large backlog", () => {
  it("reads a member's own overdue tasks and past-due deals, not the team's backlog", async () => {
    const t = await newTenant("Backlog Co");
    const ownerId = await userIdOf(t.email);
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    await insertOverdueTasks(t.tenantId, ownerId, BACKLOG, "Team backlog task");
    await insertOverdueTasks(t.tenantId, memberId, 2, "Call the member's client");
    await insertPastDeals(t.tenantId, ownerId, BACKLOG, "Team backlog deal");
    await insertPastDeals(t.tenantId, memberId, 1, "Member's slipped deal");
    await env.DB.prepare("UPDATE tenants SET report_scope = 'own' WHERE id = ?").bind(t.tenantId).run();

    const theirs = await dashboardReads(member.cookie);
    expect(theirs.html).toMatch(/>\s*2 overdue tasks\s*</);
    expect(theirs.html).toContain("Call the member&#39;s client");
    expect(theirs.html).not.toContain("Team backlog task");
    expect(theirs.html).toMatch(/>\s*1 deal past the close date\s*</);
    expect(theirs.html).toContain("Member&#39;s slipped deal");
    expect(theirs.html).not.toContain("Team backlog deal");
    // Their own rows and the workspace's settings: not the 3,000 overdue tasks and past-due deals of the team,
    // each walked twice (the list and its count).
    expect(theirs.rowsRead).toBeLessThan(200);

    // The owner sees the team's: counted up to 100.
    const owners = await dashboardReads(t.cookie);
    expect(owners.html).toMatch(/>\s*100\+ overdue tasks\s*</);
    expect(owners.html).toMatch(/>\s*100\+ deals past the close date\s*</);
    expect(owners.html).toContain("Team backlog task");
  });

  it("reads a member's own overdue tasks when the workspace shows members the team's figures", async () => {
    const t = await newTenant("Team Backlog Co");
    const ownerId = await userIdOf(t.email);
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    await insertOverdueTasks(t.tenantId, ownerId, BACKLOG, "Team backlog task");
    await insertOverdueTasks(t.tenantId, memberId, 1, "The member's one task");
    await insertPastDeals(t.tenantId, ownerId, 3, "Team deal");

    const theirs = await dashboardReads(member.cookie);
    expect(theirs.html).toMatch(/>\s*1 overdue task\s*</);
    expect(theirs.html).toContain("The member&#39;s one task");
    // Team figures: the team's deals past the close date are theirs to see.
    expect(theirs.html).toMatch(/>\s*3 deals past the close date\s*</);
    expect(theirs.rowsRead).toBeLessThan(200);
  });
});
