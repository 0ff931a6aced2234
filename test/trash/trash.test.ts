/**
 * The trash through real requests: each kind of record moved there by its delete (gone from pages, search
 * and counters), listed on /app/trash, and restored whole (ids, tags, values, notes, links, counters, totals).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCompanyThroughForm, insertField } from "../companies/helpers";
import { createContact, expectCountersExact, insertCustomField, insertTag, post } from "../contacts/contact-helpers";
import { createDeal, expectTotalsExact, pipelinesOf } from "../deals/helpers";
import { send, textOf } from "../helpers/http";
import { queryRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";
import { customerFor, subscriptionThroughWebhook } from "../billing/helpers";
import { addTask } from "../tasks/helpers";
import { recordTables, restore, restoreTo, searchIds, trashItemOf, trashRowCount } from "./helpers";

const DAY = 86_400_000;

async function addNote(cookie: string, path: string, body: string): Promise<number> {
  const res = await send(`${path}/notes`, { cookie, form: { body } });
  expect(res.status).toBe(303);
  return (await env.DB.prepare("SELECT id FROM notes WHERE body = ? ORDER BY id DESC").bind(body).first<{
    id: number;
  }>())!.id;
}

/** A contact with an email, a phone, a tag, a custom value, a company, a note, a task and a deal. */
async function richContact(owner: Awaited<ReturnType<typeof newTenant>>) {
  const company = await createCompanyThroughForm(owner.cookie, { name: "Analytical Engines" });
  const tag = await insertTag(owner.tenantId, "VIP");
  const field = await insertCustomField(owner.tenantId, "Budget", "number");
  const contact = await createContact(owner.cookie, {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: ["ada@engines.example"],
    phones: ["+44 20 7946 0000"],
    company_id: String(company),
    tag_ids: String(tag),
    [`cf_${field}`]: "1200",
  });
  await addNote(owner.cookie, `/app/contacts/${contact}`, "Loves the difference engine");
  await addTask(owner.cookie, { title: "Call Ada back", record: `contact:${contact}` });
  const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
  const deal = await createDeal(owner.cookie, { name: "Engine order", amount: "100", stage_id: String(stage.id) });
  await env.DB.prepare("INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role) VALUES (?, ?, ?, 'Champion')")
    .bind(owner.tenantId, deal, contact)
    .run();
  return { company, tag, field, contact, deal };
}

describe("a contact in the trash", () => {
  it("leaves pages, search and counters; the trash lists it; restore brings back every row as it was", async () => {
    const owner = await newTenant("Trash Contact Co");
    const { contact } = await richContact(owner);
    const before = await recordTables(owner.tenantId);
    expect(await searchIds(owner.tenantId, "lovelace")).toEqual([contact]);

    const res = await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    const item = (await trashItemOf("contact", contact))!;
    expect(item).toMatchObject({ tenant_id: owner.tenantId, title: "Ada Lovelace" });
    expect(item.purge_after - item.deleted_at).toBe(30 * DAY);
    expect(res.headers.get("Location")).toBe(`/app/contacts?notice=deleted&trashed=${item.id}`);
    // The list page then offers the way back.
    const list = await textOf(res.headers.get("Location")!, { cookie: owner.cookie });
    expect(list).toContain("Contact moved to the trash.");
    expect(list).toContain(`action="/app/trash/${item.id}/restore"`);

    expect((await send(`/app/contacts/${contact}`, { cookie: owner.cookie })).status).toBe(404);
    expect(await searchIds(owner.tenantId, "lovelace")).toEqual([]);
    expect(await searchIds(owner.tenantId, "ada@engines")).toEqual([]);
    await expectCountersExact(owner.tenantId);
    const gone = await recordTables(owner.tenantId);
    expect(gone.contacts).toEqual([]);
    expect(gone.notes).toEqual([]);
    expect(gone.deal_contacts).toEqual([]);

    const trash = await textOf("/app/trash", { cookie: owner.cookie });
    expect(trash).toContain("Ada Lovelace");
    expect(trash).toMatch(/<td data-label="Days left">30<\/td>/);

    await restoreTo(owner.cookie, item.id, `/app/contacts/${contact}`);
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashRowCount(item.id)).toBe(0);
    const after = await recordTables(owner.tenantId);
    // Every row is back as it was, the timeline and the report aggregates included.
    expect(after).toEqual(before);
    expect(await searchIds(owner.tenantId, "lovelace")).toEqual([contact]);
    expect(await searchIds(owner.tenantId, "difference")).toEqual([contact]);
    await expectCountersExact(owner.tenantId);
    const page = await textOf(`/app/contacts/${contact}?restored=1`, { cookie: owner.cookie });
    expect(page).toContain("Restored from the trash.");
    expect(page).toContain("VIP");
    expect(page).toContain("Loves the difference engine");
    expect(page).toContain("Analytical Engines");
  });

  it("comes back without its company when the company was deleted meanwhile, and says so", async () => {
    const owner = await newTenant("Trash Company Gone Co");
    const { contact, company } = await richContact(owner);
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("contact", contact))!;
    const location = await restoreTo(owner.cookie, item.id, `/app/contacts/${contact}`);
    // The company waits in the trash too: the answer says so, and how to get the link back.
    expect(location).toContain("restored=company_in_trash");
    expect(await textOf(location, { cookie: owner.cookie })).toContain(
      "Its company is in the trash, so it came back without one: restore the company first",
    );
    const row = await env.DB.prepare("SELECT company_id, company_name, company_sort FROM contacts WHERE id = ?")
      .bind(contact)
      .first();
    expect(row).toEqual({ company_id: null, company_name: null, company_sort: "" });
  });

  it("comes back with its company's name as it is now, when the company was renamed meanwhile", async () => {
    const owner = await newTenant("Trash Company Renamed Co");
    const { contact, company } = await richContact(owner);
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    const renamed = await send(`/app/companies/${company}`, { cookie: owner.cookie, form: { name: "Babbage & Co" } });
    expect(renamed.status).toBe(303);
    const item = (await trashItemOf("contact", contact))!;
    const location = await restoreTo(owner.cookie, item.id, `/app/contacts/${contact}`);
    expect(await textOf(location, { cookie: owner.cookie })).toContain("Babbage &amp; Co");
    const row = await env.DB.prepare("SELECT company_id, company_name, company_sort FROM contacts WHERE id = ?")
      .bind(contact)
      .first();
    expect(row).toEqual({ company_id: company, company_name: "Babbage & Co", company_sort: "babbage & co" });
  });

  it("comes back, by restore and by Undo, in a past-due workspace over the Free plan's contact limit (402 never)", async () => {
    const owner = await newTenant("Trash Over Limit Co");
    const ids = [];
    for (const name of ["Grace", "Alan", "Edsger"]) ids.push(await createContact(owner.cookie, { first_name: name }));
    // The payment failed: the workspace is held to a Free limit below what it has.
    const customer = await customerFor(owner);
    await subscriptionThroughWebhook(customer, { status: "past_due" });
    const limits = { FREE_MAX_CONTACTS: "2" };
    expect(
      (await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "New" }, env: limits })).status,
    ).toBe(402);
    const [a, b] = ids as [number, number];
    await send(`/app/contacts/${a}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("contact", a))!;
    const restored = await send(`/app/trash/${item.id}/restore`, { cookie: owner.cookie, form: {}, env: limits });
    expect(restored.status, await restored.clone().text()).toBe(303);
    expect(restored.headers.get("Location")).toBe(`/app/contacts/${a}?restored=1`);
    expect((await send(`/app/contacts/${a}`, { cookie: owner.cookie, env: limits })).status).toBe(200);
    // The list's Undo after a delete posts the same restore.
    const deleted = await send(`/app/contacts/${b}/delete`, { cookie: owner.cookie, form: {}, env: limits });
    const undo = (await textOf(deleted.headers.get("Location")!, { cookie: owner.cookie })).match(
      /action="(\/app\/trash\/\d+\/restore)"/,
    )![1]!;
    expect((await send(undo, { cookie: owner.cookie, form: {}, env: limits })).status).toBe(303);
    expect(await trashItemOf("contact", b)).toBeNull();
    await expectCountersExact(owner.tenantId);
    expect(await queryRows("SELECT contacts FROM tenant_counters WHERE tenant_id = ?", owner.tenantId)).toEqual([
      { contacts: 3 },
    ]);
  });

  it("bulk delete moves each selected contact to the trash on its own", async () => {
    const owner = await newTenant("Trash Bulk Co");
    const a = await createContact(owner.cookie, { first_name: "Grace", last_name: "Hopper" });
    const b = await createContact(owner.cookie, { first_name: "Alan", last_name: "Turing" });
    const res = await post("/app/contacts/bulk", owner.cookie, {
      action: "delete",
      confirm: "1",
      ids: [String(a), String(b)],
      back: "/app/contacts",
    });
    expect(res.status).toBe(303);
    expect((await trashItemOf("contact", a))?.title).toBe("Grace Hopper");
    expect((await trashItemOf("contact", b))?.title).toBe("Alan Turing");
    await expectCountersExact(owner.tenantId);
    await restoreTo(owner.cookie, (await trashItemOf("contact", b))!.id, `/app/contacts/${b}`);
    expect(await searchIds(owner.tenantId, "turing")).toEqual([b]);
    expect(await searchIds(owner.tenantId, "hopper")).toEqual([]);
    await expectCountersExact(owner.tenantId);
  });
});

describe("a company in the trash", () => {
  it("unlinks its contacts and deals; restore links back those still without a company", async () => {
    const owner = await newTenant("Trash Company Co");
    const { company, contact, deal } = await richContact(owner);
    const tag = await insertTag(owner.tenantId, "Partner");
    await env.DB.prepare("INSERT INTO company_tags (tenant_id, company_id, tag_id) VALUES (?, ?, ?)")
      .bind(owner.tenantId, company, tag)
      .run();
    const field = await insertField(owner.tenantId, "company", "Tier", "text");
    await env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, 'Gold')",
    )
      .bind(owner.tenantId, field, company)
      .run();
    await env.DB.prepare("UPDATE deals SET company_id = ? WHERE id = ?").bind(company, deal).run();
    await addNote(owner.cookie, `/app/companies/${company}`, "Head office in London");
    const before = await recordTables(owner.tenantId);

    const res = await send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("company", company))!;
    expect(res.headers.get("Location")).toBe(`/app/companies?notice=deleted&trashed=${item.id}`);
    expect((await send(`/app/companies/${company}`, { cookie: owner.cookie })).status).toBe(404);
    const contactRow = await env.DB.prepare("SELECT company_id FROM contacts WHERE id = ?").bind(contact).first();
    expect(contactRow).toEqual({ company_id: null });

    await restoreTo(owner.cookie, item.id, `/app/companies/${company}`);
    // All back as it was, but the contact's and the deal's versions: unlinked and linked again, they changed twice
    // (an API sync by updated_since reads them again), so their updated_at is newer.
    const after = await recordTables(owner.tenantId);
    // recordTables keeps each row as its JSON text.
    const rows = (tables: Record<string, unknown[]>, table: string) =>
      (tables[table] as string[]).map((text) => JSON.parse(text) as { id: number; updated_at: number });
    const unversioned = (tables: Record<string, unknown[]>) => ({
      ...tables,
      contacts: rows(tables, "contacts").map(({ updated_at, ...row }) => row),
      deals: rows(tables, "deals").map(({ updated_at, ...row }) => row),
    });
    expect(unversioned(after)).toEqual(unversioned(before));
    const version = (tables: Record<string, unknown[]>, table: string, id: number) =>
      rows(tables, table).find((r) => r.id === id)!.updated_at;
    expect(version(after, "contacts", contact)).toBeGreaterThan(version(before, "contacts", contact));
    expect(version(after, "deals", deal)).toBeGreaterThan(version(before, "deals", deal));
    await expectCountersExact(owner.tenantId);
  });
});

describe("a deal in the trash", () => {
  it("leaves the totals and the counter; restore puts the deal, its people, tags, history and notes back", async () => {
    const owner = await newTenant("Trash Deal Co");
    const { deal } = await richContact(owner);
    const tag = await insertTag(owner.tenantId, "Hot");
    await env.DB.prepare("INSERT INTO deal_tags (tenant_id, deal_id, tag_id) VALUES (?, ?, ?)")
      .bind(owner.tenantId, deal, tag)
      .run();
    await addNote(owner.cookie, `/app/deals/${deal}`, "Needs a second engine");
    const before = await recordTables(owner.tenantId);

    const res = await send(`/app/deals/${deal}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("deal", deal))!;
    expect(res.headers.get("Location")).toBe(`/app/deals?notice=deleted&trashed=${item.id}`);
    await expectTotalsExact(owner.tenantId);
    const counters = await env.DB.prepare("SELECT deals, notes FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first();
    expect(counters).toEqual({ deals: 0, notes: 1 });

    await restoreTo(owner.cookie, item.id, `/app/deals/${deal}`);
    expect(await recordTables(owner.tenantId)).toEqual(before);
    await expectTotalsExact(owner.tenantId);
  });

  it("comes back in its pipeline's first stage when its stage was removed meanwhile, and says so", async () => {
    const owner = await newTenant("Trash Stage Gone Co");
    const stages = (await pipelinesOf(owner.tenantId))[0]!.stages;
    const stage = stages.at(-1)!;
    const deal = await createDeal(owner.cookie, { name: "Orphan", amount: "5", stage_id: String(stage.id) });
    await send(`/app/deals/${deal}/delete`, { cookie: owner.cookie, form: {} });
    // The stage is empty now that its deal is in the trash, so an admin may remove it in settings.
    const removed = await post(`/app/settings/pipelines/stages/${stage.id}/delete`, owner.cookie, { confirm: "1" });
    expect(removed.status).toBe(303);
    expect((await pipelinesOf(owner.tenantId))[0]!.stages.map((s) => s.id)).not.toContain(stage.id);
    const item = (await trashItemOf("deal", deal))!;
    const location = await restoreTo(owner.cookie, item.id, `/app/deals/${deal}`);
    expect(location).toBe(`/app/deals/${deal}?restored=new_stage`);
    expect(await textOf(location, { cookie: owner.cookie })).toContain("Its stage was removed meanwhile");
    const row = await env.DB.prepare("SELECT stage_id, pipeline_id FROM deals WHERE id = ?").bind(deal).first();
    expect(row).toEqual({ stage_id: stages[0]!.id, pipeline_id: (await pipelinesOf(owner.tenantId))[0]!.id });
    // One open span, in the stage it is in now; the one in the removed stage has ended.
    const spans = await env.DB.prepare(
      "SELECT stage_id, left_at IS NULL AS open FROM deal_stage_history WHERE deal_id = ? ORDER BY id",
    )
      .bind(deal)
      .all();
    expect(spans.results).toEqual([
      { stage_id: stage.id, open: 0 },
      { stage_id: stages[0]!.id, open: 1 },
    ]);
    await expectTotalsExact(owner.tenantId);
    expect(await trashItemOf("deal", deal)).toBeNull();
  });

  it("bulk delete moves each selected deal to the trash", async () => {
    const owner = await newTenant("Trash Deal Bulk Co");
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const a = await createDeal(owner.cookie, { name: "First", amount: "1", stage_id: String(stage.id) });
    const b = await createDeal(owner.cookie, { name: "Second", amount: "2", stage_id: String(stage.id) });
    const res = await post("/app/deals/list/bulk", owner.cookie, {
      action: "delete",
      confirm: "1",
      ids: [String(a), String(b)],
      back: "/app/deals/list",
    });
    expect(res.status).toBe(303);
    expect((await trashItemOf("deal", a))?.title).toBe("First");
    expect((await trashItemOf("deal", b))?.title).toBe("Second");
    await expectTotalsExact(owner.tenantId);
  });
});

describe("a note or a task in the trash", () => {
  it("a note goes alone and comes back; while its contact is in the trash, restore asks for the contact first", async () => {
    const owner = await newTenant("Trash Note Co");
    const contact = await createContact(owner.cookie, { first_name: "Mary", last_name: "Somerville" });
    const note = await addNote(owner.cookie, `/app/contacts/${contact}`, "Wrote On the Connexion");
    const res = await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    const item = (await trashItemOf("note", note))!;
    expect(res.headers.get("Location")).toBe(`/app/contacts/${contact}?trashed=${item.id}#timeline-contact-${contact}`);
    expect(item.title).toBe("Wrote On the Connexion");
    await expectCountersExact(owner.tenantId);
    expect(await searchIds(owner.tenantId, "connexion")).toEqual([]);

    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    const refused = await restore(owner.cookie, item.id);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(
      "Its contact Mary Somerville is in the trash too: restore the contact first.",
    );
    expect(await trashItemOf("note", note)).not.toBeNull();

    await restoreTo(owner.cookie, (await trashItemOf("contact", contact))!.id, `/app/contacts/${contact}`);
    await restoreTo(owner.cookie, item.id, `/app/contacts/${contact}`);
    expect(await searchIds(owner.tenantId, "connexion")).toEqual([contact]);
    await expectCountersExact(owner.tenantId);
  });

  it("a task goes to the trash and comes back with its record's next task date", async () => {
    const owner = await newTenant("Trash Task Co");
    const contact = await createContact(owner.cookie, { first_name: "Emmy", last_name: "Noether" });
    const task = await addTask(owner.cookie, { title: "Send the paper", record: `contact:${contact}` });
    const due = () => env.DB.prepare("SELECT next_task_due FROM contacts WHERE id = ?").bind(contact).first();
    expect(await due()).toEqual({ next_task_due: "2026-12-24" });
    const res = await send(`/app/tasks/${task.id}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("task", task.id))!;
    expect(res.headers.get("Location")).toBe(`/app/contacts/${contact}?trashed=${item.id}#record-tasks`);
    expect(await due()).toEqual({ next_task_due: null });
    await restoreTo(owner.cookie, item.id, `/app/contacts/${contact}`);
    expect(await due()).toEqual({ next_task_due: "2026-12-24" });
    expect(await env.DB.prepare("SELECT title FROM tasks WHERE id = ?").bind(task.id).first()).toEqual({
      title: "Send the paper",
    });
  });
});

describe("deleting for good", () => {
  it("an admin deletes a trashed record for good; it cannot be restored then", async () => {
    const owner = await newTenant("Trash Purge Co");
    const contact = await createContact(owner.cookie, { first_name: "Sophie", last_name: "Germain" });
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("contact", contact))!;
    const res = await send(`/app/trash/${item.id}/delete`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(await trashItemOf("contact", contact)).toBeNull();
    expect(await trashRowCount(item.id)).toBe(0);
    expect((await restore(owner.cookie, item.id)).status).toBe(404);
    expect((await send(`/app/contacts/${contact}`, { cookie: owner.cookie })).status).toBe(404);
  });
});
