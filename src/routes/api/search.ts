/** /api/v1/search: contacts, companies, deals and tasks matching a text together, as the header's search box. */
import { createRoute, z } from "@hono/zod-openapi";
import { apiSearch } from "../../services/api/search";
import { searchText } from "../../services/search/global";
import { apiTenant } from "./guard";
import { invalidFields } from "./problem";
import { apiRouter } from "./router";
import { problems } from "./schemas";

/** Mounted at /api/v1 (the path carries /search). */
export const searchApi = apiRouter();

const group = <T extends z.ZodTypeAny>(hit: T, name: string) =>
  z
    .object({ data: z.array(hit), more: z.boolean().openapi({ description: "More matched than are listed." }) })
    .openapi(name);

const SearchSchema = z
  .object({
    contacts: group(
      z.object({
        id: z.number().int(),
        name: z.string(),
        email: z.string().nullable(),
        company_name: z.string().nullable(),
      }),
      "ContactHits",
    ),
    companies: group(
      z.object({ id: z.number().int(), name: z.string(), domain: z.string().nullable() }),
      "CompanyHits",
    ),
    deals: group(
      z.object({
        id: z.number().int(),
        name: z.string(),
        status: z.string(),
        amount_minor: z.number().int(),
        currency: z.string(),
        stage: z.string().nullable(),
      }),
      "DealHits",
    ),
    tasks: group(
      z.object({ id: z.number().int(), title: z.string(), status: z.string(), due_date: z.string() }),
      "TaskHits",
    ),
  })
  .openapi("SearchResults");

const SearchQuery = z
  .object({
    q: z.string().max(100).openapi({
      description:
        "Words to find: a prefix of any word of a contact's name, email, phone, company or notes (from 3 characters also inside a name or email), part of a company's name or domain, a deal's name, a task's title.",
      example: "opper",
    }),
    limit: z.coerce.number().int().min(1).max(25).optional().openapi({ description: "Of each kind (default 10)." }),
  })
  .strict();

searchApi.openapi(
  createRoute({
    method: "get",
    path: "/search",
    tags: ["Search"],
    summary: "Search the workspace",
    description: "A few of each kind, newest contacts first, companies and deals by name, open tasks first.",
    request: { query: SearchQuery },
    responses: {
      200: { description: "The matches, by kind", content: { "application/json": { schema: SearchSchema } } },
      ...problems(401, 403, 422),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const text = searchText(query.q);
    if (text === null) throw invalidFields([{ field: "q", message: "Type a word or part of one to look for." }]);
    return c.json(await apiSearch(apiTenant(c), text, query.limit ?? 10), 200);
  },
);
