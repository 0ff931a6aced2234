/**
 * The webhook events in the OpenAPI document (3.1's `webhooks`), so the reference page and generated clients see
 * what a receiver gets: each event's envelope, its signing headers, when it is sent and what its `data` holds.
 * The envelope is eventBody's (src/services/webhooks/deliver.ts); `data` is described in words, as docs/api.md does,
 * since each payload is built in SQL with the event's change. A new event type without its words fails to compile.
 */
import { z } from "@hono/zod-openapi";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../services/webhooks/events";
import type { apiRouter } from "./router";
import { WEBHOOK_DATA } from "./webhook-schemas";

type Registry = ReturnType<typeof apiRouter>["openAPIRegistry"];

const RECORD_DATA = "with its `tags` (id, name) and `custom_fields` (value by field name)";

/** When each event is sent and what its `data` holds. */
export const WEBHOOK_EVENT_WORDS: Record<WebhookEventType | typeof TEST_EVENT_TYPE, { when: string; data: string }> = {
  "contact.created": {
    when: "A contact is created: form, API, import or restore.",
    data: `The contact ${RECORD_DATA}; a restore from the trash adds \`restored: true\`.`,
  },
  "contact.updated": {
    when: "A contact changes: a bulk tag or untag, an import's undo and its company deleted or restored included.",
    data: `The contact as it now is, ${RECORD_DATA}.`,
  },
  "contact.deleted": {
    when: "A contact is deleted, erased or merged into another.",
    data: "`id`, `erased` and `merged_into` (the kept contact's id after a merge, else null).",
  },
  "company.created": { when: "A company is created.", data: `The company ${RECORD_DATA}.` },
  "company.updated": { when: "A company changes.", data: `The company as it now is, ${RECORD_DATA}.` },
  "company.deleted": {
    when: "A company is deleted or merged into another.",
    data: `The company as it was, ${RECORD_DATA}, and \`merged_into\` (the kept company's id after a merge, else null).`,
  },
  "deal.created": {
    when: "A deal is created, or restored from the trash after its `deal.deleted`.",
    data: "The deal; a restore adds `restored: true`.",
  },
  "deal.updated": {
    when: "A deal's name, amount, currency, owner, close date, company, contacts, tags or custom values change, or a won or lost deal is reopened (an import's undo too).",
    data: "The deal as it now is, and `changed`: the names of the fields that changed.",
  },
  "deal.deleted": {
    when: "A deal is deleted (to the trash): the deal page, the deal list's bulk delete, `DELETE /deals/{id}`, or an import that created it being undone. Its notes go with it, without a `note.deleted` each.",
    data: "The deal as it was.",
  },
  "deal.stage_changed": {
    when: "A deal moves to another stage (a move alone is not `deal.updated`).",
    data: "The deal in its new stage, with `previous_stage_id` and `previous_stage`.",
  },
  "deal.won": { when: "A deal is marked won.", data: "The deal as closed." },
  "deal.lost": { when: "A deal is marked lost.", data: "The deal as closed, with its lost reason." },
  "task.completed": { when: "A task is completed.", data: "The task." },
  "task.reopened": { when: "A completed task is reopened.", data: "The task, open again." },
  "note.created": {
    when: "A note is added, or restored from the trash after its `note.deleted`.",
    data: "The note; a restore adds `restored: true`.",
  },
  "note.deleted": {
    when: "A note is deleted (to the trash), or an import's undo takes back a note its Notes column added. Notes deleted with their record (a contact, company or deal) send none: the record's `*.deleted` says they are gone.",
    data: "`id`, `subject_type` and `subject_id`: which note, on which record (not its body).",
  },
  [TEST_EVENT_TYPE]: {
    when: "An admin sends a test event from Settings → Webhooks: to that endpoint only, enabled or not, whatever it subscribes to.",
    data: "The endpoint's id and a message.",
  },
};

const headers = z.object({
  "webhook-id": z
    .string()
    .openapi({ description: "The event's id: the same on every retry, so keep the ones handled." }),
  "webhook-timestamp": z.string().openapi({ description: "When this attempt was signed, in Unix seconds." }),
  "webhook-signature": z
    .string()
    .openapi({ description: "`v1,` and the Standard Webhooks signature; verify it with the endpoint's secret." }),
});

/** What a receiver's answer does; sent at least once, so the same `webhook-id` may come twice. */
export const ACKNOWLEDGED =
  "Any 2xx within 15 s acknowledges it. Anything else, or no answer, is retried with backoff for three days; an endpoint failing all that time is disabled and the admins are emailed.";

/** Adds every event to the registry's `webhooks`. */
export function registerWebhookEvents(registry: Registry): void {
  for (const type of [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const) {
    const words = WEBHOOK_EVENT_WORDS[type];
    const body = z.object({
      type: z.literal(type),
      timestamp: z.string().openapi({ format: "date-time", description: "When the change happened (UTC)." }),
      data: WEBHOOK_DATA[type],
    });
    registry.registerWebhook({
      method: "post",
      path: type,
      summary: type,
      description: words.when,
      request: { headers, body: { description: words.data, content: { "application/json": { schema: body } } } },
      responses: { 200: { description: ACKNOWLEDGED } },
    });
  }
}
