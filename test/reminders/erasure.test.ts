/**
 * A member who deletes their account takes their reminders with them: their bell entries and the record
 * of which reminders were sent to them, in every workspace. Others' stay.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, send } from "../helpers/http";
import { memberOf } from "../helpers/tenants";
import { insertTask, member } from "./helpers";

/** The rows the sweep writes for a reminder sent to `userId`. */
async function reminded(tenantId: string, userId: string, taskId: number, at: number) {
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO task_reminders (tenant_id, task_id, remind_at, user_id, claim, sent_at) VALUES (?, ?, ?, ?, 'c', ?)",
    ).bind(tenantId, taskId, at, userId, at),
    env.DB.prepare(
      "INSERT INTO notifications (tenant_id, user_id, task_id, title, created_at) VALUES (?, ?, ?, 'x', ?)",
    ).bind(tenantId, userId, taskId, at),
  ]);
}

describe("deleting one's account", () => {
  it("deletes their bell entries and their sent-reminder rows, and no one else's", async () => {
    const owner = await member("UTC", "Erase Reminders Co");
    const leaver = await memberOf(owner.tenantId, "member");
    const leaverId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(leaver.email)
      .first<{ id: string }>())!.id;
    // The workspace memberOf signed them up with is theirs: hand it over, as an owner must before leaving.
    await env.DB.prepare("UPDATE memberships SET role = 'admin' WHERE user_id = ? AND tenant_id <> ?")
      .bind(leaverId, owner.tenantId)
      .run();
    const theirs = await insertTask(owner.tenantId, leaverId, "UTC", { dueDate: "2027-03-01" });
    const owners = await insertTask(owner.tenantId, owner.userId, "UTC", { dueDate: "2027-03-01" });
    await reminded(owner.tenantId, leaverId, theirs.id, 1);
    await reminded(owner.tenantId, owner.userId, owners.id, 1);

    const res = await send("/app/settings/profile/delete", {
      cookie: leaver.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
    });
    expect(res.status).toBe(303);
    expect(await countRows("task_reminders", "user_id = ?", leaverId)).toBe(0);
    expect(await countRows("notifications", "user_id = ?", leaverId)).toBe(0);
    expect(await countRows("task_reminders", "user_id = ?", owner.userId)).toBe(1);
    expect(await countRows("notifications", "user_id = ?", owner.userId)).toBe(1);
  });
});
