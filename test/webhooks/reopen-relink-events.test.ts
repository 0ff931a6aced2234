/**
 * Webhook events of changes that had none: reopening a won or lost deal (deal.updated naming status) or a done task
 * (task.reopened), from the API and the app alike, and a company's delete or restore unlinking or relinking its
 * contacts and deals (contact.updated, deal.updated naming company_id), each in the change's own batch.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { post } from "../contacts/contact-helpers";
import { newTenant } from "../helpers/tenants";
import { restoreTo, trashItemOf } from "../trash/helpers";
import { addEndpoint, eventsOf, receiverUrl } from "./helpers";

describe("webhook events of reopens and of a company's delete and restore", () => {
  it("reopening a won deal or a done task sends deal.updated or task.reopened, once, from the API and the app", async () => {
    const t = await newTenant("Hooked Reopens");
    const key = await makeKey(t.cookie);
    await addEndpoint(t.cookie, receiverUrl("reopens"), ["deal.updated", "deal.won", "deal.lost", "task.reopened"]);
    const call = async (path: string, method: string, json?: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as { id: number };
    };
    const types = async () => (await eventsOf(t.tenantId)).map((e) => e.type);
    const last = async () => JSON.parse((await eventsOf(t.tenantId)).at(-1)!.payload);

    const deal = await call("/deals", "POST", { name: "Renewal", amount_minor: 5000 });
    await call(`/deals/${deal.id}`, "PATCH", { status: "won", closed_on: "2027-01-15" });
    await call(`/deals/${deal.id}`, "PATCH", { status: "open" });
    expect(await types()).toEqual(["deal.won", "deal.updated"]);
    expect(await last()).toMatchObject({
      id: deal.id,
      status: "open",
      closed_on: null,
      lost_reason: null,
      changed: ["status", "closed_on"],
    });
    // Open already: nothing to send.
    await call(`/deals/${deal.id}`, "PATCH", { status: "open" });
    expect(await types()).toEqual(["deal.won", "deal.updated"]);
    // The deal page's Reopen, after a loss: the reason goes too.
    await call(`/deals/${deal.id}`, "PATCH", { status: "lost", lost_reason: "Price" });
    expect((await post(`/app/deals/${deal.id}/reopen`, t.cookie, {})).status).toBe(303);
    expect(await types()).toEqual(["deal.won", "deal.updated", "deal.lost", "deal.updated"]);
    expect(await last()).toMatchObject({ status: "open", changed: ["status", "closed_on", "lost_reason"] });

    const task = await call("/tasks", "POST", { title: "Call back", due_date: "2027-01-05" });
    await call(`/tasks/${task.id}`, "PATCH", { status: "done" });
    await call(`/tasks/${task.id}`, "PATCH", { status: "open" });
    expect((await types()).at(-1)).toBe("task.reopened");
    expect(await last()).toMatchObject({ id: task.id, status: "open", completed_at: null, completed_by: null });
    await call(`/tasks/${task.id}`, "PATCH", { status: "done" });
    expect((await post(`/app/tasks/${task.id}/reopen`, t.cookie, {})).status).toBeLessThan(400);
    expect((await types()).filter((type) => type === "task.reopened")).toHaveLength(2);
  });

  it("a company's delete sends contact.updated and deal.updated without it; its restore, with it again", async () => {
    const t = await newTenant("Hooked Relinks");
    const key = await makeKey(t.cookie);
    const call = async (path: string, method: string, json?: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return (await res.json()) as { id: number };
    };
    const acme = await call("/companies", "POST", { name: "Acme" });
    const ada = await call("/contacts", "POST", { first_name: "Ada", company_id: acme.id });
    const deal = await call("/deals", "POST", { name: "Anvils", company_id: acme.id });
    await addEndpoint(t.cookie, receiverUrl("relinks"), ["contact.updated", "deal.updated"]);

    expect((await post(`/app/companies/${acme.id}/delete`, t.cookie, {})).status).toBe(303);
    let events = (await eventsOf(t.tenantId)).map((e) => ({ type: e.type, data: JSON.parse(e.payload) }));
    expect(events.map((e) => e.type).sort()).toEqual(["contact.updated", "deal.updated"]);
    const contactGone = events.find((e) => e.type === "contact.updated")!.data;
    expect(contactGone).toMatchObject({ id: ada.id, company_id: null, company: null });
    // The payload's time is the row's new version, as the API then shows it.
    const adaNow = (await (await api(`/contacts/${ada.id}`, { key })).json()) as { updated_at: string };
    expect(contactGone.updated_at).toBe(adaNow.updated_at);
    expect(events.find((e) => e.type === "deal.updated")!.data).toMatchObject({
      id: deal.id,
      company_id: null,
      changed: ["company_id"],
    });

    const item = await trashItemOf("company", acme.id);
    await restoreTo(t.cookie, item!.id, `/app/companies/${acme.id}`);
    events = (await eventsOf(t.tenantId)).map((e) => ({ type: e.type, data: JSON.parse(e.payload) }));
    expect(events.slice(2).map((e) => e.type)).toEqual(["contact.updated", "deal.updated"]);
    expect(events[2]!.data).toMatchObject({ id: ada.id, company_id: acme.id, company: "Acme" });
    expect(events[3]!.data).toMatchObject({ id: deal.id, company_id: acme.id, changed: ["company_id"] });
  });
});
