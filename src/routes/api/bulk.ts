/**
 * POST /api/v1/contacts/bulk and /api/v1/companies/bulk: up to 1,000 records created or updated as an import
 * (src/services/api/bulk.ts), a result per record. Each record is checked on its own; the request fails as a
 * whole only when it cannot be read, another import is being written (409), or nothing could be written for
 * the Free plan's cap (402).
 */
import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { billingConfig } from "../../lib/stripe";
import { bulkUpsert, type BulkResult } from "../../services/api/bulk";
import type { BulkError } from "../../services/api/bulk-records";
import { BulkCompanySchema, BulkContactSchema, BulkResultSchema, bulkRequest } from "./bulk-schemas";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter, fieldName } from "./router";
import { problems } from "./schemas";

/** Mounted at /api/v1 (the paths carry /contacts/bulk and /companies/bulk). */
export const bulkApi = apiRouter();
// The items are referenced by name from the request's schema (bulk-schemas.ts), so they are registered here.
bulkApi.openAPIRegistry.register("BulkContact", BulkContactSchema);
bulkApi.openAPIRegistry.register("BulkCompany", BulkCompanySchema);

const KINDS = {
  contacts: { schema: BulkContactSchema, ref: "BulkContact", tag: "Contacts", match: "by email (any case)" },
  companies: { schema: BulkCompanySchema, ref: "BulkCompany", tag: "Companies", match: "by domain, else by name" },
} as const;

/** The zod issues of one record as its errors, named as the record spells its fields. */
function recordErrors(error: z.ZodError): BulkError[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), message: "This field does not exist." }))
      : [{ field: fieldName(issue.path) || undefined, message: issue.message }],
  );
}

async function handle(c: Context<AppEnv>, kind: keyof typeof KINDS, records: unknown[]) {
  const caller = callerOf(c);
  const checked = records.map((r) => KINDS[kind].schema.safeParse(r));
  const outcome = await bulkUpsert(apiTenant(c), {
    kind,
    records: checked.map((r) => (r.success ? r.data : null)),
    actorId: caller.createdBy,
    keyName: caller.keyName,
    freeMaxContacts: kind === "contacts" ? (billingConfig(c.env).limits?.contacts ?? null) : null,
    suppressionKey: c.env.SUPPRESSION_KEY,
    now: Date.now(),
  });
  if (!outcome.ok && outcome.reason === "busy")
    throw new ApiProblem("conflict", "Another import of this workspace is being written; retry when it has finished.");
  if (!outcome.ok)
    throw new ApiProblem(
      "plan_limit",
      `The Free plan holds ${outcome.error.max} contacts; upgrade in Settings → Billing.`,
    );
  const results: BulkResult[] = outcome.results.map((result, index) => {
    const read = checked[index]!;
    return read.success ? result : { ...result, errors: recordErrors(read.error) };
  });
  return c.json({ import_id: outcome.importId, results }, 200);
}

for (const kind of ["contacts", "companies"] as const) {
  const { ref, tag, match } = KINDS[kind];
  bulkApi.openapi(
    createRoute({
      method: "post",
      path: `/${kind}/bulk`,
      tags: [tag],
      summary: `Create or update ${kind} in bulk`,
      description:
        `Up to 1,000 ${kind}, matched ${match}, written as an import is: a matched record gets what it lacks and ` +
        "what changed (nothing is cleared), tags and notes are added, and the request is listed on the Import page, " +
        "where it can be undone. Written in chunks of 500, each all or nothing; a result per record.",
      request: { body: { required: true, content: { "application/json": { schema: bulkRequest(ref) } } } },
      responses: {
        200: { description: "A result per record", content: { "application/json": { schema: BulkResultSchema } } },
        ...problems(400, 401, 402, 403, 409, 413, 415, 422),
      },
    }),
    (c) => handle(c, kind, c.req.valid("json").records),
  );
}
