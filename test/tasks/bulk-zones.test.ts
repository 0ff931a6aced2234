/**
 * Bulk rescheduling a colleague's timed task moves it to the day the reader chose, as their list shows it: the
 * time of day they see is kept, in their zone (as the edit form does), not the task's own zone's day.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { dateInZone, timeInZone } from "../../src/lib/zoned-time";
import { addTask, sectionOf, taskRow, todayIn, userIdOf } from "./helpers";

const LA = "America/Los_Angeles";

/** The date and wall time in `zone` at `ms`, as a reader there sees them. */
const wallIn = (ms: number, zone: string) => ({ date: dateInZone(ms, zone), time: timeInZone(ms, zone) });

describe("bulk rescheduling across zones", () => {
  it("puts a Berlin colleague's 08:00 task on the day a Los Angeles assignee chose, at the time they saw", async () => {
    const a = await newTenant("Bulk zones");
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin' WHERE email = ?").bind(a.email).run();
    const bob = await memberOf(a.tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = ? WHERE email = ?").bind(LA, bob.email).run();
    const bobId = await userIdOf(bob.email);
    const form = { due_date: "2031-06-10", due_time: "08:00", remind: "15", assignee: bobId };
    const task = await addTask(a.cookie, { title: "Berlin morning call", ...form });
    const day = await addTask(a.cookie, { title: "Berlin day task", due_date: "2031-06-10", assignee: bobId });
    // 08:00 in Berlin is 23:00 the evening before for Bob.
    expect(wallIn(task.due_at!, LA)).toEqual({ date: "2031-06-09", time: "23:00" });

    const bulk = (action: string, extra = "") =>
      send("/app/tasks/bulk", {
        cookie: bob.cookie,
        body: `ids=${task.id}&ids=${day.id}&action=${action}${extra}`,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        method: "POST",
      });
    expect((await bulk("date", "&date=2031-06-12")).status).toBe(303);
    const moved = (await taskRow(task.id))!;
    expect(wallIn(moved.due_at!, LA)).toEqual({ date: "2031-06-12", time: "23:00" });
    expect(moved.remind_at).toBe(moved.due_at! - 15 * 60_000);
    expect((await taskRow(day.id))!.due_date).toBe("2031-06-12");
    // Bob's list shows it on that day; Berlin reads it as the next morning's 08:00.
    expect(wallIn(moved.due_at!, "Europe/Berlin")).toEqual({ date: "2031-06-13", time: "08:00" });

    // "Next Monday" is Bob's next Monday, at the time he sees.
    const today = todayIn(LA);
    const weekday = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
    const monday = todayIn(LA, 8 - weekday);
    expect((await bulk("next_monday")).status).toBe(303);
    const onMonday = (await taskRow(task.id))!;
    expect(wallIn(onMonday.due_at!, LA)).toEqual({ date: monday, time: "23:00" });
    expect((await taskRow(day.id))!.due_date).toBe(monday);
    const upcoming = await textOf("/app/tasks", { cookie: bob.cookie });
    expect(sectionOf(upcoming, "upcoming") + sectionOf(upcoming, "later")).toContain("Berlin morning call");

    // Choosing the day it is already on for Bob changes nothing: the task keeps its own day, time and zone.
    const before = (await taskRow(task.id))!;
    expect((await bulk("date", `&date=${monday}`)).status).toBe(303);
    expect(await taskRow(task.id)).toMatchObject({
      due_date: before.due_date,
      due_time: before.due_time,
      due_at: before.due_at,
    });
  });
});
