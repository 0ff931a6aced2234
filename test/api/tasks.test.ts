/**
 * /api/v1/tasks as a client sees it: create (assigned to the key's maker), list with My tasks' filters, partial
 * updates, completing through the app's own completion (task.completed, the timeline, a recurring task's next
 * one), reopening, validation naming every field with nothing written, the trash, isolation and scopes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "./helpers";

type Task = {
  id: number;
  title: string;
  due_date: string;
  due_time: string | null;
  assignee_id: string;
  subject_type: string | null;
  subject_id: number | null;
  status: string;
  repeat: { unit: string; every: number } | null;
  completed_at: string | null;
};

async function created(key: string, json: unknown): Promise<Task> {
  const res = await api("/tasks", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  expect(res.headers.get("Location")).toBe(`/api/v1/tasks/${((await res.clone().json()) as Task).id}`);
  return (await res.json()) as Task;
}

async function patched(key: string, id: number, json: unknown): Promise<Task> {
  const res = await api(`/tasks/${id}`, { key, method: "PATCH", json });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Task;
}

const userIdOf = async (email: string) =>
  (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<string>("id"))!;

async function contactOf(key: string, first_name: string): Promise<number> {
  const res = await api("/contacts", { key, method: "POST", json: { first_name } });
  return ((await res.json()) as { id: number }).id;
}

const tasksOf = (tenantId: string) =>
  env.DB.prepare("SELECT id, status FROM tasks WHERE tenant_id = ? ORDER BY id").bind(tenantId).all();

describe("API tasks", () => {
  it("create for the key's maker, read, and list by status, due date, assignee and linked record", async () => {
    const owner = await newTenant("Tasks API Co");
    const key = await makeKey(owner.cookie);
    const ada = await contactOf(key, "Ada");
    const call = await created(key, {
      title: "Call Ada",
      kind: "call",
      due_date: "2026-12-24",
      due_time: "14:30",
      subject_type: "contact",
      subject_id: ada,
    });
    expect(call).toMatchObject({
      title: "Call Ada",
      due_time: "14:30",
      assignee_id: await userIdOf(owner.email),
      subject_type: "contact",
      subject_id: ada,
      status: "open",
    });
    expect(await (await api(`/tasks/${call.id}`, { key })).json()).toEqual(call);
    const later = await created(key, { title: "Write up", due_date: "2027-01-10" });
    const ids = async (query: string) =>
      ((await (await api(`/tasks${query}`, { key })).json()) as { data: Task[] }).data.map((t) => t.id);
    expect(await ids("?due_before=2026-12-31")).toEqual([call.id]);
    expect(await ids("?due_after=2027-01-01")).toEqual([later.id]);
    expect(await ids(`?subject_type=contact&subject_id=${ada}`)).toEqual([call.id]);
    expect(await ids(`?assignee=${call.assignee_id}&status=open`)).toEqual([call.id, later.id]);
    expect(await ids("?status=done")).toEqual([]);
    for (const [query, field] of [
      ["?due_before=soon", "due_before"],
      ["?subject_type=contact", "subject_id"],
    ]) {
      const bad = await api(`/tasks${query}`, { key });
      expect(bad.status, query).toBe(422);
      expect((await problemOf(bad)).errors!.map((e) => e.field)).toEqual([field]);
    }
  });

  it("change in part, complete as the app does (task.completed, the next of a recurring task), and reopen", async () => {
    const owner = await newTenant("Tasks API Done");
    const key = await makeKey(owner.cookie);
    await addEndpoint(owner.cookie, receiverUrl("tasks-api"), ["task.completed"]);
    const ada = await contactOf(key, "Ada");
    const task = await created(key, {
      title: "Weekly check-in",
      due_date: "2026-12-07",
      subject_type: "contact",
      subject_id: ada,
      repeat: { unit: "week", every: 1 },
    });
    const renamed = await patched(key, task.id, { title: "Weekly call" });
    expect(renamed).toMatchObject({ title: "Weekly call", due_date: "2026-12-07", repeat: { unit: "week", every: 1 } });

    const done = await patched(key, task.id, { status: "done" });
    expect(done.status).toBe("done");
    expect(done.completed_at).not.toBeNull();
    const events = await eventsOf(owner.tenantId);
    expect(events.map((e) => e.type)).toEqual(["task.completed"]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ id: task.id, status: "done" });
    const next = (await tasksOf(owner.tenantId)).results.at(-1) as { id: number; status: string };
    expect(next.id).not.toBe(task.id);
    expect(await (await api(`/tasks/${next.id}`, { key })).json()).toMatchObject({
      due_date: "2026-12-14",
      status: "open",
    });
    const timeline = await env.DB.prepare(
      "SELECT kind FROM activities WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ? ORDER BY id",
    )
      .bind(owner.tenantId, ada)
      .all<{ kind: string }>();
    expect(timeline.results.map((r) => r.kind)).toContain("task_completed");

    // Reopening takes back the untouched next one, as the app's Undo does.
    expect(await patched(key, task.id, { status: "open" })).toMatchObject({ status: "open", completed_at: null });
    expect((await tasksOf(owner.tenantId)).results).toEqual([{ id: task.id, status: "open" }]);
  });

  it("read a PATCH's day and time in the task's own time_zone, as the record shows them", async () => {
    const owner = await newTenant("Tasks API Zones");
    const key = await makeKey(owner.cookie);
    const task = await created(key, { title: "Tokyo call", due_date: "2026-06-10", due_time: "09:00" });
    // A task made in the app by someone in Tokyo, in a UTC workspace.
    await env.DB.prepare("UPDATE tasks SET time_zone = 'Asia/Tokyo', due_at = ? WHERE id = ?")
      .bind(Date.UTC(2026, 5, 10, 0, 0), task.id)
      .run();
    const moved = (await patched(key, task.id, { due_date: "2026-06-11" })) as Task & {
      time_zone: string;
      due_at: string;
    };
    expect(moved).toMatchObject({ due_date: "2026-06-11", due_time: "09:00", time_zone: "Asia/Tokyo" });
    expect(moved.due_at).toBe("2026-06-11T00:00:00.000Z");
  });

  it("refuse bad bodies with every field named, and write nothing", async () => {
    const owner = await newTenant("Tasks API Bad");
    const other = await newTenant("Tasks API Other");
    const key = await makeKey(owner.cookie);
    const stranger = await contactOf(await makeKey(other.cookie), "Stranger");
    const task = await created(key, { title: "Kept", due_date: "2026-12-24" });
    const fields = async (method: string, path: string, json: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      return (await problemOf(res)).errors!.map((e) => e.field).sort();
    };
    expect(await fields("POST", "/tasks", { kind: "fax" })).toEqual(["kind"]);
    expect(await fields("POST", "/tasks", { remind_lead: 7 })).toEqual(["due_date", "remind_lead", "title"]);
    expect(await fields("POST", "/tasks", { title: "x", due_date: "2026-02-30", status: "done" })).toEqual([
      "due_date",
      "status",
    ]);
    expect(await fields("POST", "/tasks", { title: "x", due_date: "2026-12-24", subject_type: "contact" })).toEqual([
      "subject_id",
    ]);
    // Another workspace's contact and someone who is not a member are unknown here.
    const linked = { title: "x", due_date: "2026-12-24", subject_type: "contact", subject_id: stranger };
    expect(await fields("POST", "/tasks", linked)).toEqual(["subject_id"]);
    expect(await fields("PATCH", `/tasks/${task.id}`, { assignee_id: "nobody" })).toEqual(["assignee_id"]);
    expect(await fields("PATCH", `/tasks/${task.id}`, { title: "" })).toEqual(["title"]);
    expect((await tasksOf(owner.tenantId)).results).toEqual([{ id: task.id, status: "open" }]);
    expect(await (await api(`/tasks/${task.id}`, { key })).json()).toEqual(task);
  });

  it("delete to the trash; another workspace's task is a 404 and a read key cannot write", async () => {
    const a = await newTenant("Tasks API A");
    const b = await newTenant("Tasks API B");
    const keyA = await makeKey(a.cookie);
    const keyB = await makeKey(b.cookie);
    const readA = await makeKey(a.cookie, { name: "Reader", scope: "read" });
    const task = await created(keyA, { title: "Private", due_date: "2026-12-24" });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const json = method === "PATCH" ? { status: "done" } : undefined;
      const res = await api(`/tasks/${task.id}`, { key: keyB, method, json });
      expect(res.status, method).toBe(404);
      expect((await problemOf(res)).code).toBe("not_found");
    }
    expect((await api(`/tasks/${task.id}`, { key: readA })).status).toBe(200);
    expect((await api(`/tasks/${task.id}`, { key: readA, method: "PATCH", json: { status: "done" } })).status).toBe(
      403,
    );
    expect((await api(`/tasks/${task.id}`, { key: keyA, method: "DELETE" })).status).toBe(204);
    expect((await api(`/tasks/${task.id}`, { key: keyA })).status).toBe(404);
    const trashed = await env.DB.prepare("SELECT kind, record_id FROM trash_items WHERE tenant_id = ?")
      .bind(a.tenantId)
      .all();
    expect(trashed.results).toEqual([{ kind: "task", record_id: task.id }]);
  });
});
