/** /api/v1/tags: the workspace's tags, so a client can map the ids records carry (and filter by) to names. */
import { createRoute, z } from "@hono/zod-openapi";
import { listTags } from "../../services/records/tags";
import { apiTenant } from "./guard";
import { apiRouter } from "./router";
import { problems } from "./schemas";

/** Mounted at /api/v1 (the path carries /tags). */
export const tagsApi = apiRouter();

const TagSchema = z
  .object({
    id: z.number().int().openapi({ example: 7 }),
    name: z.string().openapi({ example: "VIP" }),
    color: z.string().openapi({ example: "blue" }),
  })
  .openapi("Tag");

tagsApi.openapi(
  createRoute({
    method: "get",
    path: "/tags",
    tags: ["Tags"],
    summary: "List tags",
    description:
      "Every tag of the workspace, by name (a workspace has few; no paging). Admins manage them in Settings → Tags.",
    responses: {
      200: {
        description: "The tags",
        content: { "application/json": { schema: z.object({ data: z.array(TagSchema) }).openapi("TagList") } },
      },
      ...problems(401, 403),
    },
  }),
  async (c) => c.json({ data: await listTags(apiTenant(c)) }, 200),
);
