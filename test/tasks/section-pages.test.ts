/** A section of My tasks opened alone ("Show all"): its pages, each task once, with a next link until the end. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { insertContact } from "../companies/helpers";
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

const titles = (html: string) => [...html.matchAll(/class="task-title">(?:<s>)?(Old \d{3})</g)].map((m) => m[1]!);
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

describe("Done", () => {
  it("lists the latest completed first, whatever their due dates, on the page and over the pages of Show all", async () => {
    const t = await newTenant("Done order");
    const me = await userIdOf(t.email);
    // 250 done tasks due on three days, completed in an order of their own (37 · i mod 250 seconds after `base`).
    const base = Date.UTC(2026, 0, 5);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
       INSERT INTO tasks (tenant_id, title, title_sort, due_date, assignee_id, status, completed_at, completed_by,
         created_at, updated_at)
       SELECT ?1, 'Old ' || printf('%03d', i), 'old ' || printf('%03d', i), date('2024-01-15', '+' || (i % 3) || ' days'),
         ?2, 'done', ?3 + (37 * i % 250) * 1000, ?2, ?3, ?3 FROM n`,
    )
      .bind(t.tenantId, me, base)
      .run();
    const latestFirst = Array.from({ length: 250 }, (_, k) => k + 1)
      .sort((a, b) => ((37 * b) % 250) - ((37 * a) % 250))
      .map((i) => `Old ${String(i).padStart(3, "0")}`);

    const page = sectionOf(await textOf("/app/tasks", { cookie: t.cookie }), "done");
    expect(titles(page)).toEqual(latestFirst.slice(0, 3));
    const first = sectionOf(await textOf("/app/tasks?section=done", { cookie: t.cookie }), "done");
    expect(titles(first)).toEqual(latestFirst.slice(0, 200));
    const next = nextHref(first);
    expect(next).toMatch(/^\/app\/tasks\?assignee=me&section=done&after=\d+_\d+$/);
    const second = sectionOf(await textOf(next!, { cookie: t.cookie }), "done");
    expect(titles(second)).toEqual(latestFirst.slice(200));
    expect(nextHref(second)).toBeNull();
    // One record's done tasks (every fiftieth), in the same order.
    const contact = await insertContact(t.tenantId, "Done", "Record");
    await env.DB.prepare(
      "UPDATE tasks SET subject_type = 'contact', subject_id = ? WHERE tenant_id = ? AND CAST(substr(title, 5) AS INTEGER) % 50 = 0",
    )
      .bind(contact, t.tenantId)
      .run();
    const record = `/app/tasks?record=contact:${contact}&assignee=all&section=done`;
    const fiftieths = latestFirst.filter((title) => Number(title.slice(4)) % 50 === 0);
    expect(fiftieths).toHaveLength(5);
    expect(titles(sectionOf(await textOf(record, { cookie: t.cookie }), "done"))).toEqual(fiftieths);
  });
});
