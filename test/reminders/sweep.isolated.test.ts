/**
 * Task reminders from the every-minute cron: at their minute (not one early), once however often or
 * concurrently the cron runs, at 08:00 in the assignee's zone for a task due on a day, right on
 * daylight-saving days, and never for a done or deleted task, a removed member or a closed workspace.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { runReminderSweep } from "../../src/services/reminders/sweep";
import { APP_URL, bellEntries, insertTask, member, MINUTE, reminderMails, remindAtOf, runCron } from "./helpers";

const KEY = env.UNSUBSCRIBE_KEY!;

/** Runs the cron a minute before `at` (nothing may go), then at `at`, twice, and a minute later. */
async function runAround(at: number) {
  await runCron(at - MINUTE);
  const before = await env.DB.prepare("SELECT count(*) AS n FROM task_reminders").first<{ n: number }>();
  await runCron(at);
  await runCron(at);
  await runCron(at + MINUTE);
  return before!.n;
}

describe("a timed task", () => {
  it.each([0, 15, 60, 1440])("with a lead of %i minutes reminds at its minute, not one early, once", async (lead) => {
    const u = await member("Europe/Berlin");
    // Due 2027-02-10 at 15:00 in Berlin (CET, UTC+1): 14:00 UTC.
    const due = Date.UTC(2027, 1, 10, 14, 0);
    const task = await insertTask(u.tenantId, u.userId, "Europe/Berlin", {
      title: `Call Ada (${lead})`,
      dueDate: "2027-02-10",
      dueTime: "15:00",
      remindLead: lead,
    });
    const at = due - lead * MINUTE;
    expect(task.remindAt).toBe(at);

    await runCron(at - MINUTE);
    expect(await reminderMails(u.email)).toHaveLength(0);
    expect(await bellEntries(u.userId)).toHaveLength(0);
    await runAround(at);
    const mails = await reminderMails(u.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.created_at).toBe(at);
    expect(mails[0]!.subject).toBe(`Reminder: Call Ada (${lead}) — due 2/10/2027, 3:00 PM GMT+1`);
    expect(mails[0]!.status).toBe("sent");
    expect(mails[0]!.text_body).toContain(`${APP_URL}/app/workspaces/open/${u.tenantId}?to=%2Fapp%2Ftasks`);
    const bell = await bellEntries(u.userId);
    expect(bell).toHaveLength(1);
    expect(bell[0]).toMatchObject({ task_id: task.id, tenant_id: u.tenantId, created_at: at, read_at: null });
    expect(await remindAtOf(task.id)).toBeNull();
  });

  it("links the mail to the task's record, and the mail is a list mail with a one-click unsubscribe", async () => {
    const u = await member("UTC");
    const at = Date.UTC(2027, 1, 11, 9, 0);
    await insertTask(u.tenantId, u.userId, "UTC", {
      title: "Send the quote",
      dueDate: "2027-02-11",
      dueTime: "09:00",
      subject: { type: "company", id: 4242 },
    });
    await runCron(at);
    const [mail] = await reminderMails(u.email);
    expect(mail!.essential).toBe(0);
    expect(mail!.text_body).toContain(`?to=${encodeURIComponent("/app/companies/4242")}`);
    const headers = JSON.parse(mail!.headers!) as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Unsubscribe"]).toMatch(new RegExp(`^<${APP_URL}/unsubscribe/reminders\\.${u.userId}\\.`));
  });
});

describe("in the assignee's locale", () => {
  it("says the due time the way they read times: 2:00 PM in en-US, 14:00 in de-DE, in mail and bell alike", async () => {
    const us = await member("America/Chicago", "Locale US Co");
    await env.DB.prepare("UPDATE users SET locale = 'en-US' WHERE id = ?").bind(us.userId).run();
    const de = await member("Europe/Berlin", "Locale DE Co");
    // Their own locale wins over the workspace's.
    await env.DB.batch([
      env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE id = ?").bind(de.userId),
      env.DB.prepare("UPDATE tenants SET locale = 'en-US' WHERE id = ?").bind(de.tenantId),
    ]);
    // 14:00 on 15 February 2027 in Chicago (CST, UTC-6) is 20:00 UTC; in Berlin (CET, UTC+1) 13:00 UTC.
    await insertTask(us.tenantId, us.userId, "America/Chicago", {
      title: "Ring Ada",
      dueDate: "2027-02-15",
      dueTime: "14:00",
    });
    await insertTask(de.tenantId, de.userId, "Europe/Berlin", {
      title: "Ruf Ada an",
      dueDate: "2027-02-15",
      dueTime: "14:00",
    });
    await runCron(Date.UTC(2027, 1, 15, 13, 0));
    await runCron(Date.UTC(2027, 1, 15, 20, 0));

    const [usMail] = await reminderMails(us.email);
    expect(usMail!.subject).toBe("Reminder: Ring Ada — due 2/15/2027, 2:00 PM CST");
    expect(usMail!.text_body).toContain("Reminder: Ring Ada — due 2/15/2027, 2:00 PM CST\n");
    expect(usMail!.html_body).toContain("Reminder: Ring Ada — due 2/15/2027, 2:00 PM CST</p>");
    expect((await bellEntries(us.userId)).map((b) => b.title)).toEqual(["Ring Ada — due 2/15/2027, 2:00 PM CST"]);

    const [deMail] = await reminderMails(de.email);
    expect(deMail!.subject).toBe("Reminder: Ruf Ada an — due 15.2.2027, 14:00 MEZ");
    expect(deMail!.html_body).toContain("Reminder: Ruf Ada an — due 15.2.2027, 14:00 MEZ</p>");
    expect((await bellEntries(de.userId)).map((b) => b.title)).toEqual(["Ruf Ada an — due 15.2.2027, 14:00 MEZ"]);
  });
});

describe("exactly once", () => {
  it("two sweeps at the same minute, side by side, send one reminder", async () => {
    const u = await member("UTC");
    const at = Date.UTC(2027, 1, 12, 10, 0);
    const tasks = [];
    for (let i = 0; i < 5; i += 1)
      tasks.push(
        await insertTask(u.tenantId, u.userId, "UTC", { title: `Side ${i}`, dueDate: "2027-02-12", dueTime: "10:00" }),
      );
    const db = createDb(env.DB);
    const config = { baseUrl: APP_URL, secret: KEY };
    const [a, b] = await Promise.all([runReminderSweep(db, config, at), runReminderSweep(db, config, at)]);
    expect(a.sent + b.sent).toBe(5);
    expect(await reminderMails(u.email)).toHaveLength(5);
    expect(await bellEntries(u.userId)).toHaveLength(5);
  });

  it("a sweep that read a reminder another sweep already claimed sends nothing, and clears it", async () => {
    const u = await member("UTC");
    const at = Date.UTC(2027, 1, 13, 10, 0);
    const task = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-13", dueTime: "10:00" });
    // The other sweep's claim is in, its clearing of remind_at not yet (as if both read the task at once).
    await env.DB.prepare(
      "INSERT INTO task_reminders (tenant_id, task_id, remind_at, user_id, claim, sent_at) VALUES (?, ?, ?, ?, 'other', ?)",
    )
      .bind(u.tenantId, task.id, at, u.userId, at)
      .run();
    await runCron(at);
    expect(await reminderMails(u.email)).toHaveLength(0);
    expect(await bellEntries(u.userId)).toHaveLength(0);
    expect(await remindAtOf(task.id)).toBeNull();
  });

  it("rescheduling after a reminder makes a new one due; undoing back to the sent time does not send it again", async () => {
    const u = await member("UTC");
    const first = Date.UTC(2027, 1, 14, 10, 0);
    const task = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-14", dueTime: "10:00" });
    await runCron(first);
    expect(await reminderMails(u.email)).toHaveLength(1);
    const later = Date.UTC(2027, 1, 15, 10, 0);
    await env.DB.prepare("UPDATE tasks SET due_date = '2027-02-15', due_at = ?, remind_at = ? WHERE id = ?")
      .bind(later, later, task.id)
      .run();
    await runAround(later);
    expect((await reminderMails(u.email)).map((m) => m.created_at)).toEqual([first, later]);
    // Back to the first time (an undo): that reminder went already.
    await env.DB.prepare("UPDATE tasks SET remind_at = ? WHERE id = ?").bind(first, task.id).run();
    await runCron(later + 2 * MINUTE);
    expect(await reminderMails(u.email)).toHaveLength(2);
    expect(await bellEntries(u.userId)).toHaveLength(2);
  });
});

describe("on daylight-saving days", () => {
  // The expected instants follow the rules stated in src/lib/zoned-time.ts: a time in the spring-forward
  // gap counts under the offset before the change, a time that happens twice is the first of the two.
  const cases = [
    { zone: "Europe/Berlin", date: "2027-03-28", time: "02:30", expected: Date.UTC(2027, 2, 28, 1, 30) },
    { zone: "Europe/Berlin", date: "2027-03-28", time: null, expected: Date.UTC(2027, 2, 28, 6, 0) },
    { zone: "Europe/Berlin", date: "2027-10-31", time: "02:30", expected: Date.UTC(2027, 9, 31, 0, 30) },
    { zone: "Europe/Berlin", date: "2027-10-31", time: null, expected: Date.UTC(2027, 9, 31, 7, 0) },
    { zone: "America/New_York", date: "2027-03-14", time: "02:30", expected: Date.UTC(2027, 2, 14, 7, 30) },
    { zone: "America/New_York", date: "2027-03-14", time: null, expected: Date.UTC(2027, 2, 14, 12, 0) },
    { zone: "America/New_York", date: "2027-11-07", time: "01:30", expected: Date.UTC(2027, 10, 7, 5, 30) },
    { zone: "America/New_York", date: "2027-11-07", time: null, expected: Date.UTC(2027, 10, 7, 13, 0) },
  ];

  it.each(cases)("$zone on $date at $time queues the mail at the right UTC instant", async (c) => {
    const u = await member(c.zone);
    await insertTask(u.tenantId, u.userId, c.zone, { dueDate: c.date, dueTime: c.time, remindLead: 0 });
    await runAround(c.expected);
    const mails = await reminderMails(u.email);
    expect(mails.map((m) => m.created_at)).toEqual([c.expected]);
  });

  it("a task due on a day reminds at 08:00 in the assignee's zone, whatever zone it was created in", async () => {
    const u = await member("America/New_York");
    await insertTask(u.tenantId, u.userId, "America/New_York", {
      dueDate: "2027-11-07",
      timeZone: "Asia/Tokyo",
      remindLead: 0,
    });
    await runAround(Date.UTC(2027, 10, 7, 13, 0));
    expect((await reminderMails(u.email)).map((m) => m.created_at)).toEqual([Date.UTC(2027, 10, 7, 13, 0)]);
    expect((await reminderMails(u.email))[0]!.subject).toBe("Reminder: Call Ada back — due 11/7/2027");
  });
});

describe("never", () => {
  it("for a task completed or deleted before its time", async () => {
    const u = await member("UTC");
    const at = Date.UTC(2027, 3, 1, 9, 0);
    const done = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-04-01", dueTime: "09:00" });
    const deleted = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-04-01", dueTime: "09:00" });
    // Completed: status done (the task writes also clear remind_at; the sweep checks the status either way).
    await env.DB.prepare("UPDATE tasks SET status = 'done', completed_at = ? WHERE id = ?")
      .bind(at - 5 * MINUTE, done.id)
      .run();
    await env.DB.prepare("DELETE FROM tasks WHERE id = ?").bind(deleted.id).run();
    await runAround(at);
    expect(await reminderMails(u.email)).toHaveLength(0);
    expect(await bellEntries(u.userId)).toHaveLength(0);
    expect(await remindAtOf(done.id)).toBeNull();
  });

  it("to a member who was removed from the workspace", async () => {
    const owner = await member("UTC", "Removal Co");
    const gone = await member("UTC", "Gone's own");
    await env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', 0, 0)",
    )
      .bind(owner.tenantId, gone.userId)
      .run();
    const at = Date.UTC(2027, 3, 2, 9, 0);
    const task = await insertTask(owner.tenantId, gone.userId, "UTC", { dueDate: "2027-04-02", dueTime: "09:00" });
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(owner.tenantId, gone.userId)
      .run();
    await runAround(at);
    expect(await reminderMails(gone.email)).toHaveLength(0);
    expect(await bellEntries(gone.userId)).toHaveLength(0);
    expect(await remindAtOf(task.id)).toBeNull();
  });

  it("in a closed workspace", async () => {
    const u = await member("UTC", "Closed Co");
    const at = Date.UTC(2027, 3, 3, 9, 0);
    const task = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-04-03", dueTime: "09:00" });
    await env.DB.prepare("UPDATE tenants SET closed_at = ?, erase_after = ? WHERE id = ?")
      .bind(at - MINUTE, at + 365 * 86_400_000, u.tenantId)
      .run();
    await runAround(at);
    expect(await reminderMails(u.email)).toHaveLength(0);
    expect(await bellEntries(u.userId)).toHaveLength(0);
    // It waits: a reopened workspace's reminder still goes (late).
    expect(await remindAtOf(task.id)).toBe(at);
  });
});

describe("the choice of mail", () => {
  it("with reminder mail turned off by its unsubscribe link, the bell entry is still written", async () => {
    const u = await member("UTC");
    const first = Date.UTC(2027, 4, 1, 9, 0);
    await insertTask(u.tenantId, u.userId, "UTC", { title: "First", dueDate: "2027-05-01", dueTime: "09:00" });
    await runCron(first);
    const [mail] = await reminderMails(u.email);
    const url = (JSON.parse(mail!.headers!) as Record<string, string>)["List-Unsubscribe"]!.slice(1, -1);
    const { send } = await import("../helpers/http");
    const res = await send(new URL(url).pathname, { method: "POST", origin: null, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    const prefs = await env.DB.prepare("SELECT digest, reminders, agenda FROM email_preferences WHERE user_id = ?")
      .bind(u.userId)
      .first();
    expect(prefs).toEqual({ digest: 1, reminders: 0, agenda: 0 });

    const second = Date.UTC(2027, 4, 2, 9, 0);
    await insertTask(u.tenantId, u.userId, "UTC", { title: "Second", dueDate: "2027-05-02", dueTime: "09:00" });
    await runCron(second);
    expect(await reminderMails(u.email)).toHaveLength(1);
    expect((await bellEntries(u.userId)).map((b) => b.title)).toEqual([
      "First — due 5/1/2027, 9:00 AM UTC",
      "Second — due 5/2/2027, 9:00 AM UTC",
    ]);
  });

  it("a reminder first seen more than a day late rings the bell only; one a few hours late is mailed once, saying so", async () => {
    const u = await member("UTC");
    const stale = await insertTask(u.tenantId, u.userId, "UTC", {
      title: "Stale",
      dueDate: "2027-06-01",
      dueTime: "09:00",
    });
    const late = await insertTask(u.tenantId, u.userId, "UTC", {
      title: "Late",
      dueDate: "2027-06-02",
      dueTime: "06:00",
    });
    const now = Date.UTC(2027, 5, 2, 10, 0);
    await runCron(now);
    await runCron(now + MINUTE);
    const mails = await reminderMails(u.email);
    expect(mails.map((m) => m.subject)).toEqual(["Reminder: Late — due 6/2/2027, 6:00 AM UTC"]);
    expect(mails[0]!.text_body).toContain("This reminder is late");
    expect((await bellEntries(u.userId)).map((b) => b.task_id).sort()).toEqual([stale.id, late.id].sort());
  });
});
