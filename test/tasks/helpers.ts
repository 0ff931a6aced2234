/** Tasks as a user makes them: through the forms, read back as pages and rows. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";

export interface TaskRowInDb {
  id: number;
  title: string;
  status: string;
  due_date: string;
  due_time: string | null;
  due_at: number | null;
  remind_at: number | null;
  assignee_id: string;
  subject_type: string | null;
  subject_id: number | null;
  previous_id: number | null;
}

/** Adds a task through the tasks form and returns its row. */
export async function addTask(cookie: string, form: Record<string, string>): Promise<TaskRowInDb> {
  const res = await send("/app/tasks", { cookie, form: { due_date: "2026-12-24", ...form } });
  const errors = (await res.clone().text()).match(/class="field-error"[^>]*>[^<]*/g) ?? [];
  expect(res.status, errors.join(" ")).toBe(303);
  const row = await env.DB.prepare("SELECT * FROM tasks WHERE title = ? ORDER BY id DESC LIMIT 1")
    .bind(form.title)
    .first<TaskRowInDb>();
  return row!;
}

export async function taskRow(id: number): Promise<TaskRowInDb | null> {
  return env.DB.prepare("SELECT * FROM tasks WHERE id = ?").bind(id).first<TaskRowInDb>();
}

export async function userIdOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
  return row!.id;
}

/** The calendar date in `zone` now, as the tasks page reckons "today". */
export function todayIn(zone: string, offsetDays = 0): string {
  const d = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(Date.now());
  const [y, m, day] = d.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, day! + offsetDays)).toISOString().slice(0, 10);
}

/** The text of one section of the tasks page (from its heading to the next). */
export function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`id="tasks-${id}"`);
  if (start < 0) return "";
  const next = html.indexOf('<section class="task-section"', start);
  return html.slice(start, next < 0 ? undefined : next);
}
