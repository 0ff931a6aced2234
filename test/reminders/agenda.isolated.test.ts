/**
 * The daily agenda: opt-in in the profile, at 07:00 in the user's zone, once a local day, listing per
 * open workspace the user's open tasks due that day and the overdue ones; nothing on a day without
 * any; a one-click unsubscribe like the digest's, which the profile then shows.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { runAgendaStep } from "../../src/services/reminders/agenda";
import { send, textOf } from "../helpers/http";
import { mailTo, type OutboxRow } from "../helpers/mail";
import { APP_URL, insertTask, member, MINUTE, runCron } from "./helpers";

const agendas = async (to: string) =>
  (await mailTo(to)).filter((m) => m.kind === "daily_agenda") as (OutboxRow & {
    created_at: number;
    headers: string;
  })[];

/** Turns the agenda on through the profile's form (with reminder mail kept on), as the user does. */
async function turnAgendaOn(cookie: string) {
  const res = await send("/app/settings/profile/email-preferences", {
    cookie,
    form: { digest: "on", reminders: "on", agenda: "on" },
  });
  expect(res.status).toBe(303);
}

describe("the daily agenda", () => {
  it("goes at 07:00 in the user's zone, once a day, with their tasks due that day and the overdue ones", async () => {
    const u = await member("Europe/Berlin", "Agenda Co");
    await turnAgendaOn(u.cookie);
    const page = await textOf("/app/settings/profile", { cookie: u.cookie });
    expect(page).toMatch(/<input id="f-agenda" type="checkbox" name="agenda" value="on" checked/);
    expect(page).toMatch(/<input id="f-reminders" type="checkbox" name="reminders" value="on" checked/);
    const zone = "Europe/Berlin";
    const seed = (title: string, dueDate: string, extra: object = {}) =>
      insertTask(u.tenantId, u.userId, zone, { title, dueDate, remindLead: null, ...extra });
    await seed("Today call", "2027-01-20", { dueTime: "09:30" });
    await seed("Today todo", "2027-01-20");
    await seed("Overdue thing", "2027-01-19");
    await seed("Tomorrow thing", "2027-01-21");
    await seed("Done thing", "2027-01-20", { status: "done" });
    // Someone else's task in the workspace, and a closed workspace of the user's.
    const colleague = await member("UTC", "Colleague's own");
    await env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', 0, 0)",
    )
      .bind(u.tenantId, colleague.userId)
      .run();
    await insertTask(u.tenantId, colleague.userId, "UTC", { title: "Colleague thing", dueDate: "2027-01-20" });
    const closed = await member("UTC", "Closed Agenda Co");
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', 1, 1)",
      ).bind(closed.tenantId, u.userId),
      env.DB.prepare("UPDATE tenants SET closed_at = 1, erase_after = ? WHERE id = ?").bind(
        Date.UTC(2030, 0, 1),
        closed.tenantId,
      ),
    ]);
    await insertTask(closed.tenantId, u.userId, "UTC", { title: "Closed thing", dueDate: "2027-01-20" });

    // 07:00 in Berlin on 20 January is 06:00 UTC.
    const seven = Date.UTC(2027, 0, 20, 6, 0);
    await runCron(seven - MINUTE);
    expect(await agendas(u.email)).toHaveLength(0);
    await runCron(seven);
    await runCron(seven);
    await runCron(seven + MINUTE);
    await runCron(seven + 60 * MINUTE);
    const mails = await agendas(u.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.created_at).toBe(seven);
    expect(mail.subject).toBe("Your agenda for 1/20/2027: 3 tasks");
    expect(mail.text_body).toContain(
      "Agenda Co\n  - Overdue thing (overdue, due 1/19/2027)\n  - Today todo\n  - Today call at 9:30 AM",
    );
    for (const absent of ["Tomorrow thing", "Done thing", "Colleague thing", "Closed thing", "Closed Agenda Co"])
      expect(mail.text_body).not.toContain(absent);
    // The tasks page of that workspace, whichever one the browser works in.
    expect(mail.text_body).toContain(
      `Your tasks in Agenda Co: ${APP_URL}/app/workspaces/open/${u.tenantId}?to=${encodeURIComponent("/app/tasks")}`,
    );
    expect(mail.text_body).not.toContain("more");
    expect(mail.essential).toBe(0);

    // The next day, at its 07:00: one more.
    await runCron(seven + 24 * 60 * MINUTE - MINUTE);
    expect(await agendas(u.email)).toHaveLength(1);
    await runCron(seven + 24 * 60 * MINUTE);
    expect((await agendas(u.email)).map((m) => m.created_at)).toEqual([seven, seven + 24 * 60 * MINUTE]);
  });

  it("with a long backlog, lists the day's tasks first, then the latest overdue, says how many more and counts them all", async () => {
    const u = await member("UTC", "Backlog Co");
    await turnAgendaOn(u.cookie);
    const other = await member("UTC", "Second Backlog Co");
    await env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', ?, ?)",
    )
      .bind(other.tenantId, u.userId, Date.now(), Date.now())
      .run();
    // 30 overdue, one a day from 1 to 30 December 2026, and one due today, 31 December; one in the other workspace.
    for (let day = 1; day <= 30; day += 1)
      await insertTask(u.tenantId, u.userId, "UTC", {
        title: `Overdue ${day}`,
        dueDate: `2026-12-${String(day).padStart(2, "0")}`,
        remindLead: null,
      });
    await insertTask(u.tenantId, u.userId, "UTC", { title: "Due today", dueDate: "2026-12-31", remindLead: null });
    await insertTask(other.tenantId, u.userId, "UTC", { title: "Elsewhere", dueDate: "2026-12-31", remindLead: null });

    await runCron(Date.UTC(2026, 11, 31, 7, 0));
    const [mail] = await agendas(u.email);
    expect(mail!.subject).toBe("Your agenda for 12/31/2026: 32 tasks");
    const text = mail!.text_body;
    expect(text).toContain("Due today");
    // 25 listed: today's, then the 24 latest overdue (7 to 30 December); 6 more not listed.
    expect(text).toContain("Overdue 30 (overdue, due 12/30/2026)");
    expect(text).toContain("Overdue 7 (overdue, due 12/7/2026)");
    expect(text).not.toContain("Overdue 6 ");
    expect(text).toContain("  - Overdue 30 (overdue, due 12/30/2026)\n  - Due today\n  and 6 more\n");
    expect(mail!.html_body).toContain("and 6 more");
    // Each workspace's own link, through the switch.
    const open = (tenantId: string) =>
      `${APP_URL}/app/workspaces/open/${tenantId}?to=${encodeURIComponent("/app/tasks")}`;
    expect(text).toContain(`Your tasks in Backlog Co: ${open(u.tenantId)}`);
    expect(text).toContain(
      `Second Backlog Co\n  - Elsewhere\n  Your tasks in Second Backlog Co: ${open(other.tenantId)}`,
    );
  });

  it("lists a colleague's timed task on the user's own day: the evening's here, the last afternoon's overdue", async () => {
    const u = await member("America/Los_Angeles", "Agenda Apart Co");
    await turnAgendaOn(u.cookie);
    const berlin = (title: string, dueDate: string, dueTime: string) =>
      insertTask(u.tenantId, u.userId, "America/Los_Angeles", { title, dueDate, dueTime, timeZone: "Europe/Berlin" });
    await berlin("Berlin breakfast", "2027-01-21", "07:00"); // 22:00 on the 20th in Los Angeles
    await berlin("Berlin night", "2027-01-20", "01:00"); // 16:00 on the 19th in Los Angeles
    await berlin("Berlin next evening", "2027-01-21", "18:00"); // 09:00 on the 21st in Los Angeles
    // 07:00 in Los Angeles on 20 January is 15:00 UTC.
    await runCron(Date.UTC(2027, 0, 20, 15, 0));
    const [mail] = await agendas(u.email);
    expect(mail?.subject).toBe("Your agenda for 1/20/2027: 2 tasks");
    expect(mail?.text_body).toContain("Berlin night (overdue, due 1/19/2027)");
    expect(mail?.text_body).toContain("Berlin breakfast at 10:00 PM");
    expect(mail?.text_body).not.toContain("Berlin next evening");
  });

  it("is written in the user's locale: dates and times the German way for a de-DE reader, the same in text and HTML", async () => {
    const u = await member("Europe/Berlin", "Agenda Deutsch GmbH");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE id = ?").bind(u.userId).run();
    await turnAgendaOn(u.cookie);
    const zone = "Europe/Berlin";
    await insertTask(u.tenantId, u.userId, zone, {
      title: "Anruf",
      dueDate: "2027-01-25",
      dueTime: "14:30",
      remindLead: null,
    });
    await insertTask(u.tenantId, u.userId, zone, {
      title: "Liegen geblieben",
      dueDate: "2027-01-24",
      remindLead: null,
    });
    // 07:00 in Berlin on 25 January is 06:00 UTC.
    await runCron(Date.UTC(2027, 0, 25, 6, 0));
    const [mail] = await agendas(u.email);
    expect(mail?.subject).toBe("Your agenda for 25.1.2027: 2 tasks");
    expect(mail?.text_body).toContain("  - Liegen geblieben (overdue, due 24.1.2027)\n  - Anruf at 14:30\n");
    expect(mail?.html_body).toContain("<li>Liegen geblieben (overdue, due 24.1.2027)</li><li>Anruf at 14:30</li>");
  });

  it("without a zone of their own, goes at 07:00 in their first workspace's zone; nothing on a day without tasks", async () => {
    const u = await member(null, "New York Co");
    await env.DB.prepare("UPDATE tenants SET time_zone = 'America/New_York' WHERE id = ?").bind(u.tenantId).run();
    await turnAgendaOn(u.cookie);
    const idle = await member("UTC", "Idle Co");
    await turnAgendaOn(idle.cookie);
    await insertTask(u.tenantId, u.userId, "America/New_York", {
      title: "NY task",
      dueDate: "2027-01-22",
      remindLead: null,
    });
    // 07:00 EST is 12:00 UTC.
    const seven = Date.UTC(2027, 0, 22, 12, 0);
    await runCron(seven - MINUTE);
    expect(await agendas(u.email)).toHaveLength(0);
    await runCron(seven);
    expect((await agendas(u.email)).map((m) => m.created_at)).toEqual([seven]);
    expect(await agendas(idle.email)).toHaveLength(0);
    const claimed = await env.DB.prepare("SELECT agenda_date FROM email_preferences WHERE user_id = ?")
      .bind(idle.userId)
      .first<{ agenda_date: string }>();
    expect(claimed!.agenda_date).toBe("2027-01-22");
  });

  it("is not sent to someone who did not turn it on, and two runs side by side send one", async () => {
    const off = await member("UTC", "No Agenda Co");
    await insertTask(off.tenantId, off.userId, "UTC", { title: "Some task", dueDate: "2027-01-25", remindLead: null });
    const on = await member("UTC", "Side By Side Co");
    await turnAgendaOn(on.cookie);
    await insertTask(on.tenantId, on.userId, "UTC", { title: "Some task", dueDate: "2027-01-25", remindLead: null });
    const db = createDb(env.DB);
    const config = { baseUrl: APP_URL, secret: env.UNSUBSCRIBE_KEY };
    const seven = Date.UTC(2027, 0, 25, 7, 0);
    await runAgendaStep(db, config, seven - MINUTE);
    await Promise.all([runAgendaStep(db, config, seven), runAgendaStep(db, config, seven)]);
    expect(await agendas(on.email)).toHaveLength(1);
    expect(await agendas(off.email)).toHaveLength(0);
  });

  it("has a one-click unsubscribe link that turns it off, which the profile then shows", async () => {
    const u = await member("UTC", "Unsubscribe Agenda Co");
    await turnAgendaOn(u.cookie);
    await insertTask(u.tenantId, u.userId, "UTC", { title: "Some task", dueDate: "2027-01-27", remindLead: null });
    const seven = Date.UTC(2027, 0, 27, 7, 0);
    await runCron(seven - MINUTE);
    await runCron(seven);
    const [mail] = await agendas(u.email);
    const headers = JSON.parse(mail!.headers) as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const url = headers["List-Unsubscribe"]!.slice(1, -1);
    expect(url.startsWith(`${APP_URL}/unsubscribe/agenda.${u.userId}.`)).toBe(true);
    expect(mail!.text_body).toContain(url);
    const confirm = await textOf(new URL(url).pathname);
    expect(confirm).toContain("Stop sending the daily agenda to this address?");
    const res = await send(new URL(url).pathname, { method: "POST", origin: null, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    const prefs = await env.DB.prepare("SELECT digest, reminders, agenda FROM email_preferences WHERE user_id = ?")
      .bind(u.userId)
      .first();
    expect(prefs).toEqual({ digest: 1, reminders: 1, agenda: 0 });
    // The cron ran far ahead of the session's clock: sign in again to look at the profile.
    const { logIn } = await import("../helpers/http");
    const { cookie } = await logIn(u.email);
    const page = await textOf("/app/settings/profile", { cookie });
    expect(page).toMatch(/<input id="f-agenda" type="checkbox" name="agenda" value="on"\/?>/);
    expect(page).toContain("daily agenda off");
    await runCron(seven + 24 * 60 * MINUTE);
    expect(await agendas(u.email)).toHaveLength(1);
  });
});
