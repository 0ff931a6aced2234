/**
 * The workspace the plans tests explain statements against (test/db/*-plans*.test.ts): one record of each kind,
 * made through the API.
 */
import { newTenant } from "./tenants";
import { api, makeKey } from "../api/helpers";
import { addEndpoint, receiverUrl } from "../webhooks/helpers";
import { WEBHOOK_EVENT_TYPES } from "../../src/services/webhooks/events";
import { type BoundStatement, countingDb } from "./query-count";
import { expect } from "vitest";

/**
 * A workspace with one record of each kind, made through the API with an endpoint subscribed to every event (so
 * each write builds its event's payload too), every statement of the writes recorded on `writes`.
 */
export async function workspace(writes: BoundStatement[] | null = null) {
  const t = await newTenant("Plans Co");
  const key = await makeKey(t.cookie);
  // Only where the writes are checked: each event is a delivery on the queue the other files' jobs share.
  if (writes) await addEndpoint(t.cookie, receiverUrl("plans"), [...WEBHOOK_EVENT_TYPES]);
  const call = async (method: string, path: string, json: unknown, status: number) => {
    const counting = countingDb();
    const res = await api(path, { key, method, json, env: { DB: counting.binding } });
    expect(res.status, `${method} ${path}: ${res.status === status ? "" : await res.clone().text()}`).toBe(status);
    writes?.push(...counting.bound);
    return res;
  };
  const made = async (path: string, json: unknown) =>
    ((await (await call("POST", path, json, 201)).json()) as { id: number }).id;
  const tag = await made("/tags", { name: "Plans" });
  const field = await made("/custom_fields", { entity: "contact", name: "Tier", kind: "text" });
  const company = await made("/companies", { name: "Plans Ltd", domain: "plans.example" });
  const contact = await made("/contacts", {
    first_name: "Ada",
    last_name: "Plans",
    emails: ["ada@plans.example"],
    company_id: company,
    tag_ids: [tag],
    custom_fields: { Tier: "gold" },
  });
  const deal = await made("/deals", { name: "Plans renewal", amount_minor: 1000, company_id: company });
  const task = await made("/tasks", {
    title: "Call Ada",
    due_date: "2026-12-24",
    subject_type: "contact",
    subject_id: contact,
  });
  const note = await made("/notes", { subject_type: "contact", subject_id: contact, body: "Met at the fair." });
  const activity = await made("/activities", { subject_type: "contact", subject_id: contact, kind: "meeting" });
  await call("PATCH", `/contacts/${contact}`, { job_title: "Engineer", custom_fields: { Tier: "silver" } }, 200);
  await call("PATCH", `/deals/${deal}`, { status: "won" }, 200);
  await call("PATCH", `/tasks/${task}`, { status: "done" }, 200);
  const pipeline = ((await (await api("/pipelines", { key })).json()) as { data: { id: number }[] }).data[0]!.id;
  const stage = ((await (await api(`/pipelines/${pipeline}`, { key })).json()) as { stages: { id: number }[] })
    .stages[0]!.id;
  const ids: Record<string, number> = { tags: tag, custom_fields: field, companies: company, contacts: contact };
  Object.assign(ids, {
    deals: deal,
    tasks: task,
    notes: note,
    activities: activity,
    pipelines: pipeline,
    stages: stage,
  });
  return { ...t, key, ids };
}
