/**
 * The bulk upsert's shapes. A record is checked on its own (BulkContactSchema, BulkCompanySchema), so one
 * malformed record is an error in its result, not a 422 for the whole request; the request's own schema
 * checks only that `records` is a list of at most MAX_BULK_RECORDS, and documents the items by reference.
 */
import { z } from "@hono/zod-openapi";
import { MAX_BULK_RECORDS } from "../../services/api/bulk";
import { COMPANY_SIZES } from "../../services/companies/form";

const custom = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .optional()
  .openapi({ description: "By field name; null or absent leaves a value as it is.", example: { Tier: "gold" } });
const tags = z
  .array(z.string())
  .max(50)
  .optional()
  .openapi({
    description: "Tag names, created when the workspace lacks them; added to the record's.",
    example: ["Lead"],
  });
const owner = z
  .string()
  .nullable()
  .optional()
  .openapi({ description: "A member's email address; ignored when no member has it." });
const note = z.string().nullable().optional().openapi({ description: "Added as a note on the record." });

export const BulkContactSchema = z
  .object({
    first_name: z.string().optional().openapi({ example: "Ada" }),
    last_name: z.string().optional().openapi({ example: "Lovelace" }),
    emails: z
      .array(z.string())
      .max(5)
      .optional()
      .openapi({
        description: "The first one a contact holds (any case) makes the match.",
        example: ["ada@example.com"],
      }),
    phones: z
      .array(z.string())
      .max(5)
      .optional()
      .openapi({ example: ["+442071234567"] }),
    job_title: z.string().nullable().optional(),
    company: z.string().nullable().optional().openapi({
      description: "A company name, created when the workspace has none of that name.",
      example: "Analytical Engines Ltd",
    }),
    address: z.string().nullable().optional(),
    tags,
    owner,
    note,
    custom_fields: custom,
  })
  .strict()
  .openapi("BulkContact");

export const BulkCompanySchema = z
  .object({
    name: z.string().openapi({ example: "Analytical Engines Ltd" }),
    domain: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "Makes the match (normalised: no scheme, no www).", example: "analytical.example" }),
    industry: z.string().nullable().optional(),
    size: z.enum(COMPANY_SIZES).nullable().optional(),
    phone: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    tags,
    owner,
    note,
    custom_fields: custom,
  })
  .strict()
  .openapi("BulkCompany");

/** The request: a list whose items are checked one by one (see above). */
export function bulkRequest(item: "BulkContact" | "BulkCompany") {
  return z.object({
    records: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BULK_RECORDS)
      .openapi({
        description: `1 to ${MAX_BULK_RECORDS} records. Each is read, matched and written on its own: an invalid one is an error in its result.`,
        items: { $ref: `#/components/schemas/${item}` },
      }),
  });
}

export const BulkResultSchema = z
  .object({
    import_id: z.string().nullable().openapi({
      description:
        "The import on the Import page that records this request (it can be undone there); null when no record was valid.",
    }),
    results: z.array(
      z.object({
        index: z.number().int().openapi({ description: "The record's position in `records`, from 0." }),
        status: z.enum(["created", "updated", "unchanged", "error"]),
        id: z.number().int().nullable(),
        errors: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
      }),
    ),
  })
  .openapi("BulkResult");
