/**
 * What each webhook event's `data` holds, field by field, as src/services/webhooks/payloads.ts builds it in SQL
 * (snake_case as the API's; ids with names, tags as {id, name}, custom values as text by field name, times in
 * ISO 8601). Named schemas, so the reference page and generated clients show them;
 * test/webhooks/payload-schemas.test.ts holds every event a change really writes against its schema, no field
 * missing and none unknown.
 */
import { z } from "@hono/zod-openapi";
import { DEAL_STATUSES, SUBJECT_TYPES, TASK_KINDS } from "../../db/schema";
import { COMPANY_SIZES } from "../../services/companies/form";
import type { TEST_EVENT_TYPE, WebhookEventType } from "../../services/webhooks/events";

const time = z.string().openapi({ format: "date-time", example: "2026-11-26T10:15:00.000Z" });
const day = z.string().openapi({ format: "date", example: "2027-03-31" });
const id = z.number().int();
const member = z.string().nullable().openapi({ description: "A member's user id." });
const tags = z
  .array(z.object({ id, name: z.string() }))
  .openapi({ description: "In name order.", example: [{ id: 7, name: "VIP" }] });
const customFields = z
  .record(z.string(), z.string())
  .openapi({ description: "Each value as stored, by its field's name.", example: { Tier: "gold" } });
/** Every record's labels and times, as each payload ends. */
const labelled = { tags, custom_fields: customFields, created_at: time, updated_at: time };
const restored = z
  .literal(true)
  .optional()
  .openapi({ description: "Only when the record came back from the trash (its `*.deleted` was sent before)." });

const contactFields = {
  id: id.openapi({ example: 123 }),
  first_name: z.string().openapi({ example: "Ada" }),
  last_name: z.string().openapi({ example: "Lovelace" }),
  emails: z.array(z.string()).openapi({ example: ["ada@example.com"] }),
  phones: z.array(z.string()).openapi({ example: ["+442071234567"] }),
  job_title: z.string().nullable(),
  company_id: id.nullable(),
  company: z.string().nullable().openapi({ description: "The company's name." }),
  address: z.string().nullable(),
  owner_id: member,
  ...labelled,
};

export const WebhookContact = z.object({ ...contactFields, restored }).openapi("WebhookContact", {
  description: "A contact in contact.created and contact.updated.",
});

const companyFields = {
  id: id.openapi({ example: 45 }),
  name: z.string().openapi({ example: "Analytical Engines Ltd" }),
  domain: z.string().nullable().openapi({ example: "engines.example" }),
  industry: z.string().nullable(),
  size: z.enum(COMPANY_SIZES).nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  owner_id: member,
  ...labelled,
};

export const WebhookCompany = z
  .object({ ...companyFields, restored })
  .openapi("WebhookCompany", { description: "A company in company.created and company.updated." });

export const WebhookCompanyDeleted = z
  .object({
    ...companyFields,
    merged_into: id.nullable().openapi({
      description: "The company it was merged into (Merge), which now has its contacts, deals…; otherwise null.",
      example: null,
    }),
  })
  .openapi("WebhookCompanyDeleted", { description: "A company in company.deleted, as it was." });

export const WebhookDeleted = z
  .object({
    id: id.openapi({ example: 123 }),
    erased: z
      .boolean()
      .openapi({ description: "Erased for a privacy request (nothing kept), not moved to the trash." }),
    merged_into: id.nullable().openapi({
      description: "The contact it was merged into (Merge), which now has its emails, notes, deals…; otherwise null.",
      example: null,
    }),
  })
  .openapi("WebhookDeleted", { description: "A contact in contact.deleted: its id, and where it went if merged." });

const dealFields = {
  id: id.openapi({ example: 311 }),
  name: z.string().openapi({ example: "Analytical Engines renewal" }),
  amount_minor: z.number().int().openapi({ description: "Whole minor units of `currency`.", example: 1250050 }),
  currency: z.string().openapi({ description: "ISO 4217.", example: "USD" }),
  pipeline_id: id,
  stage_id: id,
  stage: z.string().openapi({ description: "The stage's name.", example: "Proposal" }),
  status: z.enum(DEAL_STATUSES),
  lost_reason: z.string().nullable(),
  close_date: day.nullable().openapi({ description: "Expected close date." }),
  closed_on: day.nullable().openapi({ description: "When won or lost." }),
  company_id: id.nullable(),
  owner_id: member,
  created_at: time,
  updated_at: time,
};

export const WebhookDeal = z.object({ ...dealFields, restored }).openapi("WebhookDeal", {
  description: "A deal in deal.created, deal.won and deal.lost.",
});

export const WebhookDealDeleted = z
  .object(dealFields)
  .openapi("WebhookDealDeleted", { description: "A deal in deal.deleted, as it was." });

export const WebhookDealUpdated = z
  .object({
    ...dealFields,
    tags,
    custom_fields: customFields,
    contacts: z
      .array(z.object({ id, role: z.string().nullable() }))
      .openapi({ description: "Its contacts' ids and roles, by id." }),
    changed: z
      .array(
        z.enum([
          "name",
          "amount_minor",
          "currency",
          "close_date",
          "owner_id",
          "company_id",
          "contacts",
          "tags",
          "custom_fields",
          "status",
          "closed_on",
          "lost_reason",
        ]),
      )
      .openapi({ description: "The fields that changed, by these names.", example: ["amount_minor"] }),
  })
  .openapi("WebhookDealUpdated", { description: "A deal in deal.updated." });

export const WebhookDealStageChanged = z
  .object({
    ...dealFields,
    previous_stage_id: id,
    previous_stage: z.string().nullable().openapi({ description: "The name of the stage it left." }),
  })
  .openapi("WebhookDealStageChanged", { description: "A deal in deal.stage_changed, in its new stage." });

export const WebhookTask = z
  .object({
    id: id.openapi({ example: 88 }),
    title: z.string().openapi({ example: "Call Ada about the renewal" }),
    kind: z.enum(TASK_KINDS),
    due_date: day,
    assignee_id: z.string(),
    subject_type: z.enum(SUBJECT_TYPES).nullable(),
    subject_id: id.nullable(),
    status: z.enum(["open", "done"]),
    completed_at: time.nullable(),
    completed_by: member,
    created_at: time,
    updated_at: time,
  })
  .openapi("WebhookTask", { description: "A task in task.completed and task.reopened." });

export const WebhookNote = z
  .object({
    id: id.openapi({ example: 501 }),
    subject_type: z.enum(SUBJECT_TYPES),
    subject_id: id,
    body: z.string().openapi({ description: "Markdown, as typed." }),
    author_id: member,
    created_at: time,
    updated_at: time,
    restored,
  })
  .openapi("WebhookNote", { description: "A note in note.created." });

export const WebhookNoteDeleted = z
  .object({
    id: id.openapi({ example: 501 }),
    subject_type: z.enum(SUBJECT_TYPES),
    subject_id: id.openapi({ description: "The record it was on." }),
  })
  .openapi("WebhookNoteDeleted", { description: "A note in note.deleted: which it was, and on what record." });

export const WebhookTest = z
  .object({
    endpoint_id: z.string().openapi({ description: "The endpoint it was sent to." }),
    message: z.string().openapi({ example: "A test event sent from the settings page." }),
  })
  .openapi("WebhookTest", { description: "The test event an admin sends from Settings → Webhooks." });

/** Each event's `data`, the settings page's test event's included. */
export const WEBHOOK_DATA: Record<WebhookEventType | typeof TEST_EVENT_TYPE, z.ZodObject> = {
  "contact.created": WebhookContact,
  "contact.updated": WebhookContact,
  "contact.deleted": WebhookDeleted,
  "company.created": WebhookCompany,
  "company.updated": WebhookCompany,
  "company.deleted": WebhookCompanyDeleted,
  "deal.created": WebhookDeal,
  "deal.updated": WebhookDealUpdated,
  "deal.deleted": WebhookDealDeleted,
  "deal.stage_changed": WebhookDealStageChanged,
  "deal.won": WebhookDeal,
  "deal.lost": WebhookDeal,
  "task.completed": WebhookTask,
  "task.reopened": WebhookTask,
  "note.created": WebhookNote,
  "note.deleted": WebhookNoteDeleted,
  "webhook.test": WebhookTest,
};
