/**
 * Events are written in the same batch as the change: a change writes its event only when the workspace has
 * an enabled endpoint subscribed to it, a refused or empty change writes none, and each event gets one
 * delivery per subscribed endpoint.
 */
import { describe, expect, it } from "vitest";
import { createContact, post } from "../contacts/contact-helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { send } from "../helpers/http";
import { importFile } from "../import/helpers";
import { addTask } from "../tasks/helpers";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, deliveriesOf, eventsOf, receiverUrl } from "./helpers";

describe("the webhook outbox", () => {
  it("writes nothing for a workspace without endpoints", async () => {
    const t = await newTenant("No Hooks Ltd");
    const id = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace", emails: "ada@example.com" });
    await post(`/app/contacts/${id}`, t.cookie, { first_name: "Ada", last_name: "King" });
    await post(`/app/contacts/${id}/delete`, t.cookie, {});
    expect(await eventsOf(t.tenantId)).toEqual([]);
    expect(await deliveriesOf(t.tenantId)).toEqual([]);
  });

  it("writes contact events with the contact as it is, one delivery per subscribed endpoint", async () => {
    const t = await newTenant("Hooked Contacts");
    const all = await addEndpoint(t.cookie, receiverUrl("outbox-all"), [
      "contact.created",
      "contact.updated",
      "contact.deleted",
    ]);
    const createdOnly = await addEndpoint(t.cookie, receiverUrl("outbox-created"), ["contact.created"]);
    await addEndpoint(t.cookie, receiverUrl("outbox-deals"), ["deal.won"]);

    const id = await createContact(t.cookie, {
      first_name: "Grace",
      last_name: "Hopper",
      emails: ["grace@example.com", "g.hopper@example.com"],
      job_title: "Rear Admiral",
    });
    let events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["contact.created"]);
    expect(events[0]!.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({
      id,
      first_name: "Grace",
      last_name: "Hopper",
      emails: ["grace@example.com", "g.hopper@example.com"],
      job_title: "Rear Admiral",
    });
    const created = await deliveriesOf(t.tenantId);
    expect(created.map((d) => d.endpoint_id).sort()).toEqual([all, createdOnly].sort());
    expect(created.every((d) => d.status === "pending" && d.event_id === events[0]!.id)).toBe(true);

    await post(`/app/contacts/${id}`, t.cookie, {
      first_name: "Grace",
      last_name: "Murray Hopper",
      emails: "grace@example.com",
    });
    await post(`/app/contacts/${id}/delete`, t.cookie, {});
    events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["contact.created", "contact.updated", "contact.deleted"]);
    expect(JSON.parse(events[1]!.payload)).toMatchObject({
      id,
      last_name: "Murray Hopper",
      emails: ["grace@example.com"],
    });
    expect(JSON.parse(events[2]!.payload)).toEqual({ id, erased: false, merged_into: null });
    // The update and the delete went only to the endpoint subscribed to them.
    const later = (await deliveriesOf(t.tenantId)).filter((d) => d.event_id !== events[0]!.id);
    expect(later.map((d) => d.endpoint_id)).toEqual([all, all]);
  });

  it("writes no event when the change is refused (a stale form), and none for a disabled endpoint", async () => {
    const t = await newTenant("Stale Forms");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("outbox-stale"), ["contact.updated", "contact.created"]);
    const id = await createContact(t.cookie, { first_name: "Alan", last_name: "Turing" });
    const stale = await post(`/app/contacts/${id}`, t.cookie, { first_name: "Alan", last_name: "T.", version: "1" });
    expect(stale.status).toBe(409);
    expect((await eventsOf(t.tenantId)).map((e) => e.type)).toEqual(["contact.created"]);

    await post(`/app/settings/webhooks/${endpoint}/disable`, t.cookie, {});
    await createContact(t.cookie, { first_name: "Joan", last_name: "Clarke" });
    expect(await eventsOf(t.tenantId)).toHaveLength(1);
  });

  it("writes deal events: created, stage changed (with where it was), won", async () => {
    const t = await newTenant("Hooked Deals");
    await addEndpoint(t.cookie, receiverUrl("outbox-deals-2"), [
      "deal.created",
      "deal.stage_changed",
      "deal.won",
      "deal.lost",
    ]);
    const stages = (await pipelinesOf(t.tenantId))[0]!.stages;
    const id = await createDeal(t.cookie, { name: "Big one", amount: "1200", stage_id: String(stages[0]!.id) });
    await post(`/app/deals/${id}/move`, t.cookie, { stage_id: String(stages[1]!.id) });
    // Moving it where it is already is no change, and no event.
    await post(`/app/deals/${id}/move`, t.cookie, { stage_id: String(stages[1]!.id) });
    await post(`/app/deals/${id}/won`, t.cookie, { closed_on: "2026-12-01" });
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["deal.created", "deal.stage_changed", "deal.won"]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ id, name: "Big one", amount_minor: 120000, status: "open" });
    expect(JSON.parse(events[1]!.payload)).toMatchObject({
      id,
      stage_id: stages[1]!.id,
      stage: stages[1]!.name,
      previous_stage_id: stages[0]!.id,
      previous_stage: stages[0]!.name,
    });
    expect(JSON.parse(events[2]!.payload)).toMatchObject({ id, status: "won", closed_on: "2026-12-01" });
    // A bulk move from the deal list writes one per deal moved.
    const other = await createDeal(t.cookie, { name: "Small one", amount: "10", stage_id: String(stages[0]!.id) });
    await post("/app/deals/list/bulk", t.cookie, {
      action: "move",
      stage_id: String(stages[2]!.id),
      ids: [String(other)],
    });
    const moved = (await eventsOf(t.tenantId)).filter((e) => e.type === "deal.stage_changed").at(-1)!;
    expect(JSON.parse(moved.payload)).toMatchObject({
      id: other,
      stage_id: stages[2]!.id,
      previous_stage_id: stages[0]!.id,
    });
  });

  it("writes company events (created, updated, deleted as it was) and note.created", async () => {
    const t = await newTenant("Hooked Companies");
    await addEndpoint(t.cookie, receiverUrl("outbox-companies"), [
      "company.created",
      "company.updated",
      "company.deleted",
      "note.created",
    ]);
    const created = await post("/app/companies", t.cookie, { name: "Northwind", domain: "northwind.example" });
    const id = Number(created.headers.get("Location")!.match(/^\/app\/companies\/(\d+)$/)![1]);
    await post(`/app/companies/${id}`, t.cookie, { name: "Northwind Traders", domain: "northwind.example" });
    await post(`/app/companies/${id}/notes`, t.cookie, { body: "Met at the fair" });
    await post(`/app/companies/${id}/delete`, t.cookie, {});
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual([
      "company.created",
      "company.updated",
      "note.created",
      "company.deleted",
    ]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ id, name: "Northwind", domain: "northwind.example" });
    expect(JSON.parse(events[2]!.payload)).toMatchObject({
      subject_type: "company",
      subject_id: id,
      body: "Met at the fair",
    });
    expect(JSON.parse(events[3]!.payload)).toMatchObject({ id, name: "Northwind Traders", merged_into: null });
  });

  it("imports write the same events as the forms, in each chunk's batch", async () => {
    const t = await newTenant("Hooked Imports");
    await addEndpoint(t.cookie, receiverUrl("outbox-import"), ["contact.created", "contact.updated"]);
    const first = await importFile(
      t.cookie,
      "First name,Last name,Email\nAda,Lovelace,ada@import.example\nAlan,Turing,alan@import.example\n",
    );
    expect(first.result.status).toBe("done");
    const second = await importFile(
      t.cookie,
      "First name,Last name,Email,Job title\nAda,Lovelace,ada@import.example,Countess\n",
    );
    expect(second.result.status).toBe("done");
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type).sort()).toEqual(["contact.created", "contact.created", "contact.updated"]);
    const updated = JSON.parse(events.find((e) => e.type === "contact.updated")!.payload);
    expect(updated).toMatchObject({ first_name: "Ada", job_title: "Countess", emails: ["ada@import.example"] });
  });

  it("an erased contact's details leave the outbox with it; only the erasure's id-only event stays", async () => {
    const t = await newTenant("Hooked Erasure");
    await addEndpoint(t.cookie, receiverUrl("outbox-erasure"), ["contact.created", "contact.deleted", "note.created"]);
    const id = await createContact(t.cookie, { first_name: "Erin", last_name: "Erased", emails: "erin@example.com" });
    const kept = await createContact(t.cookie, { first_name: "Kim", last_name: "Kept" });
    await post(`/app/contacts/${id}/notes`, t.cookie, { body: "Erin's private note" });
    expect(await eventsOf(t.tenantId)).toHaveLength(3);
    expect((await post(`/app/contacts/${id}/erase`, t.cookie, {})).status).toBe(303);
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => [e.type, JSON.parse(e.payload).id])).toEqual([
      ["contact.created", kept],
      ["contact.deleted", id],
    ]);
    expect(JSON.parse(events[1]!.payload)).toEqual({ id, erased: true, merged_into: null });
    expect(JSON.stringify(events)).not.toContain("Erin");
    expect((await deliveriesOf(t.tenantId)).map((d) => d.event_id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it("erasing a contact also erases what was sent about a contact merged into it (the same person)", async () => {
    const t = await newTenant("Hooked Merged Erasure");
    await addEndpoint(t.cookie, receiverUrl("outbox-merged"), ["contact.created", "contact.updated"]);
    const kept = await createContact(t.cookie, { first_name: "Erin", last_name: "Erased", emails: "erin@example.com" });
    const twin = await createContact(t.cookie, { first_name: "Erin", last_name: "E.", emails: "erin@home.example" });
    const other = await createContact(t.cookie, { first_name: "Kim", last_name: "Kept" });
    const review = await send(`/app/contacts/${kept}/merge?with=${twin}`, { cookie: t.cookie });
    const html = await review.text();
    const version = (name: string) => html.match(new RegExp(`name="${name}" value="(\\d+)"`))?.[1] ?? "";
    const merged = await post(`/app/contacts/${kept}/merge`, t.cookie, {
      with: String(twin),
      kept_version: version("kept_version"),
      merged_version: version("merged_version"),
    });
    expect(merged.status).toBe(303);
    expect(JSON.stringify(await eventsOf(t.tenantId))).toContain("erin@home.example");

    expect((await post(`/app/contacts/${kept}/erase`, t.cookie, {})).status).toBe(303);
    const left = await eventsOf(t.tenantId);
    expect(JSON.stringify(left)).not.toMatch(/erin|Erased/i);
    expect(left.map((e) => JSON.parse(e.payload).id)).toEqual([other]);
  });

  it("writes task.completed once, when the task is completed (not again for a second click)", async () => {
    const t = await newTenant("Hooked Tasks");
    await addEndpoint(t.cookie, receiverUrl("outbox-tasks"), ["task.completed"]);
    const task = await addTask(t.cookie, { title: "Call the hooks" });
    expect(await eventsOf(t.tenantId)).toEqual([]);
    await send(`/app/tasks/${task.id}/complete`, { cookie: t.cookie, form: {} });
    await send(`/app/tasks/${task.id}/complete`, { cookie: t.cookie, form: {} });
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["task.completed"]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ id: task.id, title: "Call the hooks", status: "done" });
  });
});
