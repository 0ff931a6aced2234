/**
 * The bell: every /app page's header links to the user's notifications (reminders and mentions) with an unread count loaded after
 * the page; /app/notifications lists the user's own, in the active workspace only, newest first;
 * opening one marks it read and goes to its task's record; "mark all read" clears the count.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import { bellEntries, insertTask, member, MINUTE, runCron } from "./helpers";

/** The current minute, as the cron's scheduled time is. */
const thisMinute = () => Math.floor(Date.now() / MINUTE) * MINUTE;
const today = () => new Date().toISOString().slice(0, 10);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Inserts a task whose reminder is due this minute, and runs the cron. */
async function remind(tenantId: string, userId: string, title: string, subject?: { type: "deal"; id: number }) {
  const at = thisMinute();
  await insertTask(tenantId, userId, "UTC", { title, dueDate: today(), dueTime: hhmm(at), subject });
  await runCron(at);
}

async function userIdOf(email: string) {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

describe("the bell", () => {
  it("is in the header of every /app page, its count loaded after the page, with words for screen readers", async () => {
    const u = await member("UTC", "Bell Header Co");
    const page = await textOf("/app", { cookie: u.cookie });
    expect(page).toMatch(/<a href="\/app\/notifications" class="bell">/);
    expect(page).toMatch(/<span data-fill="\/app\/notifications\/count" data-fill-on-focus/); // app.js fetches it
    expect(page).toContain('<span class="visually-hidden">Notifications: </span>');
    expect(await textOf("/app/notifications/count", { cookie: u.cookie })).toBe(
      '<span class="visually-hidden">no unread notifications</span>',
    );

    await remind(u.tenantId, u.userId, "Call Ada");
    await remind(u.tenantId, u.userId, "Email Bob");
    const count = await textOf("/app/notifications/count", { cookie: u.cookie });
    expect(count).toContain('<span class="bell-count" aria-hidden="true">2</span>');
    expect(count).toContain('<span class="visually-hidden">2 unread notifications</span>');
  });

  it("lists the user's reminders newest first, unread marked; opening one marks it read and goes to its record", async () => {
    const u = await member("UTC", "Bell List Co");
    await remind(u.tenantId, u.userId, "Older task", { type: "deal", id: 777 });
    await remind(u.tenantId, u.userId, "Newer task");
    const page = await textOf("/app/notifications", { cookie: u.cookie });
    expect(page.indexOf("Newer task")).toBeLessThan(page.indexOf("Older task"));
    expect(page.match(/Unread: /g)).toHaveLength(2);
    expect(page).toContain("2 unread.");
    // Mentions are listed here too: the page says notifications, not reminders.
    expect(page).toContain('<h1 id="notifications-heading">Notifications</h1>');
    expect(page).toContain("<title>Notifications");

    const [older] = await bellEntries(u.userId);
    const res = await send(`/app/notifications/${older!.id}/open`, { cookie: u.cookie, method: "POST" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/deals/777");
    expect((await bellEntries(u.userId))[0]!.read_at).not.toBeNull();
    expect(await textOf("/app/notifications/count", { cookie: u.cookie })).toContain("1 unread notification<");

    const all = await send("/app/notifications/read-all", { cookie: u.cookie, method: "POST" });
    expect(all.status).toBe(303);
    expect((await bellEntries(u.userId)).every((b) => b.read_at !== null)).toBe(true);
    const after = await textOf("/app/notifications", { cookie: u.cookie });
    expect(after).toContain("Nothing unread.");
    expect(after).not.toContain("Unread: ");
  });

  it("says 99+ on the page and more than 99 to screen readers once the unread count reaches its cap", async () => {
    const u = await member("UTC", "Bell Cap Co");
    const empty = await textOf("/app/notifications", { cookie: u.cookie });
    expect(empty).toContain("Nothing unread.");
    expect(empty).toContain("Nothing here yet.");
    expect(empty).not.toMatch(/reminders yet/);
    const insert = env.DB.prepare(
      "INSERT INTO notifications (tenant_id, user_id, title, created_at) VALUES (?, ?, ?, ?)",
    );
    await env.DB.batch(
      Array.from({ length: 150 }, (_, i) => insert.bind(u.tenantId, u.userId, `Entry ${i}`, Date.now() + i)),
    );
    const page = await textOf("/app/notifications", { cookie: u.cookie });
    expect(page).toContain("99+ unread.");
    expect(page).not.toMatch(/\b100 unread/);
    const count = await textOf("/app/notifications/count", { cookie: u.cookie });
    expect(count).toContain('<span class="bell-count" aria-hidden="true">99+</span>');
    expect(count).toContain('<span class="visually-hidden">more than 99 unread notifications</span>');
  });

  it("never shows another user's or another workspace's reminders, and cannot open them", async () => {
    const owner = await member("UTC", "Bell Owner Co");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const viewerId = await userIdOf(viewer.email);
    await remind(owner.tenantId, owner.userId, "Owner own task");
    await remind(owner.tenantId, viewerId, "Viewer task");
    // The owner belongs to a second workspace, where they have a reminder too.
    const other = await member("UTC", "Bell Other Co");
    await env.DB.prepare(
      "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', 0, 0)",
    )
      .bind(other.tenantId, owner.userId)
      .run();
    await remind(other.tenantId, owner.userId, "Owner task elsewhere");

    // A viewer sees their own, only.
    const viewerPage = await textOf("/app/notifications", { cookie: viewer.cookie });
    expect(viewerPage).toContain("Viewer task");
    expect(viewerPage).not.toContain("Owner own task");
    const ownerPage = await textOf("/app/notifications", { cookie: owner.cookie });
    expect(ownerPage).toContain("Owner own task");
    expect(ownerPage).not.toContain("Viewer task");
    expect(ownerPage).not.toContain("Owner task elsewhere");
    expect(await textOf("/app/notifications/count", { cookie: owner.cookie })).toContain(">1 unread notification<");

    const viewersEntry = (await bellEntries(viewerId))[0]!;
    const elsewhere = (await bellEntries(owner.userId)).find((b) => b.tenant_id === other.tenantId)!;
    for (const id of [viewersEntry.id, elsewhere.id]) {
      const res = await send(`/app/notifications/${id}/open`, { cookie: owner.cookie, method: "POST" });
      expect(res.status).toBe(404);
    }
    await send("/app/notifications/read-all", { cookie: owner.cookie, method: "POST" });
    expect((await bellEntries(viewerId))[0]!.read_at).toBeNull();
    expect((await bellEntries(owner.userId)).find((b) => b.id === elsewhere.id)!.read_at).toBeNull();
  });
});
