/**
 * A task due on a day reminds its assignee at 08:00 in their zone (remindAtFor in schedule.ts), so
 * when that zone changes, or the task passes to someone else, its pending reminder moves with it.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { DAY_REMINDER_TIME, reminderDay } from "./schedule";
import { wallTimeToUtc } from "../../lib/zoned-time";

/**
 * The statements (for the caller's batch) that move the pending reminders of `userId`'s open tasks
 * due on a day to 08:00 in `zone` (on the day, or the days before their lead says) (null: each workspace's own zone, as the user reads it there), in
 * every workspace they belong to, or only `opts.tenantId`. Reads the tasks' days first; a reminder
 * already sent (remind_at null) stays sent. Empty when there is nothing to move.
 */
export async function recomputeDayReminders(
  db: Database,
  userId: string,
  zone: string | null,
  opts: { tenantId?: string } = {},
): Promise<SQL[]> {
  const only = opts.tenantId ?? null;
  const days = await db.all<{ tenant_id: string; due_date: string; lead: number; workspace_zone: string }>(sql`
    SELECT DISTINCT t.tenant_id, t.due_date, t.remind_lead AS lead, tn.time_zone AS workspace_zone
    FROM memberships m JOIN tenants tn ON tn.id = m.tenant_id
    JOIN tasks t ON t.tenant_id = m.tenant_id AND t.assignee_id = m.user_id AND t.status = 'open'
    WHERE m.user_id = ${userId} AND (${only} IS NULL OR m.tenant_id = ${only})
      AND t.due_time IS NULL AND t.remind_at IS NOT NULL`);
  if (days.length === 0) return [];
  const moves = JSON.stringify(
    days.map((d) => [
      d.tenant_id,
      d.due_date,
      d.lead,
      wallTimeToUtc(reminderDay(d.due_date, d.lead), DAY_REMINDER_TIME, zone ?? d.workspace_zone),
    ]),
  );
  return [
    sql`UPDATE tasks SET remind_at = j.at
        FROM (SELECT json_extract(value, '$[0]') AS tenant, json_extract(value, '$[1]') AS day,
          json_extract(value, '$[2]') AS lead, json_extract(value, '$[3]') AS at FROM json_each(${moves})) AS j
        WHERE tasks.tenant_id = j.tenant AND tasks.due_date = j.day AND tasks.remind_lead = j.lead
          AND tasks.assignee_id = ${userId}
          AND tasks.status = 'open' AND tasks.due_time IS NULL AND tasks.remind_at IS NOT NULL`,
  ];
}
