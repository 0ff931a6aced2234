/**
 * Every event a receiver can get is written by a real change here, and eventsOf holds each payload to the schema
 * the OpenAPI document names for its type (test/webhooks/helpers.ts): a new event type, or a field a payload gains
 * or loses without its schema, fails. The other webhook tests run their own paths (imports, bulk changes, restores,
 * erasure, definition deletes) through the same check.
 */
import { describe, expect, it } from "vitest";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "../../src/services/webhooks/events";
import { api, makeKey } from "../api/helpers";
import { post } from "../contacts/contact-helpers";
import { pipelinesOf } from "../deals/helpers";
import { insertTag } from "../helpers/records";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "./helpers";

describe("webhook payloads and their schemas", () => {
  it("every event type, each payload exactly as its schema describes it", async () => {
    const t = await newTenant("Payload Schemas");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("payload-schemas"), [...WEBHOOK_EVENT_TYPES]);
    const key = await makeKey(t.cookie);
    const stages = (await pipelinesOf(t.tenantId))[0]!.stages;
    const vip = await insertTag(t.tenantId, "VIP");
    const call = async (path: string, method: string, json?: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.status === 204 ? null : ((await res.json()) as { id: number });
    };

    const company = (await call("/companies", "POST", { name: "Engines Ltd", domain: "engines.example" }))!;
    await call(`/companies/${company.id}`, "PATCH", { industry: "Machinery", tag_ids: [vip] });
    const ada = (await call("/contacts", "POST", {
      first_name: "Ada",
      emails: ["ada@engines.example"],
      phones: ["+44 20 7123 4567"],
      company_id: company.id,
    }))!;
    await call(`/contacts/${ada.id}`, "PATCH", { job_title: "Countess", tag_ids: [vip] });
    await call("/notes", "POST", { subject_type: "contact", subject_id: ada.id, body: "Met at the *fair*" });
    const task = (await call("/tasks", "POST", { title: "Call Ada", due_date: "2027-01-05" }))!;
    await call(`/tasks/${task.id}`, "PATCH", { status: "done" });
    await call(`/tasks/${task.id}`, "PATCH", { status: "open" });

    const won = (await call("/deals", "POST", { name: "Renewal", amount_minor: 120000, currency: "USD" }))!;
    await call(`/deals/${won.id}`, "PATCH", {
      amount_minor: 150000,
      contacts: [{ contact_id: ada.id, role: "Buyer" }],
    });
    await call(`/deals/${won.id}`, "PATCH", { stage_id: stages[2]!.id });
    await call(`/deals/${won.id}`, "PATCH", { status: "won" });
    const lost = (await call("/deals", "POST", { name: "Upsell", company_id: company.id }))!;
    await call(`/deals/${lost.id}`, "PATCH", { status: "lost", lost_reason: "Budget" });
    // Reopened (deal.updated naming status, closed_on, lost_reason), and unlinked when its company is deleted.
    await call(`/deals/${lost.id}`, "PATCH", { status: "open" });

    const scrap = (await call("/notes", "POST", { subject_type: "contact", subject_id: ada.id, body: "Wrong Ada" }))!;
    await call(`/notes/${scrap.id}`, "DELETE");
    const dropped = (await call("/deals", "POST", { name: "Dropped", company_id: company.id }))!;
    await call(`/deals/${dropped.id}`, "DELETE");
    await call(`/contacts/${ada.id}`, "DELETE");
    await call(`/companies/${company.id}`, "DELETE");
    expect((await post(`/app/settings/webhooks/${endpoint}/test`, t.cookie, {})).status).toBeLessThan(400);

    const events = await eventsOf(t.tenantId);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set([...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE]));
    // The nulls a merge patch would have dropped are there: a won deal has no lost reason, a lost one no close date.
    const data = (type: string) => JSON.parse(events.find((e) => e.type === type)!.payload);
    expect(data("deal.won")).toMatchObject({ id: won.id, status: "won", lost_reason: null });
    expect(data("deal.lost")).toMatchObject({ id: lost.id, status: "lost", lost_reason: "Budget", close_date: null });
    expect(data("deal.stage_changed")).toMatchObject({ stage_id: stages[2]!.id, previous_stage_id: stages[0]!.id });
  });
});
