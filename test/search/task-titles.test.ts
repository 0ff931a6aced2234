/**
 * The header search finds tasks by words in any script, whatever their case: "ölwechsel" finds "Ölwechsel planen"
 * and "позвонить" finds "Позвонить Ивану" (SQLite's lower() folds ASCII only, so tasks keep a lower-cased copy of
 * their title written by the app). New, edited, repeated, API-made and restored tasks are all found.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addTask } from "../tasks/helpers";
import { restoreTo, trashItemOf } from "../trash/helpers";

const BOX = { "HX-Request": "true", "HX-Target": "global-results" };

/** The tasks the header's search box links to for `q`, in the order shown. */
async function tasksFound(cookie: string, q: string): Promise<number[]> {
  const html = await textOf(`/app/search?q=${encodeURIComponent(q)}`, { cookie, headers: BOX });
  return [...html.matchAll(/href="\/app\/tasks\/(\d+)\/edit"/g)].map((m) => Number(m[1]));
}

describe("searching tasks by a word with a capital outside ASCII", () => {
  it("finds “Ölwechsel planen”, “Élan kickoff” and “Позвонить Ивану” by their words in either case", async () => {
    const w = await newTenant("Umlaut Tasks Co");
    const oil = await addTask(w.cookie, { title: "Ölwechsel planen", due_date: "2030-03-01" });
    const elan = await addTask(w.cookie, { title: "Élan kickoff", due_date: "2030-03-02" });
    const call = await addTask(w.cookie, { title: "Позвонить Ивану", due_date: "2030-03-03" });
    await addTask(w.cookie, { title: "Reifen wechseln", due_date: "2030-03-04" });

    for (const q of ["ölwechsel", "Ölwechsel", "ÖLWECHSEL", "ölwech"])
      expect(await tasksFound(w.cookie, q), q).toEqual([oil.id]);
    for (const q of ["élan", "Élan"]) expect(await tasksFound(w.cookie, q), q).toEqual([elan.id]);
    for (const q of ["позвонить", "Позвонить", "ивану"]) expect(await tasksFound(w.cookie, q), q).toEqual([call.id]);
    // The search page and the command palette read the same.
    expect(await textOf("/app/search?q=%C3%B6lwechsel", { cookie: w.cookie })).toContain("Ölwechsel planen");
    const palette = (await (
      await send(`/app/search?q=${encodeURIComponent("позвонить")}&format=json`, { cookie: w.cookie })
    ).json()) as {
      tasks: { name: string }[];
    };
    expect(palette.tasks.map((h) => h.name)).toEqual(["Позвонить Ивану"]);
  });

  it("finds a task by its new title after an edit, and a recurring task's next one, open first", async () => {
    const w = await newTenant("Umlaut Edit Co");
    const task = await addTask(w.cookie, { title: "Oil change", due_date: "2030-04-01", repeat: "week" });
    expect(await tasksFound(w.cookie, "ölwechsel")).toEqual([]);
    const edited = await send(`/app/tasks/${task.id}`, {
      cookie: w.cookie,
      form: { title: "Ölwechsel Werkstatt", due_date: "2030-04-01", repeat: "week", repeat_every: "1" },
    });
    expect(edited.status).toBe(303);
    expect(await tasksFound(w.cookie, "ölwechsel")).toEqual([task.id]);
    expect(await tasksFound(w.cookie, "oil")).toEqual([]);

    await send(`/app/tasks/${task.id}/complete`, { cookie: w.cookie, form: {} });
    const next = await env.DB.prepare("SELECT id FROM tasks WHERE previous_id = ?").bind(task.id).first<number>("id");
    expect(next).not.toBeNull();
    expect(await tasksFound(w.cookie, "ölwechsel")).toEqual([next, task.id]);
  });

  it("finds a task the API made or renamed, through the API's search too", async () => {
    const w = await newTenant("Umlaut Api Co");
    const key = await makeKey(w.cookie);
    const made = await api("/tasks", { key, method: "POST", json: { title: "Ärger klären", due_date: "2030-05-01" } });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    expect(await tasksFound(w.cookie, "ärger")).toEqual([id]);
    const renamed = await api(`/tasks/${id}`, { key, method: "PATCH", json: { title: "Übergabe klären" } });
    expect(renamed.status).toBe(200);
    const found = (await (await api(`/search?q=${encodeURIComponent("übergabe")}`, { key })).json()) as {
      tasks: { data: { id: number }[] };
    };
    expect(found.tasks.data.map((t) => t.id)).toEqual([id]);
    expect(await tasksFound(w.cookie, "ärger")).toEqual([]);
  });

  it("finds a task restored from the trash, also one trashed before tasks kept a lower-cased title", async () => {
    const w = await newTenant("Umlaut Trash Co");
    const task = await addTask(w.cookie, { title: "Ölwechsel nachholen", due_date: "2030-06-01" });
    await send(`/app/tasks/${task.id}/delete`, { cookie: w.cookie, form: {} });
    expect(await tasksFound(w.cookie, "ölwechsel")).toEqual([]);
    await restoreTo(w.cookie, (await trashItemOf("task", task.id))!.id, "/app/tasks");
    expect(await tasksFound(w.cookie, "ölwechsel")).toEqual([task.id]);

    // A snapshot taken before migration 0037 has no title_sort: the task still comes back, folded as SQL can.
    const old = await addTask(w.cookie, { title: "Öl NACHFÜLLEN", due_date: "2030-06-02" });
    await send(`/app/tasks/${old.id}/delete`, { cookie: w.cookie, form: {} });
    const item = (await trashItemOf("task", old.id))!;
    await env.DB.prepare("UPDATE trash_rows SET data = json_remove(data, '$.title_sort') WHERE item_id = ?")
      .bind(item.id)
      .run();
    await restoreTo(w.cookie, item.id, "/app/tasks");
    expect(await tasksFound(w.cookie, "nachf")).toEqual([old.id]);
  });
});
