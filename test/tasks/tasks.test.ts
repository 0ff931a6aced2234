/** Tasks as a user meets them: adding, My tasks by day in their zone, completing with undo, recurring, the badge. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { insertContact } from "../companies/helpers";
import { addTask, sectionOf, taskRow, todayIn, userIdOf } from "./helpers";

const HX = { "HX-Request": "true" };

describe("my tasks", () => {
  it("sorts open tasks into Overdue, Today, Upcoming and Later by the reader's day, with counts and the badge", async () => {
    const a = await newTenant("Tasks by day");
    await env.DB.prepare("UPDATE users SET time_zone = 'Pacific/Kiritimati' WHERE email = ?").bind(a.email).run();
    const zone = "Pacific/Kiritimati"; // UTC+14: its today is often UTC's tomorrow
    await addTask(a.cookie, { title: "Past due call", due_date: todayIn(zone, -2), kind: "call" });
    await addTask(a.cookie, { title: "Due today mail", due_date: todayIn(zone), kind: "email" });
    await addTask(a.cookie, { title: "In three days", due_date: todayIn(zone, 3) });
    await addTask(a.cookie, { title: "Next month", due_date: todayIn(zone, 30) });
    const html = await textOf("/app/tasks", { cookie: a.cookie });
    expect(sectionOf(html, "overdue")).toContain("Past due call");
    expect(sectionOf(html, "overdue")).toContain("(1)");
    expect(sectionOf(html, "today")).toContain("Due today mail");
    expect(sectionOf(html, "upcoming")).toContain("In three days");
    expect(sectionOf(html, "later")).toContain("Next month");
    expect(sectionOf(html, "later")).not.toContain("In three days");
    const badge = await textOf("/app/tasks/badge", { cookie: a.cookie, headers: HX });
    expect(badge).toContain(">2<");
    const calls = await textOf("/app/tasks?kind=call", { cookie: a.cookie });
    expect(calls).toContain("Past due call");
    expect(calls).not.toContain("Due today mail");
  });

  it("reads a due time in the creator's zone and keeps the due date a calendar date", async () => {
    const a = await newTenant("Zoned task");
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin' WHERE email = ?").bind(a.email).run();
    const task = await addTask(a.cookie, {
      title: "Berlin call",
      due_date: "2027-03-28",
      due_time: "02:30",
      remind: "15",
    });
    expect(task.due_date).toBe("2027-03-28");
    // 02:30 does not exist in Berlin that night (clocks go 02:00 → 03:00): read as 03:30 CEST = 01:30 UTC.
    expect(new Date(task.due_at!).toISOString()).toBe("2027-03-28T01:30:00.000Z");
    expect(new Date(task.remind_at!).toISOString()).toBe("2027-03-28T01:15:00.000Z");
  });

  it("shows a colleague in another zone the time their list shows, and saving changes only what they changed", async () => {
    const a = await newTenant("Zones apart");
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin' WHERE email = ?").bind(a.email).run();
    const bob = await memberOf(a.tenantId, "admin");
    await env.DB.prepare("UPDATE users SET time_zone = 'America/Los_Angeles' WHERE email = ?").bind(bob.email).run();
    const form = { due_date: "2026-06-10", due_time: "08:00", remind: "15" };
    const moved = await addTask(a.cookie, { title: "Berlin morning call", ...form });
    const kept = await addTask(a.cookie, { title: "Berlin call kept", ...form });
    expect(new Date(moved.due_at!).toISOString()).toBe("2026-06-10T06:00:00.000Z");

    // 08:00 in Berlin is 23:00 the evening before in Los Angeles: Bob's form says so.
    const edit = await textOf(`/app/tasks/${moved.id}/edit`, { cookie: bob.cookie });
    expect(edit).toMatch(/name="due_date"[^>]*value="2026-06-09"/);
    expect(edit).toMatch(/name="due_time"[^>]*value="23:00"/);

    // He moves it a day on: the same time, the next day (not 08:00 in Los Angeles, nine hours later).
    const changed = { title: "Berlin morning call", due_date: "2026-06-10", due_time: "23:00", remind: "15" };
    expect((await send(`/app/tasks/${moved.id}`, { cookie: bob.cookie, form: changed })).status).toBe(303);
    expect(new Date((await taskRow(moved.id))!.due_at!).toISOString()).toBe("2026-06-11T06:00:00.000Z");

    // Saving the form as shown changes nothing: Berlin's day and time, its zone, a reminder already sent.
    await env.DB.prepare("UPDATE tasks SET remind_at = NULL WHERE id = ?").bind(kept.id).run();
    const same = { title: "Berlin call, renamed", due_date: "2026-06-09", due_time: "23:00", remind: "15" };
    expect((await send(`/app/tasks/${kept.id}`, { cookie: bob.cookie, form: same })).status).toBe(303);
    const after = await env.DB.prepare(
      "SELECT title, due_date, due_time, time_zone, due_at, remind_at FROM tasks WHERE id = ?",
    )
      .bind(kept.id)
      .first();
    expect(after).toEqual({
      title: "Berlin call, renamed",
      due_date: "2026-06-10",
      due_time: "08:00",
      time_zone: "Europe/Berlin",
      due_at: kept.due_at,
      remind_at: null,
    });
  });

  it("puts a colleague's timed task under the reader's own day: Today, Overdue, the badge and the dashboard", async () => {
    const a = await newTenant("Zones by day");
    await env.DB.prepare("UPDATE users SET time_zone = 'Europe/Berlin' WHERE email = ?").bind(a.email).run();
    const bob = await memberOf(a.tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = 'America/Los_Angeles' WHERE email = ?").bind(bob.email).run();
    const assignee = await userIdOf(bob.email);
    const la = "America/Los_Angeles";
    // 07:00 in Berlin tomorrow (by Los Angeles' calendar) is 22:00 or 23:00 today in Los Angeles.
    await addTask(a.cookie, { title: "Tonight here", due_date: todayIn(la, 1), due_time: "07:00", assignee });
    // 01:00 in Berlin on Los Angeles' today is the afternoon before there: already a day late.
    await addTask(a.cookie, { title: "Yesterday here", due_date: todayIn(la), due_time: "01:00", assignee });
    // A task due on a day (no time) stays on its calendar date wherever it is read.
    await addTask(a.cookie, { title: "Dated tomorrow", due_date: todayIn(la, 1), assignee });
    const html = await textOf("/app/tasks", { cookie: bob.cookie });
    expect(sectionOf(html, "today")).toContain("Tonight here");
    expect(sectionOf(html, "upcoming")).not.toContain("Tonight here");
    expect(sectionOf(html, "overdue")).toContain("Yesterday here");
    expect(sectionOf(html, "today")).not.toContain("Yesterday here");
    expect(sectionOf(html, "upcoming")).toContain("Dated tomorrow");
    expect(await textOf("/app/tasks?section=today", { cookie: bob.cookie })).toContain("Tonight here");
    expect(await textOf("/app/tasks/badge", { cookie: bob.cookie, headers: HX })).toContain(">2<");
    expect(await textOf("/app", { cookie: bob.cookie })).toMatch(/1 overdue task/);
  });

  it("ties a refused description's message to its box, for a screen reader", async () => {
    const a = await newTenant("Long description");
    const res = await send("/app/tasks", {
      cookie: a.cookie,
      form: { title: "Call", due_date: "2026-12-24", description: "x".repeat(5001) },
    });
    expect(res.status).toBe(422);
    const box = (await res.text()).match(/<textarea[^>]*name="description"[^>]*>/)?.[0] ?? "";
    expect(box).toContain('aria-invalid="true"');
    const describedBy = box.match(/aria-describedby="([^"]+)"/)?.[1];
    expect(describedBy).toBeTruthy();
  });

  it("refuses bad input with the message by the field and writes nothing", async () => {
    const a = await newTenant("Bad tasks");
    const b = await newTenant("Other tasks");
    const theirs = await insertContact(b.tenantId, "Not", "Yours");
    const cases: [Record<string, string>, string][] = [
      [{ title: "", due_date: "2026-12-24" }, "Enter title."],
      [{ title: "x".repeat(201), due_date: "2026-12-24" }, "at most 200"],
      [{ title: "Bad date", due_date: "2026-02-30" }, "Enter a real date"],
      [{ title: "No date", due_date: "" }, "Enter a due date."],
      [{ title: "Bad time", due_date: "2026-12-24", due_time: "25:00" }, "Enter a time like 14:30."],
      [{ title: "Bad kind", due_date: "2026-12-24", kind: "party" }, "Choose a type"],
      [{ title: "Bad remind", due_date: "2026-12-24", remind: "7" }, "Choose a reminder"],
      [{ title: "Bad repeat", due_date: "2026-12-24", repeat: "hourly" }, "Choose how it repeats"],
      [{ title: "Bad every", due_date: "2026-12-24", repeat: "day", repeat_every: "0" }, "from 1 to 365"],
      [{ title: "Stranger", due_date: "2026-12-24", assignee: "nobodyatall" }, "Choose someone from the list."],
      [{ title: "Foreign record", due_date: "2026-12-24", record: `contact:${theirs}` }, "of this workspace"],
      [{ title: "Odd record", due_date: "2026-12-24", record: "user:1" }, "of this workspace"],
      [{ title: "Control\u0001char", due_date: "2026-12-24" }, "cannot store"],
    ];
    for (const [form, message] of cases) {
      const res = await send("/app/tasks", { cookie: a.cookie, form });
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(await res.text()).toContain(message);
    }
    const n = await env.DB.prepare("SELECT count(*) AS n FROM tasks WHERE tenant_id = ?")
      .bind(a.tenantId)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});

describe("completing", () => {
  it("is one click, answers the item with Undo, enters the record's timeline and keeps its next task date", async () => {
    const a = await newTenant("Complete me");
    const contact = await insertContact(a.tenantId, "Ada", "Lovelace");
    const first = await addTask(a.cookie, {
      title: "Send the notes",
      record: `contact:${contact}`,
      due_date: "2031-01-10",
    });
    await addTask(a.cookie, { title: "Book the visit", record: `contact:${contact}`, due_date: "2031-02-01" });
    const next = () =>
      env.DB.prepare("SELECT next_task_due AS d FROM contacts WHERE id = ?")
        .bind(contact)
        .first<{ d: string | null }>();
    expect((await next())!.d).toBe("2031-01-10");
    const panel = await textOf(`/app/tasks/panel?record=contact:${contact}`, { cookie: a.cookie, headers: HX });
    expect(panel).toContain("Send the notes");
    expect(panel).toContain("data-task-title");

    const done = await send(`/app/tasks/${first.id}/complete`, { cookie: a.cookie, form: {}, headers: HX });
    expect(done.status).toBe(200);
    const item = await done.text();
    expect(item).toContain(">Undo<");
    expect(item).toContain('hx-trigger="load delay:10s"');
    expect((await taskRow(first.id))!.status).toBe("done");
    expect((await next())!.d).toBe("2031-02-01");
    const page = await textOf(`/app/contacts/${contact}`, { cookie: a.cookie });
    expect(page).toContain("completed the task <q>Send the notes</q>");

    const undo = await send(`/app/tasks/${first.id}/reopen`, { cookie: a.cookie, form: {}, headers: HX });
    expect(undo.status).toBe(200);
    expect(await undo.text()).toContain("✓ Done");
    expect((await taskRow(first.id))!.status).toBe("open");
    expect((await next())!.d).toBe("2031-01-10");
    // Completing twice completes once: one timeline entry per completion.
    await send(`/app/tasks/${first.id}/complete`, { cookie: a.cookie, form: {} });
    await send(`/app/tasks/${first.id}/complete`, { cookie: a.cookie, form: {} });
    const entries = await env.DB.prepare(
      "SELECT count(*) AS n FROM activities WHERE tenant_id = ? AND kind = 'task_completed'",
    )
      .bind(a.tenantId)
      .first<{ n: number }>();
    expect(entries!.n).toBe(2);
  });

  it("makes the next one of a recurring task, from its due date, and undo takes it back", async () => {
    const a = await newTenant("Recurring");
    const weekly = await addTask(a.cookie, {
      title: "Weekly report",
      due_date: "2031-01-31",
      repeat: "month",
      repeat_every: "1",
    });
    await send(`/app/tasks/${weekly.id}/complete`, { cookie: a.cookie, form: {} });
    const next = await env.DB.prepare("SELECT * FROM tasks WHERE previous_id = ?")
      .bind(weekly.id)
      .first<{ due_date: string; status: string }>();
    expect(next).toMatchObject({ due_date: "2031-02-28", status: "open" });
    await send(`/app/tasks/${weekly.id}/reopen`, { cookie: a.cookie, form: {} });
    expect(await env.DB.prepare("SELECT id FROM tasks WHERE previous_id = ?").bind(weekly.id).first()).toBeNull();
    // Completed again and again: back on the 31st where the month has one, not on the 28th for good.
    await send(`/app/tasks/${weekly.id}/complete`, { cookie: a.cookie, form: {} });
    let id = weekly.id;
    const dues: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const row = (await env.DB.prepare("SELECT id, due_date FROM tasks WHERE previous_id = ?")
        .bind(id)
        .first<{ id: number; due_date: string }>())!;
      dues.push(row.due_date);
      id = row.id;
      await send(`/app/tasks/${id}/complete`, { cookie: a.cookie, form: {} });
    }
    expect(dues).toEqual(["2031-02-28", "2031-03-31", "2031-04-30", "2031-05-31"]);
    const monday = await addTask(a.cookie, {
      title: "Monday stand-up",
      due_date: "2031-01-01",
      repeat: "weekday",
      repeat_every: "1",
    });
    await send(`/app/tasks/${monday.id}/complete`, { cookie: a.cookie, form: {} });
    const after = await env.DB.prepare("SELECT due_date FROM tasks WHERE previous_id = ?")
      .bind(monday.id)
      .first<{ due_date: string }>();
    expect(after!.due_date).toBe("2031-01-06");
  });

  it("keeps a series every 2, 3 or 12 months on its day: back to the 31st, and to 29 February in leap years", async () => {
    const a = await newTenant("Month ends");
    const nextOf = (id: number) =>
      env.DB.prepare("SELECT id, due_date FROM tasks WHERE previous_id = ?")
        .bind(id)
        .first<{ id: number; due_date: string }>();
    /** Completes the task and its next ones `n` times; the due dates made, and the last task's id. */
    const follow = async (id: number, n: number) => {
      const dues: string[] = [];
      for (let i = 0; i < n; i += 1) {
        expect((await send(`/app/tasks/${id}/complete`, { cookie: a.cookie, form: {} })).status).toBe(303);
        const row = (await nextOf(id))!;
        dues.push(row.due_date);
        id = row.id;
      }
      return { dues, last: id };
    };
    const series = async (title: string, due_date: string, every: string) =>
      (await addTask(a.cookie, { title, due_date, repeat: "month", repeat_every: every })).id;
    expect((await follow(await series("Quarterly", "2027-03-31", "3"), 4)).dues).toEqual([
      "2027-06-30",
      "2027-09-30",
      "2027-12-31",
      "2028-03-31",
    ]);
    const bimonthly = await follow(await series("Bimonthly", "2026-12-31", "2"), 4);
    expect(bimonthly.dues).toEqual(["2027-02-28", "2027-04-30", "2027-06-30", "2027-08-31"]);
    expect((await follow(await series("Leap day", "2028-02-29", "12"), 4)).dues).toEqual([
      "2029-02-28",
      "2030-02-28",
      "2031-02-28",
      "2032-02-29",
    ]);

    // Saving the form of one on the 30th without changing its date keeps the series on the 31st...
    const thirtieth = await follow(await series("Edited", "2027-05-31", "1"), 1);
    const form = { title: "Edited again", due_date: "2027-06-30", repeat: "month", repeat_every: "1" };
    expect((await send(`/app/tasks/${thirtieth.last}`, { cookie: a.cookie, form })).status).toBe(303);
    expect((await follow(thirtieth.last, 1)).dues).toEqual(["2027-07-31"]);
    // ...and a date changed, on the form or by a bulk move, is the series' day from then on.
    const moved = await follow(await series("Moved", "2027-01-31", "1"), 1);
    const edit = { title: "Moved", due_date: "2027-02-15", repeat: "month", repeat_every: "1" };
    expect((await send(`/app/tasks/${moved.last}`, { cookie: a.cookie, form: edit })).status).toBe(303);
    expect((await follow(moved.last, 1)).dues).toEqual(["2027-03-15"]);
    const bulk = await follow(await series("Bulk moved", "2027-01-31", "1"), 1);
    const move = await send("/app/tasks/bulk", {
      cookie: a.cookie,
      form: { action: "date", date: "2027-02-20", ids: String(bulk.last) },
    });
    expect(move.headers.get("Location")).toContain("n=1");
    expect((await follow(bulk.last, 1)).dues).toEqual(["2027-03-20"]);
    // A task made before the series kept its day (repeat_day null) reads it from the task it was made from.
    const legacy = await follow(await series("From before", "2027-01-31", "1"), 1);
    await env.DB.prepare("UPDATE tasks SET repeat_day = NULL WHERE tenant_id = ?").bind(a.tenantId).run();
    expect((await follow(legacy.last, 2)).dues).toEqual(["2027-03-31", "2027-04-30"]);
  });

  it("takes back the next task only on the Undo: a later Reopen leaves the series' open task, its bell entry and its trash alone", async () => {
    const a = await newTenant("Reopen later");
    const monthly = await addTask(a.cookie, {
      title: "Monthly invoice run",
      due_date: "2031-01-15",
      repeat: "month",
      repeat_every: "1",
    });
    expect((await send(`/app/tasks/${monthly.id}/complete`, { cookie: a.cookie, form: {} })).status).toBe(303);
    const next = (await env.DB.prepare("SELECT id, due_date FROM tasks WHERE previous_id = ?")
      .bind(monthly.id)
      .first<{ id: number; due_date: string }>())!;
    expect(next.due_date).toBe("2031-02-15");
    // Days later (completed_at and the next task's stamps moved back, nothing else touched), and the bell holds a
    // reminder of the next one.
    const longAgo = Date.now() - 3 * 86_400_000;
    await env.DB.batch([
      env.DB.prepare("UPDATE tasks SET completed_at = ?, updated_at = ? WHERE id = ?").bind(
        longAgo,
        longAgo,
        monthly.id,
      ),
      env.DB.prepare("UPDATE tasks SET created_at = ?, updated_at = ? WHERE id = ?").bind(longAgo, longAgo, next.id),
      env.DB.prepare(
        "INSERT INTO notifications (tenant_id, user_id, task_id, title, created_at) SELECT tenant_id, assignee_id, id, 'Monthly invoice run', ? FROM tasks WHERE id = ?",
      ).bind(longAgo, next.id),
    ]);
    const reopen = await send(`/app/tasks/${monthly.id}/reopen`, { cookie: a.cookie, form: {}, headers: HX });
    expect(reopen.status).toBe(200);
    expect((await taskRow(monthly.id))!.status).toBe("open");
    expect(await taskRow(next.id)).toMatchObject({ status: "open", due_date: "2031-02-15" });
    const bell = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE task_id = ?")
      .bind(next.id)
      .first<{ n: number }>();
    expect(bell!.n).toBe(1);
    const page = await textOf("/app/tasks", { cookie: a.cookie });
    expect(page.split("Monthly invoice run").length - 1).toBeGreaterThanOrEqual(2);

    // The Undo, just after completing, still takes the new one back.
    expect((await send(`/app/tasks/${next.id}/complete`, { cookie: a.cookie, form: {} })).status).toBe(303);
    const made = await env.DB.prepare("SELECT id FROM tasks WHERE previous_id = ?")
      .bind(next.id)
      .first<{ id: number }>();
    expect(made).not.toBeNull();
    expect((await send(`/app/tasks/${next.id}/reopen`, { cookie: a.cookie, form: {}, headers: HX })).status).toBe(200);
    expect(await taskRow(made!.id)).toBeNull();
    expect((await taskRow(next.id))!.status).toBe("open");
  });
});

describe("whose tasks", () => {
  it("lets a member act on their own tasks only, and reassign only their own; admins act on everyone's", async () => {
    const a = await newTenant("Whose");
    const member = await memberOf(a.tenantId, "member");
    const other = await memberOf(a.tenantId, "member");
    const admin = await memberOf(a.tenantId, "admin");
    const otherId = await userIdOf(other.email);
    const memberId = await userIdOf(member.email);
    const theirs = await addTask(other.cookie, { title: "Other's secret task" });
    for (const path of [`/app/tasks/${theirs.id}/complete`, `/app/tasks/${theirs.id}/delete`]) {
      expect((await send(path, { cookie: member.cookie, form: {} })).status, path).toBe(403);
    }
    expect(
      (
        await send(`/app/tasks/${theirs.id}`, {
          cookie: member.cookie,
          form: { title: "Mine now", due_date: "2026-12-24", assignee: memberId },
        })
      ).status,
    ).toBe(403);
    expect((await taskRow(theirs.id))!.assignee_id).toBe(otherId);
    // A member's list is their own, even when asking for everyone's.
    expect(await textOf("/app/tasks?assignee=all", { cookie: member.cookie })).not.toContain("Other's secret task");
    expect(await textOf(`/app/tasks?assignee=${otherId}`, { cookie: member.cookie })).not.toContain(
      "Other's secret task",
    );
    // A task the member made for someone else: they may change it, but not give it away again.
    const given = await addTask(member.cookie, { title: "For the other", assignee: otherId });
    const again = await send(`/app/tasks/${given.id}`, {
      cookie: member.cookie,
      form: { title: "For the other", due_date: "2026-12-24", assignee: memberId },
    });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Only the assignee or an admin");
    // Bulk skips what is not theirs.
    const bulk = await send("/app/tasks/bulk", {
      cookie: member.cookie,
      form: { action: "complete", ids: String(theirs.id) },
    });
    expect(bulk.headers.get("Location")).toContain("n=0");
    expect((await taskRow(theirs.id))!.status).toBe("open");
    // An admin sees and acts on everyone's.
    expect(await textOf("/app/tasks?assignee=all", { cookie: admin.cookie })).toContain("Other&#39;s secret task");
    expect((await send(`/app/tasks/${theirs.id}/complete`, { cookie: admin.cookie, form: {} })).status).toBe(303);
  });

  it("answers 404 to another workspace's task on every route and changes nothing", async () => {
    const a = await newTenant("Task owner");
    const b = await newTenant("Task thief");
    const task = await addTask(a.cookie, { title: "Private follow-up" });
    const routes: [string, string, Record<string, string> | undefined][] = [
      [`/app/tasks/${task.id}/edit`, "GET", undefined],
      [`/app/tasks/${task.id}/item`, "GET", undefined],
      [`/app/tasks/${task.id}`, "POST", { title: "Stolen", due_date: "2026-12-24" }],
      [`/app/tasks/${task.id}/complete`, "POST", {}],
      [`/app/tasks/${task.id}/reopen`, "POST", {}],
      [`/app/tasks/${task.id}/delete`, "POST", {}],
    ];
    for (const [path, method, form] of routes) {
      const res = await send(path, { cookie: b.cookie, method, form });
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("Private follow-up");
    }
    const bulk = await send("/app/tasks/bulk", {
      cookie: b.cookie,
      form: { action: "plus_day", ids: String(task.id) },
    });
    expect(bulk.headers.get("Location")).toContain("n=0");
    expect(await taskRow(task.id)).toMatchObject({
      title: "Private follow-up",
      status: "open",
      due_date: "2026-12-24",
    });
    expect((await send(`/app/tasks/panel?record=contact:1`, { cookie: b.cookie })).status).toBe(404);
  });
});

describe("bulk and leaving", () => {
  it("reschedules by a day, to next Monday or a date, and reassigns, keeping the records' next task date", async () => {
    const a = await newTenant("Bulk tasks");
    const colleague = await memberOf(a.tenantId, "member");
    const colleagueId = await userIdOf(colleague.email);
    const contact = await insertContact(a.tenantId, "Grace", "Hopper");
    const one = await addTask(a.cookie, { title: "Bulk one", due_date: "2031-03-10", record: `contact:${contact}` });
    const two = await addTask(a.cookie, { title: "Bulk two", due_date: "2031-03-12" });
    const ids = (xs: number[]) => new URLSearchParams(xs.map((x): [string, string] => ["ids", String(x)])).toString();
    const post = (form: string) =>
      send("/app/tasks/bulk", {
        cookie: a.cookie,
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        method: "POST",
      });
    await post(`${ids([one.id, two.id])}&action=plus_day`);
    expect((await taskRow(one.id))!.due_date).toBe("2031-03-11");
    expect((await taskRow(two.id))!.due_date).toBe("2031-03-13");
    expect(
      (await env.DB.prepare("SELECT next_task_due AS d FROM contacts WHERE id = ?")
        .bind(contact)
        .first<{ d: string }>())!.d,
    ).toBe("2031-03-11");
    await post(`${ids([one.id])}&action=date&date=2031-04-01`);
    expect((await taskRow(one.id))!.due_date).toBe("2031-04-01");
    const res = await post(`${ids([one.id])}&action=date&date=2031-13-01`);
    expect(res.status).toBe(400);
    expect((await taskRow(one.id))!.due_date).toBe("2031-04-01");
    await post(`${ids([one.id])}&action=next_monday`);
    const monday = new Date(`${(await taskRow(one.id))!.due_date}T00:00:00Z`);
    expect(monday.getUTCDay()).toBe(1);
    await post(`${ids([one.id, two.id])}&action=reassign&assignee=${colleagueId}`);
    expect((await taskRow(two.id))!.assignee_id).toBe(colleagueId);
    expect((await post(`${ids([one.id])}&action=reassign&assignee=stranger`)).status).toBe(400);
  });

  it("gives a removed member's tasks to the owner, never losing them", async () => {
    const a = await newTenant("Leaving");
    const leaver = await memberOf(a.tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE email = ?").bind(leaver.email).run();
    const task = await addTask(leaver.cookie, { title: "Left behind" });
    const day = await addTask(leaver.cookie, { title: "Day reminder", due_date: "2031-06-02", remind: "0" });
    // 08:00 in Tokyo while it is the leaver's...
    expect(new Date(day.remind_at!).toISOString()).toBe("2031-06-01T23:00:00.000Z");
    const ownerId = await userIdOf(a.email);
    const leaverId = await userIdOf(leaver.email);
    const res = await send(`/app/settings/team/members/${leaverId}/remove`, { cookie: a.cookie, form: {} });
    expect(res.status).toBeLessThan(400);
    expect(await taskRow(task.id)).toMatchObject({ title: "Left behind", assignee_id: ownerId, status: "open" });
    // ...and 08:00 in the owner's zone (the workspace's, UTC) once it is the owner's.
    expect(new Date((await taskRow(day.id))!.remind_at!).toISOString()).toBe("2031-06-02T08:00:00.000Z");
  });
});

describe("a record's tasks", () => {
  it("go with the record when it is deleted (and their reminders with them), and others stay", async () => {
    const a = await newTenant("Record goes");
    const gone = await insertContact(a.tenantId, "Gone", "Soon");
    const stays = await insertContact(a.tenantId, "Stays", "Here");
    const t1 = await addTask(a.cookie, {
      title: "About the gone one",
      record: `contact:${gone}`,
      due_time: "09:00",
      remind: "15",
      due_date: "2031-05-05",
    });
    const t2 = await addTask(a.cookie, { title: "About the other", record: `contact:${stays}` });
    expect(t1.remind_at).not.toBeNull();
    const res = await send(`/app/contacts/${gone}/delete`, { cookie: a.cookie, form: {} });
    expect(res.status).toBeLessThan(400);
    expect(await taskRow(t1.id)).toBeNull();
    expect(await taskRow(t2.id)).not.toBeNull();
    const html = await textOf("/app/tasks", { cookie: a.cookie });
    expect(html).not.toContain("About the gone one");
    expect(html).toContain("About the other");
  });
});

describe("what each reader is offered", () => {
  it("shows the Done button only on tasks the reader may change; a viewer reads without buttons", async () => {
    const a = await newTenant("Buttons");
    const member = await memberOf(a.tenantId, "member");
    const viewer = await memberOf(a.tenantId, "viewer");
    const contact = await insertContact(a.tenantId, "Shared", "Record");
    await addTask(a.cookie, { title: "Owner's own", record: `contact:${contact}` });
    await addTask(member.cookie, { title: "Member's own", record: `contact:${contact}` });
    const panel = (cookie: string) => textOf(`/app/tasks/panel?record=contact:${contact}`, { cookie, headers: HX });
    const forMember = await panel(member.cookie);
    expect(forMember).toContain('aria-label="Done: Member&#39;s own"');
    expect(forMember).not.toContain("Done: Owner&#39;s own");
    expect(forMember).toContain("Owner&#39;s own");
    const forViewer = await panel(viewer.cookie);
    expect(forViewer).not.toContain("Done:");
    expect(forViewer).not.toContain("Add a task");
    expect(forViewer).toContain("Member&#39;s own");
    const forOwner = await panel(a.cookie);
    expect(forOwner).toContain("Done: Member&#39;s own");
  });
});

describe("adding from a record's Tasks panel", () => {
  it("names a contact with only an email by the email in the task's link on the tasks page", async () => {
    const a = await newTenant("Email only");
    const made = await send("/app/contacts", { cookie: a.cookie, form: { emails: "only.mail@x.example" } });
    expect(made.status).toBe(303);
    const contact = Number(made.headers.get("Location")!.match(/^\/app\/contacts\/(\d+)$/)![1]);
    await addTask(a.cookie, { title: "Write to the address", record: `contact:${contact}` });
    const link = `<a href="/app/contacts/${contact}">only.mail@x.example</a>`;
    expect(await textOf("/app/tasks?assignee=all", { cookie: a.cookie })).toContain(link);
  });

  it("adds a task without a reminder, answers the panel open on a new form that takes the focus, and says so", async () => {
    const a = await newTenant("Panel adds");
    const contact = await insertContact(a.tenantId, "Panel", "Person");
    const panel = await textOf(`/app/tasks/panel?record=contact:${contact}`, { cookie: a.cookie, headers: HX });
    // The short form posts what it shows: no reminder the reader never chose ("at the time" rang at once today).
    const form = Object.fromEntries(
      [...panel.matchAll(/<input[^>]*name="(\w+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(form.remind).toBeUndefined();
    expect(panel).not.toContain("Task added.");
    expect(panel).not.toContain("data-focus-after");
    const res = await send("/app/tasks", {
      cookie: a.cookie,
      form: { ...form, title: "Call about the panel", due_date: todayIn("UTC") },
      headers: { ...HX, "HX-Target": "record-tasks" },
    });
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT remind_lead, remind_at FROM tasks WHERE title = ?")
      .bind("Call about the panel")
      .first<{ remind_lead: number | null; remind_at: number | null }>();
    expect(row).toEqual({ remind_lead: null, remind_at: null });
    const after = await res.text();
    expect(after).toContain("Call about the panel");
    // app.js reads [data-announce] out and focuses [data-focus-after]: the title of a blank form, left open.
    expect(after).toMatch(/<p class="visually-hidden" data-announce="">\s*Task added\.\s*<\/p>/);
    expect(after).toMatch(/<details open="">/);
    expect(after).toMatch(/<input id="task-title" name="title" type="text" value=""[^>]*data-focus-after=""/);
  });
});
