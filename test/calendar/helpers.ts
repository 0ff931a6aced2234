/** The calendar feed's tests: tasks as rows (the task pages are another part of the work), and reading the feed. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";
import { confirmAddressOf } from "../helpers/tenants";

export interface TaskSeed {
  title: string;
  assigneeId: string;
  dueDate: string;
  /** UTC ms of a timed task; null for a task due on a day. */
  dueAt?: number | null;
  dueTime?: string | null;
  timeZone?: string;
  status?: "open" | "done";
  description?: string | null;
  subject?: { type: "contact" | "company" | "deal"; id: number } | null;
}

/** Inserts a task row as the task service would; returns its id. */
export async function insertTask(tenantId: string, t: TaskSeed): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    `INSERT INTO tasks (tenant_id, title, description, due_date, due_time, time_zone, due_at, assignee_id,
       subject_type, subject_id, status, completed_at, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id`,
  )
    .bind(
      tenantId,
      t.title,
      t.description ?? null,
      t.dueDate,
      t.dueTime ?? null,
      t.timeZone ?? "UTC",
      t.dueAt ?? null,
      t.assigneeId,
      t.subject?.type ?? null,
      t.subject?.id ?? null,
      t.status ?? "open",
      t.status === "done" ? now : null,
      now,
    )
    .first<{ id: number }>();
  return row!.id;
}

/** Turns the feed on from the profile and returns its path (/cal/<secret>.ics), shown this once. */
export async function turnOnFeed(cookie: string, action = "/app/settings/profile/calendar-feed"): Promise<string> {
  await confirmAddressOf(cookie);
  const res = await send(action, { cookie, form: {} });
  expect(res.status).toBe(200);
  const html = await res.text();
  const url = html.match(/value="(https?:\/\/[^"/]+(\/cal\/[a-z2-7]{52}\.ics))"/);
  expect(url, "the page shows the feed's address").not.toBeNull();
  return url![2]!;
}

/** iCalendar text unfolded (RFC 5545 3.1): a CRLF followed by one space or tab joins the lines. */
export function unfold(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((l) => l !== "");
}

/** A TEXT value unescaped (RFC 5545 3.3.11). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

export type FeedEvent = Record<string, string>;

/** Each VEVENT of a feed as its properties ("DTSTART;VALUE=DATE" keeps its parameters in the name). */
export function eventsOf(ics: string): FeedEvent[] {
  const out: FeedEvent[] = [];
  let current: FeedEvent | null = null;
  for (const line of unfold(ics)) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      out.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

/** The feed's answer for a path, without any cookie (as a calendar app asks). */
export async function readFeed(path: string): Promise<{ status: number; text: string; res: Response }> {
  const res = await send(path);
  return { status: res.status, text: await res.text(), res };
}
