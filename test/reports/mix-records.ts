import { post } from "../contacts/contact-helpers";
import { answered, idsOf, nextNumber, type Operation, stagesOf, subjectPath, wallTime } from "./mix-common";

export const RECORD_OPERATIONS: Record<string, [weight: number, Operation]> = {
  createContact: [
    6,
    async (_r, _ws, by) => {
      const form = { first_name: "Mix", last_name: `Person ${nextNumber()}`, allow_duplicate: "1" };
      return answered(await post("/app/contacts", by.cookie, form), "created a contact", [303]);
    },
  ],
  deleteContact: [
    3,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "contacts"));
      if (id === undefined) return "no contact to delete";
      return answered(await post(`/app/contacts/${id}/delete`, by.cookie, {}), `deleted contact ${id}`, [303]);
    },
  ],
  eraseContact: [
    2,
    async (r, ws) => {
      const id = r.pick(await idsOf(ws, "contacts"));
      if (id === undefined) return "no contact to erase";
      return answered(await post(`/app/contacts/${id}/erase`, ws.owner.cookie, {}), `erased contact ${id}`, [303]);
    },
  ],
  logActivity: [
    10,
    async (r, ws, by) => {
      const path = await subjectPath(r, ws);
      if (!path) return "nothing to log an activity on";
      const kind = r.pick(["call", "meeting", "email"])!;
      const form = { kind, occurred_at: wallTime(r), ...(kind === "call" ? { outcome: "connected" } : {}) };
      return answered(
        await post(`${path}/interactions`, by.cookie, form),
        `logged ${JSON.stringify(form)} on ${path}`,
        [303],
      );
    },
  ],
  editActivity: [
    6,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "interactions"));
      if (id === undefined) return "no activity to edit";
      const kind = r.pick(["call", "meeting", "email"])!;
      const form = { kind, occurred_at: wallTime(r), ...(kind === "call" ? { outcome: "no answer" } : {}) };
      const res = await post(`/app/interactions/${id}`, by.cookie, form);
      return answered(res, `edited activity ${id} ${JSON.stringify(form)}`, [200, 303], by.role === "member");
    },
  ],
  deleteActivity: [
    4,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "interactions"));
      if (id === undefined) return "no activity to delete";
      const res = await post(`/app/interactions/${id}/delete`, by.cookie, {});
      return answered(res, `deleted activity ${id}`, [200, 303], by.role === "member");
    },
  ],
  addNote: [
    6,
    async (r, ws, by) => {
      const path = await subjectPath(r, ws);
      if (!path) return "nothing to add a note to";
      return answered(
        await post(`${path}/notes`, by.cookie, { body: `Note ${nextNumber()}` }),
        `noted on ${path}`,
        [303],
      );
    },
  ],
  editNote: [
    2,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "notes"));
      if (id === undefined) return "no note to edit";
      const res = await post(`/app/notes/${id}`, by.cookie, { body: `Edited ${nextNumber()}` });
      return answered(res, `edited note ${id}`, [200, 303], by.role === "member");
    },
  ],
  deleteNote: [
    3,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "notes"));
      if (id === undefined) return "no note to delete";
      return answered(
        await post(`/app/notes/${id}/delete`, by.cookie, {}),
        `deleted note ${id}`,
        [200, 303],
        by.role === "member",
      );
    },
  ],
  createTask: [
    6,
    async (r, _ws, by) =>
      answered(
        await post("/app/tasks", by.cookie, { title: `Task ${nextNumber()}`, due_date: r.day() }),
        "created a task",
        [303],
      ),
  ],
  completeTask: [
    6,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "tasks", "status = 'open'"));
      if (id === undefined) return "no open task";
      return answered(
        await post(`/app/tasks/${id}/complete`, by.cookie, {}),
        `completed task ${id}`,
        [200, 303],
        by.role === "member",
      );
    },
  ],
  reopenTask: [
    4,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "tasks", "status = 'done'"));
      if (id === undefined) return "no done task";
      return answered(
        await post(`/app/tasks/${id}/reopen`, by.cookie, {}),
        `reopened task ${id}`,
        [200, 303],
        by.role === "member",
      );
    },
  ],
  deleteTask: [
    3,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "tasks"));
      if (id === undefined) return "no task to delete";
      return answered(
        await post(`/app/tasks/${id}/delete`, by.cookie, {}),
        `deleted task ${id}`,
        [303],
        by.role === "member",
      );
    },
  ],
  completeTasksInBulk: [
    2,
    async (r, ws) => {
      const ids = (await idsOf(ws, "tasks", "status = 'open'")).filter(() => r.chance(0.5)).map(String);
      if (ids.length === 0) return "no open tasks selected";
      const res = await post("/app/tasks/bulk", ws.owner.cookie, { action: "complete", ids });
      return answered(res, `completed tasks ${ids.join(",")}`, [303]);
    },
  ],
  createCompany: [
    2,
    async (_r, _ws, by) =>
      answered(
        await post("/app/companies", by.cookie, { name: `Company ${nextNumber()}` }),
        "created a company",
        [303],
      ),
  ],
  deleteCompany: [
    1,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "companies"));
      if (id === undefined) return "no company to delete";
      return answered(await post(`/app/companies/${id}/delete`, by.cookie, {}), `deleted company ${id}`, [303]);
    },
  ],
  addStage: [
    2,
    async (r, ws) => {
      const pipeline = r.pick([...new Set((await stagesOf(ws)).map((s) => s.pipeline_id))])!;
      const form = { name: `Stage ${nextNumber()}`, probability: String(r.int(100)) };
      return answered(
        await post(`/app/settings/pipelines/${pipeline}/stages`, ws.owner.cookie, form),
        `added a stage to ${pipeline}`,
        [303],
      );
    },
  ],
};
