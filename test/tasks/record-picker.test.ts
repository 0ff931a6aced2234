/**
 * The task form's record picker: a task written on the tasks page is linked to whom it is about by searching
 * the workspace's contacts, companies and deals (never another workspace's); the form keeps a plain select for
 * browsers without JavaScript, showing the record a task is linked to; and changing the link on the edit form
 * is saved, while another workspace's record posted by hand is refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { createCompanyThroughForm } from "../companies/helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask } from "./helpers";

/** Each option: its value ("contact:12", or none) and its text. */
const optionsOf = (html: string) =>
  [...html.matchAll(/<div role="option"([^>]*)>(.*?)<\/div>/g)].map((m) => [
    m[1]!.match(/data-id="([^"]+)"/)?.[1] ?? null,
    m[2]!.replace(/<[^>]+>/g, "").replace(/\s+/g, " "),
  ]);

const subjectOf = async (id: number) =>
  env.DB.prepare("SELECT subject_type AS type, subject_id AS id FROM tasks WHERE id = ?").bind(id).first();

describe("the task form's record picker", () => {
  it("finds contacts, companies and deals of the workspace by name, each saying what it is", async () => {
    const t = await newTenant("Picker Co");
    const other = await newTenant("Picker Other");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Engel", emails: "ada@engel.example" });
    const company = await createCompanyThroughForm(t.cookie, { name: "Engel Mills", domain: "engel.example" });
    const stage = (await pipelinesOf(t.tenantId))[0]!.stages[0]!;
    const deal = await createDeal(t.cookie, { name: "Engel renewal", stage_id: String(stage.id) });
    await createContact(other.cookie, { first_name: "Eve", last_name: "Engel" });

    const html = await textOf("/app/tasks/record-options?q=engel", { cookie: t.cookie });
    expect(optionsOf(html)).toEqual([
      [`contact:${ada}`, "Ada Engel · Contact · ada@engel.example"],
      [`company:${company}`, "Engel Mills · Company · engel.example"],
      [`deal:${deal}`, `Engel renewal · Deal · ${stage.name}`],
    ]);
    expect(optionsOf(await textOf("/app/tasks/record-options?q=eve", { cookie: t.cookie }))).toEqual([
      [null, "No contact, company or deal matches “eve”"],
    ]);
    for (const q of ['"', "*", "engel OR 1=1", "NEAR(a b)", "%", "", "<b>x</b>"]) {
      const res = await send(`/app/tasks/record-options?q=${encodeURIComponent(q)}`, { cookie: t.cookie });
      expect(res.status, q).toBe(200);
      expect(await res.text()).not.toContain("<b>");
    }
    const viewer = await memberOf(t.tenantId, "viewer");
    expect((await send("/app/tasks/record-options?q=engel", { cookie: viewer.cookie })).status).toBe(403);
  });

  it("links a new task to the record picked, shows it on the edit form, and saves a change of link", async () => {
    const t = await newTenant("Picker Links");
    const other = await newTenant("Picker Links Other");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const company = await createCompanyThroughForm(t.cookie, { name: "Analytical Engines" });
    const theirs = await createContact(other.cookie, { first_name: "Eve" });

    const form = await textOf("/app/tasks/new", { cookie: t.cookie });
    expect(form).toMatch(/<div class="record-combobox" data-options="\/app\/tasks\/record-options"/);
    expect(form).toMatch(
      /<select id="task-record" name="record"[^>]*><option value="" selected="">Not linked<\/option><\/select>/,
    );

    const task = await addTask(t.cookie, { title: "Call Ada", due_date: "2031-01-10", record: `contact:${ada}` });
    expect(await subjectOf(task.id)).toEqual({ type: "contact", id: ada });
    const edit = await textOf(`/app/tasks/${task.id}/edit`, { cookie: t.cookie });
    expect(edit).toContain(`<option value="contact:${ada}" selected="">Ada Lovelace</option>`);

    const relink = await send(`/app/tasks/${task.id}`, {
      cookie: t.cookie,
      form: { title: "Call Ada", due_date: "2031-01-10", record: `company:${company}` },
    });
    expect(relink.status).toBeLessThan(400);
    expect(await subjectOf(task.id)).toEqual({ type: "company", id: company });
    const foreign = await send(`/app/tasks/${task.id}`, {
      cookie: t.cookie,
      form: { title: "Call Ada", due_date: "2031-01-10", record: `contact:${theirs}` },
    });
    expect(foreign.status).toBe(422);
    expect(await foreign.text()).toContain("of this workspace");
    expect(await subjectOf(task.id)).toEqual({ type: "company", id: company });
  });

  it("names a linked contact without a name by its email, as the picker and every page do", async () => {
    const t = await newTenant("Picker Nameless");
    const nameless = await createContact(t.cookie, { emails: "only.an.address@example.com" });
    const task = await addTask(t.cookie, {
      title: "Write back",
      due_date: "2031-01-10",
      record: `contact:${nameless}`,
    });
    const edit = await textOf(`/app/tasks/${task.id}/edit`, { cookie: t.cookie });
    expect(edit).toContain(`<option value="contact:${nameless}" selected="">only.an.address@example.com</option>`);
    const list = await textOf(`/app/tasks?record=contact:${nameless}&assignee=all`, { cookie: t.cookie });
    expect(list).toContain("only.an.address@example.com");
  });
});
