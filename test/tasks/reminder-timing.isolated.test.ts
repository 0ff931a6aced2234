/**
 * When a task's reminder is due as its forms write it: a time already past when the task is added, or given to
 * someone else, goes out at the next run and never says "late", but a reminder that went out is not sent again by a
 * later write (bulk, an edit and back, an undo); "1 day before" on a task due on a day is 08:00 the day before.
 * Isolated: the cron runs at chosen times.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertContact } from "../companies/helpers";
import { send, textOf } from "../helpers/http";
import { confirmAddressOf, memberOf, newTenant } from "../helpers/tenants";
import { bellEntries, reminderMails, runCron } from "../reminders/helpers";
import { addTask, taskRow, userIdOf } from "./helpers";

const MINUTE = 60_000;

/** The day and time (HH:MM) of the instant `ms` in UTC. */
const utcDayAndTime = (ms: number) => [
  new Date(ms).toISOString().slice(0, 10),
  new Date(ms).toISOString().slice(11, 16),
];

/** A calendar date ('YYYY-MM-DD') as an en-US reader's mail writes it ("3/10/2027"). */
const usDate = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${m}/${d}/${y}`;
};

/** A zone (Etc/GMT±N) where it is now between 14:00 and 15:00: 08:00 there today is hours ago, the day not over. */
function afternoonZone(): { zone: string; today: string } {
  const now = Date.now();
  let offset = 14 - new Date(now).getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX signs: Etc/GMT-2 is two hours ahead of UTC.
  const zone = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
  return { zone, today: new Date(now + offset * 3_600_000).toISOString().slice(0, 10) };
}

/** An owner in `zone` with a confirmed address (reminder mail goes only to one). */
async function ownerIn(zone: string, company: string) {
  const a = await newTenant(company);
  await env.DB.prepare("UPDATE users SET time_zone = ? WHERE email = ?").bind(zone, a.email).run();
  await confirmAddressOf(a.cookie);
  return a;
}

describe("a reminder whose time has passed when the task is written", () => {
  it("goes out at the next run and does not say it is late: a dated task added in the afternoon, a timed one a day before", async () => {
    const { zone, today } = afternoonZone();
    const a = await ownerIn(zone, "Added Late Co");
    const contact = await insertContact(a.tenantId, "Ada", "Lovelace");
    // The quick form on a record's page: due today, reminder "at the time" (08:00 there, hours ago).
    const dated = await addTask(a.cookie, {
      title: "Call Ada today",
      due_date: today,
      remind: "0",
      record: `contact:${contact}`,
    });
    // Due in two hours, reminded "1 day before": 22 hours ago.
    const [day, time] = utcDayAndTime(Math.floor(Date.now() / MINUTE) * MINUTE + 120 * MINUTE);
    await env.DB.prepare("UPDATE users SET time_zone = 'UTC' WHERE email = ?").bind(a.email).run();
    const timed = await addTask(a.cookie, {
      title: "Prepare the call",
      due_date: day!,
      due_time: time!,
      remind: "1440",
    });
    expect(dated.remind_at).not.toBeNull();
    expect(timed.remind_at).not.toBeNull();

    await runCron(Date.now() + MINUTE);
    const mails = await reminderMails(a.email);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      `Reminder: Call Ada today — due ${usDate(today)}`,
      expect.stringContaining("Reminder: Prepare the call — due"),
    ]);
    for (const m of mails) {
      expect(m.text_body).not.toContain("is late");
      expect(m.html_body).not.toContain("is late");
    }
    expect((await bellEntries(await userIdOf(a.email))).map((b) => b.task_id).sort()).toEqual(
      [dated.id, timed.id].sort(),
    );
  });
});

describe("a task given to someone else after its reminder went out", () => {
  it("reminds the new assignee once, bell and mail", async () => {
    const a = await ownerIn("UTC", "Handed Over Co");
    const bob = await memberOf(a.tenantId, "member");
    await confirmAddressOf(bob.cookie);
    const bobId = await userIdOf(bob.email);
    // Due in 15 minutes, reminded 15 minutes before: now.
    const [day, time] = utcDayAndTime(Math.floor(Date.now() / MINUTE) * MINUTE + 15 * MINUTE);
    const form = { title: "Hand over the file", due_date: day!, due_time: time!, remind: "15" };
    const task = await addTask(a.cookie, form);
    await runCron(Date.now() + MINUTE);
    expect(await reminderMails(a.email)).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 5));
    const res = await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form: { ...form, assignee: bobId } });
    expect(res.status).toBe(303);
    expect((await taskRow(task.id))!.assignee_id).toBe(bobId);
    await runCron(Date.now() + MINUTE);
    await runCron(Date.now() + 2 * MINUTE);
    const mails = await reminderMails(bob.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("Reminder: Hand over the file");
    expect(mails[0]!.text_body).not.toContain("is late");
    expect((await bellEntries(bobId)).map((b) => b.task_id)).toEqual([task.id]);
    expect(await reminderMails(a.email)).toHaveLength(1);
  });
});

describe('"1 day before" on a task due on a day', () => {
  it("reminds at 08:00 the day before in the assignee's zone, and the form shows it chosen", async () => {
    const a = await ownerIn("America/New_York", "Day Before Co");
    const task = await addTask(a.cookie, { title: "Renew the lease", due_date: "2027-03-10", remind: "1440" });
    // 08:00 EST on 9 March is 13:00 UTC.
    expect(new Date(task.remind_at!).toISOString()).toBe("2027-03-09T13:00:00.000Z");
    const edit = await textOf(`/app/tasks/${task.id}/edit`, { cookie: a.cookie });
    expect(edit).toMatch(/<option value="1440" selected[^>]*>1 day before/);
    expect(edit).not.toMatch(/<option value="0" selected/);

    // Saved again as shown: still the day before. "1 hour before" on a day is 08:00 on the day, and shown so.
    const form = { title: "Renew the lease", due_date: "2027-03-10", remind: "1440" };
    expect((await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form })).status).toBe(303);
    expect((await taskRow(task.id))!.remind_at).toBe(task.remind_at);
    expect((await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form: { ...form, remind: "60" } })).status).toBe(
      303,
    );
    expect(new Date((await taskRow(task.id))!.remind_at!).toISOString()).toBe("2027-03-10T13:00:00.000Z");
    const again = await textOf(`/app/tasks/${task.id}/edit`, { cookie: a.cookie });
    expect(again).toMatch(/<option value="0" selected[^>]*>At the time \(08:00 on the day/);

    // Back to "1 day before" (the cron runs far ahead of the session's clock: the form goes first).
    expect((await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form })).status).toBe(303);
    await runCron(Date.UTC(2027, 2, 9, 12, 59));
    expect(await reminderMails(a.email)).toHaveLength(0);
    await runCron(Date.UTC(2027, 2, 9, 13, 0));
    const [mail] = await reminderMails(a.email);
    expect(mail!.subject).toBe("Reminder: Renew the lease — due 3/10/2027");
  });
});

describe("a reminder that went out is not sent again by a later write", () => {
  /** An owner in UTC with a task due in 15 minutes, reminded 15 minutes before (now), and that reminder sent. */
  async function remindedTask(company: string) {
    const a = await ownerIn("UTC", company);
    const [day, time] = utcDayAndTime(Math.floor(Date.now() / MINUTE) * MINUTE + 15 * MINUTE);
    const form = { title: `Follow up (${company})`, due_date: day!, due_time: time!, remind: "15" };
    const task = await addTask(a.cookie, form);
    await runCron(Date.now() + MINUTE);
    expect(await reminderMails(a.email)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    return { a, task, form, day: day! };
  }

  /** The cron twice more; then the one mail and bell entry of `email` stand alone. */
  async function stillOne(email: string, taskId: number) {
    await runCron(Date.now() + MINUTE);
    await runCron(Date.now() + 2 * MINUTE);
    expect(await reminderMails(email)).toHaveLength(1);
    expect((await bellEntries(await userIdOf(email))).map((b) => b.task_id)).toEqual([taskId]);
  }

  it("bulk: reassigned to the same assignee or moved to the same date, one mail; a new assignee still gets theirs", async () => {
    const { a, task, day } = await remindedTask("Bulk Again Co");
    const aId = await userIdOf(a.email);
    const bulk = (form: Record<string, string>) =>
      send("/app/tasks/bulk", { cookie: a.cookie, form: { ids: String(task.id), ...form } });
    expect((await bulk({ action: "reassign", assignee: aId })).headers.get("Location")).toContain("n=1");
    await stillOne(a.email, task.id);
    expect((await bulk({ action: "date", date: day })).headers.get("Location")).toContain("n=1");
    await stillOne(a.email, task.id);

    const bob = await memberOf(a.tenantId, "member");
    await confirmAddressOf(bob.cookie);
    expect((await bulk({ action: "reassign", assignee: await userIdOf(bob.email) })).status).toBe(303);
    await stillOne(bob.email, task.id);
    expect((await bulk({ action: "reassign", assignee: aId })).status).toBe(303);
    await stillOne(a.email, task.id);
  });

  it("edit: due date moved to tomorrow and back to today, one mail", async () => {
    const { a, task, form, day } = await remindedTask("Moved Back Co");
    const tomorrow = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(
      (await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form: { ...form, due_date: tomorrow } })).status,
    ).toBe(303);
    expect((await taskRow(task.id))!.remind_at).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 5));
    expect((await send(`/app/tasks/${task.id}`, { cookie: a.cookie, form })).status).toBe(303);
    await stillOne(a.email, task.id);
  });

  it("undo after completing: a task added after its reminder time, reminded, completed and reopened, one mail", async () => {
    const a = await ownerIn("UTC", "Undone Co");
    // Due in 15 minutes, reminded an hour before: 45 minutes ago, so due at once.
    const [day, time] = utcDayAndTime(Math.floor(Date.now() / MINUTE) * MINUTE + 15 * MINUTE);
    const task = await addTask(a.cookie, { title: "Undo me", due_date: day!, due_time: time!, remind: "60" });
    await runCron(Date.now() + MINUTE);
    expect(await reminderMails(a.email)).toHaveLength(1);
    expect((await send(`/app/tasks/${task.id}/complete`, { cookie: a.cookie, form: {} })).status).toBe(303);
    await new Promise((r) => setTimeout(r, 5));
    expect((await send(`/app/tasks/${task.id}/reopen`, { cookie: a.cookie, form: {} })).status).toBe(303);
    expect((await taskRow(task.id))!.status).toBe("open");
    await stillOne(a.email, task.id);
  });
});
