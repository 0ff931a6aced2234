/** A section of My tasks opened alone ("Show all"): its pages, each task once, with a next link until the end. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { sectionOf, userIdOf } from "./helpers";

/** `count` open tasks of `assigneeId`, "Old 001"…, due on three days long past (so a page ends inside a day). */
async function insertOverdueTasks(tenantId: string, assigneeId: string, count: number) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
     INSERT INTO tasks (tenant_id, title, title_sort, due_date, assignee_id, status, created_at, updated_at)
     SELECT ?1, 'Old ' || printf('%03d', i), 'old ' || printf('%03d', i), date('2024-01-15', '+' || (i % 3) || ' days'),
       ?2, 'open', ?4, ?4 FROM n`,
  )
    .bind(tenantId, assigneeId, count, Date.now())
    .run();
}

const titles = (html: string) => [...html.matchAll(/class="task-title">(Old \d{3})</g)].map((m) => m[1]!);
const nextHref = (html: string) => html.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, "&") ?? null;

describe("a section shown alone", () => {
  it("pages 250 overdue tasks 200 at a time, with a next link to the other 50 and an honest count", async () => {
    const t = await newTenant("Task pages");
    await insertOverdueTasks(t.tenantId, await userIdOf(t.email), 250);

    const first = sectionOf(await textOf("/app/tasks?assignee=all&section=overdue", { cookie: t.cookie }), "overdue");
    expect(first).toContain('<span class="count">(250)</span>');
    const one = titles(first);
    expect(one).toHaveLength(200);
    const next = nextHref(first);
    expect(next).toMatch(/^\/app\/tasks\?assignee=all&section=overdue&after=/);

    const second = sectionOf(await textOf(next!, { cookie: t.cookie }), "overdue");
    const two = titles(second);
    expect(two).toHaveLength(50);
    expect(nextHref(second)).toBeNull();
    expect(second).toContain("First page");
    // Every task once, over the two pages.
    expect(new Set([...one, ...two]).size).toBe(250);
  });
});
