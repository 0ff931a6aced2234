/**
 * The API's request and response shapes, as zod schemas that both validate requests and describe them in
 * the OpenAPI document (/api/v1/openapi.json). Field names are the export format's (docs/export-format.md).
 */
import { z } from "@hono/zod-openapi";
import { CONTACT_SOURCES } from "../../db/schema";
import { COMPANY_SIZES } from "../../services/companies/form";
import { PROBLEMS } from "./problem";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/api/v1/docs#problem-not_found" }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    code: z.enum(Object.keys(PROBLEMS) as [keyof typeof PROBLEMS, ...(keyof typeof PROBLEMS)[]]),
    detail: z.string().optional(),
    instance: z.string().openapi({ example: "/api/v1/contacts/123" }),
    errors: z.array(z.object({ field: z.string().openapi({ example: "emails[0]" }), message: z.string() })).optional(),
  })
  .openapi("Problem");

/** The error answers a route can give, for its `responses` (429, 503 and 500, which any keyed operation
 * may answer, are added to all of them by withKeyedAnswers, src/routes/api/problem.ts). */
export function problems(...statuses: (400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422)[]) {
  const out: Record<
    number,
    { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }
  > = {};
  for (const status of statuses) {
    const titles = Object.entries(PROBLEMS)
      .filter(([, [s]]) => s === status)
      .map(([code]) => code);
    out[status] = {
      description: `Problem: ${titles.join(", ")}`,
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return out;
}

export const IdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "123" }),
});

/** The body of a merge (POST /contacts/{id}/merge, /companies/{id}/merge): the duplicate's id. */
export const MergeSchema = z
  .object({
    merge_id: z
      .number()
      .int()
      .positive()
      .openapi({ example: 124, description: "The duplicate: merged into the record of the path, then deleted." }),
  })
  .strict()
  .openapi("Merge");

const time = z.string().openapi({ format: "date-time", example: "2026-11-26T10:15:00.000Z" });

export const ContactSchema = z
  .object({
    id: z.number().int().openapi({ example: 123 }),
    first_name: z.string().openapi({ example: "Ada" }),
    last_name: z.string().openapi({ example: "Lovelace" }),
    display_name: z.string().openapi({ example: "Ada Lovelace" }),
    emails: z.array(z.string()).openapi({ example: ["ada@example.com"] }),
    phones: z.array(z.string()).openapi({ example: ["+442071234567"] }),
    job_title: z.string().nullable(),
    company: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    address: z.string().nullable(),
    source: z.enum(CONTACT_SOURCES),
    tags: z.array(z.object({ id: z.number().int(), name: z.string() })),
    owner_id: z.string().nullable(),
    owner: z.string().nullable().openapi({ description: "The owning member's email while they are a member." }),
    custom_fields: z
      .record(z.string(), z.object({ kind: z.string(), value: z.string() }))
      .openapi({ example: { Tier: { kind: "select", value: "gold" } } }),
    created_at: time,
    updated_at: time,
    last_activity_at: time,
  })
  .openapi("Contact");

/**
 * A contact's writable fields. On create, absent is empty; on update (PATCH), absent is unchanged and null
 * clears. Lengths, addresses, phone numbers and custom values are checked as the app's form checks them.
 */
export const ContactInputSchema = z
  .object({
    first_name: z.string().optional().openapi({ example: "Ada" }),
    last_name: z.string().optional().openapi({ example: "Lovelace" }),
    emails: z
      .array(z.string())
      .max(5)
      .optional()
      .openapi({ example: ["ada@example.com"] }),
    phones: z
      .array(z.string())
      .max(5)
      .optional()
      .openapi({ description: "E.164, or national numbers in the workspace's region.", example: ["+442071234567"] }),
    job_title: z.string().nullable().optional(),
    company_id: z.number().int().positive().nullable().optional(),
    address: z.string().nullable().optional(),
    tag_ids: z.array(z.number().int().positive()).max(50).optional(),
    owner_id: z.string().max(100).nullable().optional().openapi({ description: "A member's user id." }),
    custom_fields: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional()
      .openapi({ description: "By field name; null clears.", example: { Tier: "gold" } }),
  })
  .strict()
  .openapi("ContactInput");
export type ContactJson = z.infer<typeof ContactInputSchema>;

/** `updated_since` of the list of `records` ("contacts", "deals", …). */
export const updatedSince = (records: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({
      description: `Only ${records} changed at or after this time (for sync).`,
      example: "2026-11-26T00:00:00Z",
    });

/**
 * The query of an operation that takes no parameters (a record by id, an unpaged list): any parameter is a 422
 * naming it, as a typo in a list's filter is, so a client is never answered as if it had not sent it.
 */
export const NoQuery = z.object({}).strict();

// Every query schema is strict: a filter a list does not have (`/companies?owner=…`, `?tags=5`) is refused by
// name rather than ignored, which would answer the whole list.
export const ContactListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50, description: "1 to 200; 50." }),
    cursor: z.string().max(100).optional().openapi({ description: "next_cursor of the previous page." }),
    q: z.string().max(200).optional().openapi({ description: "Search: each word a prefix of a word in the record." }),
    tag: z.coerce.number().int().positive().optional().openapi({ description: "Has this tag (id)." }),
    company: z.coerce.number().int().positive().optional().openapi({ description: "Works at this company (id)." }),
    owner: z.string().max(100).optional().openapi({ description: "Owned by this member (user id)." }),
    updated_since: updatedSince("contacts"),
  })
  .strict();

export const ContactListSchema = z
  .object({
    data: z.array(ContactSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as cursor for the next page; null on the last." }),
  })
  .openapi("ContactList");

export const CompanySchema = z
  .object({
    id: z.number().int().openapi({ example: 45 }),
    name: z.string().openapi({ example: "Analytical Engines Ltd" }),
    domain: z.string().nullable().openapi({ example: "analytical.example" }),
    industry: z.string().nullable(),
    size: z.string().nullable().openapi({ example: "11-50" }),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    tags: z.array(z.object({ id: z.number().int(), name: z.string() })),
    owner_id: z.string().nullable(),
    owner: z.string().nullable().openapi({ description: "The owning member's email while they are a member." }),
    custom_fields: z.record(z.string(), z.object({ kind: z.string(), value: z.string() })),
    created_at: time,
    updated_at: time,
    last_activity_at: time,
  })
  .openapi("Company");

/** A company's writable fields: `name` is needed on create; on update absent is unchanged and null clears. */
export const CompanyInputSchema = z
  .object({
    name: z.string().optional().openapi({ example: "Analytical Engines Ltd" }),
    domain: z.string().nullable().optional().openapi({ example: "analytical.example" }),
    industry: z.string().nullable().optional().openapi({ example: "Machinery" }),
    size: z.enum(COMPANY_SIZES).nullable().optional().openapi({ example: "11-50" }),
    phone: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    tag_ids: z.array(z.number().int().positive()).max(50).optional(),
    owner_id: z.string().max(100).nullable().optional().openapi({ description: "A member's user id." }),
    custom_fields: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional()
      .openapi({ description: "By field name; null clears." }),
  })
  .strict()
  .openapi("CompanyInput");
export type CompanyJson = z.infer<typeof CompanyInputSchema>;

export const CompanyListQuery = z
  .object({
    limit: ContactListQuery.shape.limit,
    cursor: ContactListQuery.shape.cursor,
    q: z.string().max(200).optional().openapi({ description: "Name starts with (any case)." }),
    tag: ContactListQuery.shape.tag,
    updated_since: updatedSince("companies"),
  })
  .strict();

export const CompanyListSchema = z
  .object({ data: z.array(CompanySchema), next_cursor: ContactListSchema.shape.next_cursor })
  .openapi("CompanyList");
