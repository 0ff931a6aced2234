/**
 * /api/v1/tags: the workspace's tags, so a client can map the ids records carry (and filter by) to names; and
 * creating, renaming or recolouring and deleting them as Settings → Tags does (its service and form schema).
 * The settings page is for admins; keys are made by admins, and writing needs a read and write key.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  createTagAudited,
  deleteTagAudited,
  getTag,
  tagInputSchema,
  updateTagAudited,
} from "../../services/records/tag-settings";
import { listTags, TAG_COLORS, type Tag } from "../../services/records/tags";
import { apiTenant } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { keyActorOf, mustCheck, nameRefused, pathId } from "./settings-input";

/** Mounted at /api/v1 (the path carries /tags). */
export const tagsApi = apiRouter();

const tags = ["Tags"];
const notFound = () => new ApiProblem("not_found", "No such tag.");

const TagSchema = z
  .object({
    id: z.number().int().openapi({ example: 7 }),
    name: z.string().openapi({ example: "VIP" }),
    color: z.string().openapi({ example: "blue" }),
  })
  .openapi("Tag");

const name = z.string().openapi({ description: "1 to 50 characters, no “;”, unique in any case.", example: "VIP" });
// The text is a constant: `.openapi()` keeps a description in its own metadata, not in zod's `.description`.
const COLORS_TEXT = `One of ${TAG_COLORS.join(", ")}.`;
const color = z.string().openapi({ description: COLORS_TEXT, example: "blue" });
const TagCreateSchema = z
  .object({ name, color: color.optional().openapi({ description: `${COLORS_TEXT} Gray by default.` }) })
  .strict()
  .openapi("TagCreate");
const TagUpdateSchema = z.object({ name: name.optional(), color: color.optional() }).strict().openapi("TagUpdate");

const tagJson = (description: string) => ({ description, content: { "application/json": { schema: TagSchema } } });
const jsonBody = <S>(schema: S) => ({ required: true, content: { "application/json": { schema } } });

/** The tag of the path, or a 404. */
async function tagOf(c: Parameters<typeof apiTenant>[0], raw: string): Promise<Tag> {
  const tag = await getTag(apiTenant(c), pathId(raw, notFound));
  if (!tag) throw notFound();
  return tag;
}

tagsApi.openapi(
  createRoute({
    method: "get",
    path: "/tags",
    tags,
    summary: "List tags",
    description:
      "Every tag of the workspace, by name (a workspace has few; no paging). Admins manage them in Settings → Tags.",
    request: { query: NoQuery },
    responses: {
      200: {
        description: "The tags",
        content: { "application/json": { schema: z.object({ data: z.array(TagSchema) }).openapi("TagList") } },
      },
      ...problems(401, 403, 422),
    },
  }),
  async (c) => c.json({ data: await listTags(apiTenant(c)) }, 200),
);

tagsApi.openapi(
  createRoute({
    method: "post",
    path: "/tags",
    tags,
    summary: "Create a tag",
    description: "As Settings → Tags does. Needs a read and write key.",
    request: { body: jsonBody(TagCreateSchema) },
    responses: { 201: tagJson("The tag as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const input = mustCheck(tagInputSchema, { name: body.name, color: body.color ?? "gray" });
    const result = await createTagAudited(apiTenant(c), keyActorOf(c), input);
    if (!result.ok) throw nameRefused(result, result.field);
    c.header("Location", `/api/v1/tags/${result.tag.id}`);
    return c.json(result.tag, 201);
  },
);

tagsApi.openapi(
  createRoute({
    method: "get",
    path: "/tags/{id}",
    tags,
    summary: "Get a tag",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: tagJson("The tag"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => c.json(await tagOf(c, c.req.valid("param").id), 200),
);

tagsApi.openapi(
  createRoute({
    method: "patch",
    path: "/tags/{id}",
    tags,
    summary: "Rename or recolour a tag",
    description: "Records keep the tag under its new name. Needs a read and write key.",
    request: { params: IdParam, body: jsonBody(TagUpdateSchema) },
    responses: { 200: tagJson("The tag"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const current = await tagOf(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    const input = mustCheck(tagInputSchema, { name: body.name ?? current.name, color: body.color ?? current.color });
    const result = await updateTagAudited(apiTenant(c), keyActorOf(c), current.id, input);
    if (!result) throw notFound();
    if (!result.ok) throw nameRefused(result, result.field);
    return c.json(result.tag, 200);
  },
);

tagsApi.openapi(
  createRoute({
    method: "delete",
    path: "/tags/{id}",
    tags,
    summary: "Delete a tag",
    description: "It comes off every contact, company and deal, as in Settings → Tags. Needs a read and write key.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    if (!(await deleteTagAudited(apiTenant(c), keyActorOf(c), pathId(c.req.valid("param").id, notFound))))
      throw notFound();
    return c.body(null, 204);
  },
);
