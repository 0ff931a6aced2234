/**
 * /app/tasks: My tasks in sections, the navigation's badge, a record page's Tasks panel, and the bulk
 * actions. Viewers read; members act. Only admins and owners see other members' tasks (everyone
 * sees a record's tasks on that record, as they see the record).
 */
import { sql, type SQL } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { parseSessionToken } from "../../../auth/session";
import { TASK_KINDS, type Role, type TaskKind } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { inReaderZone, render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { safeNextPath } from "../../../lib/validation";
import { requestZone } from "../../../lib/time-zone";
import { dateInZone, isCalendarDate } from "../../../lib/zoned-time";
import { deferSessionCheck, requireRole, withSessionBatch } from "../../../middleware/session";
import { BULK_MAX, reassignTasks, rescheduleTasks, type Reschedule } from "../../../services/tasks/bulk";
import { parseSubjectRef } from "../../../services/tasks/form";
import {
  COUNT_CAP,
  decodeSectionCursor,
  dueTaskCount,
  encodeSectionCursor,
  listTaskSections,
  ONLY_COUNT_CAP,
  recordTasks,
  SECTIONS,
  taskSectionsFromResults,
  taskSectionStatements,
  type Section,
  type TaskFilter,
} from "../../../services/tasks/list";
import { recordName } from "../../../services/tasks/records";
import { completeTasks } from "../../../services/tasks/write";
import { recordPath } from "../../../../views/lib/records";
import { FormAlert } from "../../../../views/components/Field";
import { RecordTasks, TasksPage } from "../../../../views/pages/tasks/TasksPage";
import { authOf, readerDay, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";
import { canWriteTasks, readerToday, taskActorOf, taskFormProps, taskReader } from "./shared";

export const taskListRoutes = new Hono<AppEnv>();

const NOTICES: Record<string, (n: number) => string> = {
  created: () => "Task added.",
  deleted: () => "Task deleted.",
  complete: (n) => `${n} ${n === 1 ? "task" : "tasks"} completed.`,
  rescheduled: (n) => `${n} ${n === 1 ? "task" : "tasks"} rescheduled.`,
  reassigned: (n) => `${n} ${n === 1 ? "task" : "tasks"} reassigned.`,
};

/**
 * The page's filter from its query; members see only their own tasks except on a record's. Before the
 * session is checked (`role` null) the filter is what was asked, "me" being the session's user in SQL.
 */
function filterOf(c: Context<AppEnv>, me: string | SQL, role: Role | null) {
  const subject = parseSubjectRef(c.req.query("record") ?? "") ?? null;
  const kindRaw = c.req.query("kind") ?? "";
  const kind = (TASK_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as TaskKind) : null;
  const asked = c.req.query("assignee") ?? "me";
  const admin = role === null || roleAtLeast(role, "admin");
  let assignee = "me";
  if (asked === "all" && (admin || subject)) assignee = "all";
  else if (admin && /^[a-z0-9]{1,64}$/.test(asked) && asked !== "me") assignee = asked;
  const filter: TaskFilter = {
    assigneeId: assignee === "me" ? me : assignee === "all" ? null : assignee,
    kind,
    subject,
  };
  return { filter, assignee, kind: kind ?? "", record: subject ? `${subject.type}:${subject.id}` : "" };
}

// The list reads with the session check in one batch (deferSessionCheck): "today" from the request's
// zone and "me" from the session row; read again only when the reader's own zone makes another day or
// their role allows less than was asked.
taskListRoutes.get("/", deferSessionCheck, async (c) => {
  const sectionRaw = c.req.query("section") ?? "";
  const only = (SECTIONS as readonly string[]).includes(sectionRaw) ? (sectionRaw as Section) : null;
  // A section alone pages by keyset; an unreadable cursor is its first page.
  const after = only ? decodeSectionCursor(c.req.query("after")) : null;
  const deferred = c.get("deferredSession");
  const sessionId = deferred ? parseSessionToken(deferred.token)?.id : undefined;
  const early = c.get("auth");
  const guessedZone = early ? early.user.timeZone : requestZone(c.req.raw);
  const guessed = { today: dateInZone(Date.now(), guessedZone), zone: guessedZone };
  const mine = (tenantId: string) =>
    early
      ? early.user.id
      : sql`(SELECT s.user_id FROM sessions s WHERE s.id = ${sessionId ?? ""} AND s.tenant_id = ${tenantId})`;
  let asked = filterOf(c, "", early ? early.role : null);
  const batch = await withSessionBatch(c, async (t) => {
    asked = filterOf(c, mine(t.tenantId), early ? early.role : null);
    return taskSectionStatements(t, asked.filter, guessed, only, after);
  });
  if (!batch.ok) return batch.response;
  const t = batch.t;
  const auth = authOf(c);
  const f = filterOf(c, auth.user.id, auth.role);
  const day = readerDay(c);
  const same = day.today === guessed.today && day.zone === guessed.zone && f.assignee === asked.assignee;
  const [sections, name] = await Promise.all([
    same ? taskSectionsFromResults(batch.results, only, day.zone) : listTaskSections(t, f.filter, day, only, after),
    f.filter.subject ? recordName(t, f.filter.subject.type, f.filter.subject.id) : Promise.resolve(null),
  ]);
  // Who tasks may be filtered by and given to (bulk): never a viewer, who cannot complete one.
  const people = sections.members.filter((m) => !m.role || roleAtLeast(m.role, "member"));
  const params = { assignee: f.assignee, kind: f.kind, record: f.record, section: only ?? "" };
  const query = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...changes })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `/app/tasks?${s}` : "/app/tasks";
  };
  const n = Number(c.req.query("n") ?? "1");
  const noticeKey = c.req.query("notice") ?? "";
  const canWrite = canWriteTasks(c);
  return render(
    c,
    "Tasks",
    <TasksPage
      sections={sections}
      only={only}
      filter={{ assignee: f.assignee, kind: f.kind, record: f.record, recordName: name }}
      people={roleAtLeast(auth.role, "admin") ? people : people.filter((p) => p.userId === auth.user.id)}
      canSeeAll={roleAtLeast(auth.role, "admin")}
      canWrite={canWrite}
      countCap={only ? ONLY_COUNT_CAP : COUNT_CAP}
      nextHref={sections.next ? query({ after: encodeSectionCursor(sections.next) }) : null}
      firstHref={after ? query({}) : null}
      actor={taskReader(c)}
      newTaskHref={canWrite ? (f.record ? `/app/tasks/new?record=${f.record}` : "/app/tasks/new") : null}
      notice={NOTICES[noticeKey]?.(Number.isSafeInteger(n) ? n : 0) ?? null}
      here={query({ after: after ? encodeSectionCursor(after) : null })}
      query={query}
    />,
  );
});

/** The navigation's badge: the reader's open tasks due today or before. */
taskListRoutes.get("/badge", requireRole("viewer"), async (c) => {
  const n = await dueTaskCount(tenantOf(c), authOf(c).user.id, readerDay(c));
  c.header("Cache-Control", "private, no-store");
  if (n === 0) return c.html("");
  return c.html(
    <span class="badge">
      {n > 99 ? "99+" : String(n)}
      <span class="visually-hidden"> due today or overdue</span>
    </span>,
  );
});

/** A record page's Tasks panel (htmx loads it into the page); `added`: after a task added from it. */
export async function recordTasksPanel(
  c: Context<AppEnv>,
  record: string,
  errors?: Record<string, string>,
  values?: Record<string, string>,
  added = false,
) {
  const subject = parseSubjectRef(record);
  if (!subject) return null;
  const t = tenantOf(c);
  const [tasks, name] = await Promise.all([
    recordTasks(t, subject.type, subject.id),
    recordName(t, subject.type, subject.id),
  ]);
  if (name === null) return null;
  const here = recordPath(subject);
  const form = canWriteTasks(c)
    ? await taskFormProps(c, {
        action: "/app/tasks",
        values: { due_date: readerToday(c), ...values, record },
        errors,
        submit: "Add task",
        hxTarget: "#record-tasks",
        recordName: name,
      })
    : null;
  return inReaderZone(
    c,
    <RecordTasks
      id="record-tasks"
      actor={taskReader(c)}
      tasks={tasks}
      form={form}
      here={here}
      listHref={`/app/tasks?record=${record}&assignee=all`}
      added={added}
    />,
  );
}

taskListRoutes.get("/panel", requireRole("viewer"), async (c) => {
  const panel = await recordTasksPanel(c, c.req.query("record") ?? "");
  if (panel === null) return errorResponse(c, 404);
  return c.html(panel);
});

const RESCHEDULES = new Set(["plus_day", "next_monday", "date"]);

taskListRoutes.post("/bulk", requireRole("member"), async (c) => {
  const body = await c.req.parseBody({ all: true });
  const raw = body.ids;
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .map(parseRecordId)
    .filter((x): x is number => x !== null)
    .slice(0, BULK_MAX);
  const action = typeof body.action === "string" ? body.action : "";
  const next = safeNextPath(body.next, "/app/tasks");
  const back = (notice: string, n: number) => {
    const url = new URL(next, "http://x");
    url.searchParams.set("notice", notice);
    url.searchParams.set("n", String(n));
    return c.redirect(`${url.pathname}${url.search}`, 303);
  };
  const refuse = (message: string) =>
    render(
      c,
      "Tasks",
      <section class="stack narrow">
        <h1>Tasks</h1>
        <FormAlert>{message}</FormAlert>
        <a href={next}>Back to the tasks</a>
      </section>,
      400,
    );
  if (ids.length === 0) return refuse("Select the tasks first.");
  const t = tenantOf(c);
  const actor = taskActorOf(c);
  if (action === "complete") return back("complete", (await completeTasks(t, actor, ids)).length);
  if (RESCHEDULES.has(action)) {
    const date = typeof body.date === "string" ? body.date.trim() : "";
    if (action === "date" && !isCalendarDate(date)) return refuse("Enter the new due date, like 2026-12-24.");
    const how = (action === "date" ? { kind: "date", date } : { kind: action }) as Reschedule;
    return back("rescheduled", await rescheduleTasks(t, actor, ids, how, readerToday(c)));
  }
  if (action === "reassign") {
    const assignee = typeof body.assignee === "string" ? body.assignee : "";
    const n = await reassignTasks(t, actor, ids, assignee);
    if (n === null) return refuse("Choose a member of this workspace.");
    return back("reassigned", n);
  }
  return refuse("Choose what to do with the selected tasks.");
});
