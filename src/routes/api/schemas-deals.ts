/**
 * The deals' and pipelines' request and response shapes (zod: they validate requests and describe them in
 * the OpenAPI document). Field names are the export format's; amounts are whole minor units of `currency`.
 */
import { z } from "@hono/zod-openapi";
import { DEAL_STATUSES } from "../../db/schema";
import { DEAL_LIMITS } from "../../services/deals/form";
import { LOST_REASON_MAX } from "../../services/deals/outcome";
import { ContactListQuery, ContactListSchema, updatedSince } from "./schemas";

const time = z.string().openapi({ format: "date-time", example: "2026-11-26T10:15:00.000Z" });
const day = (example: string) => z.string().openapi({ format: "date", example });
const named = z.object({ id: z.number().int(), name: z.string() });
const customValues = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .optional()
  .openapi({ description: "Deal fields by name, canonical values (12.5, YYYY-MM-DD, true); null clears." });

export const DealSchema = z
  .object({
    id: z.number().int().openapi({ example: 311 }),
    name: z.string().openapi({ example: "Analytical Engines renewal" }),
    amount_minor: z.number().int().openapi({ description: "Whole minor units (cents).", example: 1250050 }),
    currency: z.string().openapi({ description: "ISO 4217.", example: "USD" }),
    pipeline: named.openapi({ example: { id: 1, name: "Sales" } }),
    stage: z
      .object({ id: z.number().int(), name: z.string(), probability: z.number().int() })
      .openapi({ example: { id: 3, name: "Proposal", probability: 50 } }),
    status: z.enum(DEAL_STATUSES),
    lost_reason: z.string().nullable(),
    close_date: day("2027-03-31").nullable().openapi({ description: "Expected close date (a calendar date)." }),
    closed_on: day("2027-03-28").nullable().openapi({ description: "When won or lost." }),
    company: named.nullable(),
    contacts: z.array(z.object({ id: z.number().int(), name: z.string(), role: z.string().nullable() })),
    tags: z.array(named),
    owner_id: z.string().nullable(),
    owner: z.string().nullable().openapi({ description: "The owning member's email while they are a member." }),
    custom_fields: z.record(z.string(), z.object({ kind: z.string(), value: z.string() })),
    created_at: time,
    updated_at: time,
    last_activity_at: time,
  })
  .openapi("Deal");

/**
 * A deal's writable fields. On create `name` is needed; without a stage the deal starts in the first stage of
 * `pipeline_id` (else of the first pipeline). On update absent is unchanged and null clears. `status` moves a
 * deal to won, lost (with `lost_reason`) or back to open, as the deal page does.
 */
export const DealInputSchema = z
  .object({
    name: z.string().optional().openapi({ example: "Analytical Engines renewal" }),
    amount_minor: z.number().int().min(0).optional().openapi({ example: 1250050 }),
    currency: z
      .string()
      .max(3)
      .optional()
      .openapi({ description: "ISO 4217; the workspace's by default.", example: "USD" }),
    close_date: z.string().max(10).nullable().optional().openapi({ example: "2027-03-31" }),
    pipeline_id: z.number().int().positive().optional(),
    stage_id: z.number().int().positive().optional(),
    owner_id: z.string().max(100).nullable().optional().openapi({ description: "A member's user id." }),
    company_id: z.number().int().positive().nullable().optional(),
    contacts: z
      .array(z.object({ contact_id: z.number().int().positive(), role: z.string().nullable().optional() }).strict())
      .max(DEAL_LIMITS.contacts)
      .optional()
      .openapi({ description: "Replaced whole." }),
    tag_ids: z.array(z.number().int().positive()).max(DEAL_LIMITS.tags).optional(),
    custom_fields: customValues,
    status: z.enum(DEAL_STATUSES).optional().openapi({ description: "Only on update." }),
    lost_reason: z
      .string()
      .max(LOST_REASON_MAX)
      .optional()
      .openapi({ description: "Needed with status lost (the list's reason or any text)." }),
    closed_on: z.string().max(10).optional().openapi({
      description: "With status won or lost: the actual close date; by default today in the workspace's time zone.",
    }),
  })
  .strict()
  .openapi("DealInput");
export type DealJson = z.infer<typeof DealInputSchema>;

const id = (description: string) => z.coerce.number().int().positive().optional().openapi({ description });

export const DealListQuery = z
  .object({
    limit: ContactListQuery.shape.limit,
    cursor: ContactListQuery.shape.cursor,
    pipeline: id("In this pipeline (id)."),
    stage: id("In this stage (id)."),
    status: z.enum(DEAL_STATUSES).optional(),
    owner: z.string().max(100).optional().openapi({ description: "Owned by this member (user id)." }),
    company: id("Of this company (id)."),
    contact: id("With this contact (id)."),
    tag: id("Has this tag (id)."),
    updated_since: updatedSince("deals"),
  })
  .strict();

export const DealListSchema = z
  .object({ data: z.array(DealSchema), next_cursor: ContactListSchema.shape.next_cursor })
  .openapi("DealList");

export const PipelineSchema = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Sales" }),
    position: z.number().int(),
    stages: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        position: z.number().int(),
        probability: z.number().int().openapi({ description: "Win probability in percent." }),
        open_deals: z.number().int(),
      }),
    ),
  })
  .openapi("Pipeline");

export const PipelineListSchema = z.object({ data: z.array(PipelineSchema) }).openapi("PipelineList");
