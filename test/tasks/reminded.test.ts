/** A task made through the forms reaches the reminder sweep: the bell rings for its assignee. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runCron } from "../helpers/cron";
import { textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addTask } from "./helpers";

describe("a task's reminder", () => {
  it("is swept at its time and shows in the bell, once; a completed task's never", async () => {
    const a = await newTenant("Reminded");
    const now = Date.now();
    const day = new Date(now + 86_400_000).toISOString().slice(0, 10);
    const task = await addTask(a.cookie, { title: "Ring the bell", due_date: day, due_time: "10:00", remind: "60" });
    const done = await addTask(a.cookie, { title: "Already done", due_date: day, due_time: "10:00", remind: "60" });
    expect(new Date(task.remind_at!).toISOString()).toBe(`${day}T09:00:00.000Z`);
    await textOf(`/app/tasks/${done.id}/complete`, { cookie: a.cookie, form: {} });
    await runCron(task.remind_at! - 60_000);
    const before = await textOf("/app/notifications/count", { cookie: a.cookie });
    expect(before).toContain("no unread notifications");
    await runCron(task.remind_at!);
    await runCron(task.remind_at! + 60_000);
    const after = await textOf("/app/notifications/count", { cookie: a.cookie });
    expect(after).toContain("1 unread notification");
    const rows = await env.DB.prepare("SELECT title FROM notifications WHERE tenant_id = ?").bind(a.tenantId).all();
    expect(rows.results).toHaveLength(1);
    expect(JSON.stringify(rows.results)).toContain("Ring the bell");
  });
});
