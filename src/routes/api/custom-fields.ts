/**
 * /api/v1/custom_fields: the workspace's field definitions, so a client knows the names, kinds and options the
 * `custom_fields` of contacts, companies and deals read and write (values in canonical form).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { CUSTOM_FIELD_KINDS, SUBJECT_TYPES } from "../../db/schema";
import { listApiCustomFields } from "../../services/api/custom-fields";
import { apiTenant } from "./guard";
import { apiRouter } from "./router";
import { problems } from "./schemas";

/** Mounted at /api/v1 (the path carries /custom_fields). */
export const customFieldsApi = apiRouter();

const CustomFieldSchema = z
  .object({
    id: z.number().int().openapi({ example: 12 }),
    entity: z.enum(SUBJECT_TYPES),
    name: z.string().openapi({ example: "Tier" }),
    kind: z.enum(CUSTOM_FIELD_KINDS),
    options: z.array(z.string()).openapi({ description: "A select's choices.", example: ["gold", "silver"] }),
    position: z.number().int(),
  })
  .openapi("CustomField");

customFieldsApi.openapi(
  createRoute({
    method: "get",
    path: "/custom_fields",
    tags: ["Custom fields"],
    summary: "List custom fields",
    description:
      "The definitions, by record type and order (a workspace has few; no paging). Values are written as " +
      "`custom_fields` on contacts, companies and deals: numbers `12.5`, dates `YYYY-MM-DD`, checkboxes `true`.",
    request: {
      query: z.object({
        entity: z.enum(SUBJECT_TYPES).optional().openapi({ description: "Only this record type's." }),
      }),
    },
    responses: {
      200: {
        description: "The definitions",
        content: {
          "application/json": { schema: z.object({ data: z.array(CustomFieldSchema) }).openapi("CustomFieldList") },
        },
      },
      ...problems(401, 403, 422),
    },
  }),
  async (c) => c.json({ data: await listApiCustomFields(apiTenant(c), c.req.valid("query").entity ?? null) }, 200),
);
