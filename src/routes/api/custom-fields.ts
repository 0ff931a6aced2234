/**
 * /api/v1/custom_fields: the workspace's field definitions, so a client knows the names, kinds and options the
 * `custom_fields` of contacts, companies and deals read and write (values in canonical form); and creating and
 * deleting them as Settings → Custom fields does (its service and form schema), renaming one and changing a
 * select's options. The settings page is for admins; keys are made by admins, and writing needs a read and
 * write key.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { CUSTOM_FIELD_KINDS, SUBJECT_TYPES } from "../../db/schema";
import { listApiCustomFields } from "../../services/api/custom-fields";
import { getCustomField, type CustomField } from "../../services/records/custom-fields";
import {
  createCustomFieldAudited,
  customFieldInputSchema,
  deleteCustomFieldAudited,
  updateCustomFieldAudited,
} from "../../services/records/field-settings";
import { apiTenant } from "./guard";
import { ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { keyActorOf, mustCheck, nameRefused, pathId } from "./settings-input";

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
      query: z
        .object({
          entity: z.enum(SUBJECT_TYPES).optional().openapi({ description: "Only this record type's." }),
        })
        .strict(),
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

const tags = ["Custom fields"];
const notFound = () => new ApiProblem("not_found", "No such custom field.");
const fieldJson = (description: string) => ({
  description,
  content: { "application/json": { schema: CustomFieldSchema } },
});
const jsonBody = <S>(schema: S) => ({ required: true, content: { "application/json": { schema } } });

const name = z
  .string()
  .openapi({ description: "1 to 60 characters, unique among the record type's fields.", example: "Tier" });
const options = z
  .array(z.string())
  .openapi({ description: "A select's choices, in order, one line each (at most 50).", example: ["gold", "silver"] });

const CustomFieldCreateSchema = z
  .object({ entity: z.enum(SUBJECT_TYPES), name, kind: z.enum(CUSTOM_FIELD_KINDS), options: options.optional() })
  .strict()
  .openapi("CustomFieldCreate");
const CustomFieldUpdateSchema = z
  .object({ name: name.optional(), options: options.optional() })
  .strict()
  .openapi("CustomFieldUpdate");

/** A select's options as the form takes them (one per line); an option with a line break is a problem. */
function optionLines(list: string[] | undefined): string {
  const problems: FieldProblem[] = (list ?? []).flatMap((o, i) =>
    /[\r\n]/.test(o) ? [{ field: `options[${i}]`, message: "An option is one line." }] : [],
  );
  if (problems.length) throw invalidFields(problems);
  return (list ?? []).join("\n");
}

/** The field of the path, or a 404. */
async function fieldOf(c: Parameters<typeof apiTenant>[0], raw: string): Promise<CustomField> {
  const field = await getCustomField(apiTenant(c), pathId(raw, notFound));
  if (!field) throw notFound();
  return field;
}

customFieldsApi.openapi(
  createRoute({
    method: "post",
    path: "/custom_fields",
    tags,
    summary: "Create a custom field",
    description:
      "As Settings → Custom fields does: a name no built-in column of the record type has, a kind, and for a " +
      "select its options. It goes last. Needs a read and write key.",
    request: { body: jsonBody(CustomFieldCreateSchema) },
    responses: { 201: fieldJson("The field as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    if (body.kind !== "select" && body.options?.length)
      throw invalidFields([{ field: "options", message: "Only a select field has options." }]);
    const input = mustCheck(customFieldInputSchema, { ...body, options: optionLines(body.options) });
    const t = apiTenant(c);
    const result = await createCustomFieldAudited(t, keyActorOf(c), input);
    if (!result.ok) throw nameRefused(result, result.field);
    const field = await getCustomField(t, result.field.id);
    if (!field) throw notFound();
    c.header("Location", `/api/v1/custom_fields/${field.id}`);
    return c.json(field, 201);
  },
);

customFieldsApi.openapi(
  createRoute({
    method: "get",
    path: "/custom_fields/{id}",
    tags,
    summary: "Get a custom field",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: fieldJson("The field"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => c.json(await fieldOf(c, c.req.valid("param").id), 200),
);

customFieldsApi.openapi(
  createRoute({
    method: "patch",
    path: "/custom_fields/{id}",
    tags,
    summary: "Rename a custom field or change its options",
    description:
      "Values stay with the field under its new name. `options` (a select's) are replaced in order; an option that " +
      "records hold cannot be dropped (422). The kind and record type stay. Needs a read and write key.",
    request: { params: IdParam, body: jsonBody(CustomFieldUpdateSchema) },
    responses: { 200: fieldJson("The field"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const current = await fieldOf(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    if (current.kind !== "select" && body.options !== undefined)
      throw invalidFields([{ field: "options", message: "Only a select field has options." }]);
    const input = mustCheck(customFieldInputSchema, {
      entity: current.entity,
      kind: current.kind,
      name: body.name ?? current.name,
      options: optionLines(body.options ?? current.options),
    });
    const t = apiTenant(c);
    const result = await updateCustomFieldAudited(t, keyActorOf(c), current.id, input);
    if (!result) throw notFound();
    if (!result.ok) throw nameRefused(result, result.field);
    return c.json(await fieldOf(c, String(current.id)), 200);
  },
);

customFieldsApi.openapi(
  createRoute({
    method: "delete",
    path: "/custom_fields/{id}",
    tags,
    summary: "Delete a custom field",
    description: "With every record's value of it, as in Settings → Custom fields. Needs a read and write key.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const id = pathId(c.req.valid("param").id, notFound);
    if (!(await deleteCustomFieldAudited(apiTenant(c), keyActorOf(c), id))) throw notFound();
    return c.body(null, 204);
  },
);
