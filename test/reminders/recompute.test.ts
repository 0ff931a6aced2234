/**
 * A task due on a day reminds at 08:00 in its assignee's zone: when they change their zone in the
 * profile, their pending reminders of such tasks move with it, in every workspace, in the same batch.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { insertTask, member, remindAtOf } from "./helpers";

describe("changing one's time zone", () => {
  it("moves the pending reminders of their tasks due on a day to 08:00 in the new zone, in every workspace", async () => {
    const u = await member("UTC", "Zone Home Co");
    const second = await member("UTC", "Zone Second Co");
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES (?, ?, 'member', 0, 0)",
      ).bind(second.tenantId, u.userId),
      env.DB.prepare("UPDATE tenants SET time_zone = 'Europe/Berlin' WHERE id = ?").bind(second.tenantId),
    ]);
    const home = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-01" });
    const away = await insertTask(second.tenantId, u.userId, "UTC", { dueDate: "2027-02-02" });
    const timed = await insertTask(u.tenantId, u.userId, "UTC", {
      dueDate: "2027-02-01",
      dueTime: "10:00",
      remindLead: 15,
    });
    const dayBefore = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-04", remindLead: 1440 });
    const sent = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-03" });
    await env.DB.prepare("UPDATE tasks SET remind_at = NULL WHERE id = ?").bind(sent.id).run();
    const colleagues = await insertTask(second.tenantId, second.userId, "UTC", { dueDate: "2027-02-01" });
    expect(home.remindAt).toBe(Date.UTC(2027, 1, 1, 8, 0));
    expect(dayBefore.remindAt).toBe(Date.UTC(2027, 1, 3, 8, 0));

    const res = await send("/app/settings/profile/time-zone", {
      cookie: u.cookie,
      form: { time_zone: "America/New_York" },
    });
    expect(res.status).toBe(303);
    // 08:00 EST is 13:00 UTC.
    expect(await remindAtOf(home.id)).toBe(Date.UTC(2027, 1, 1, 13, 0));
    expect(await remindAtOf(away.id)).toBe(Date.UTC(2027, 1, 2, 13, 0));
    expect(await remindAtOf(timed.id)).toBe(Date.UTC(2027, 1, 1, 9, 45));
    // "1 day before" stays the day before.
    expect(await remindAtOf(dayBefore.id)).toBe(Date.UTC(2027, 1, 3, 13, 0));
    expect(await remindAtOf(sent.id)).toBeNull();
    expect(await remindAtOf(colleagues.id)).toBe(Date.UTC(2027, 1, 1, 8, 0));

    // Back to "the workspace's zone": each workspace's own.
    await send("/app/settings/profile/time-zone", { cookie: u.cookie, form: { time_zone: "" } });
    expect(await remindAtOf(home.id)).toBe(Date.UTC(2027, 1, 1, 8, 0));
    expect(await remindAtOf(away.id)).toBe(Date.UTC(2027, 1, 2, 7, 0));
  });

  it("changes nothing when the zone is refused", async () => {
    const u = await member("UTC", "Zone Refused Co");
    const task = await insertTask(u.tenantId, u.userId, "UTC", { dueDate: "2027-02-05" });
    const res = await send("/app/settings/profile/time-zone", {
      cookie: u.cookie,
      form: { time_zone: "Mars/Olympus" },
    });
    expect(res.status).toBe(422);
    expect(await remindAtOf(task.id)).toBe(task.remindAt);
  });
});
