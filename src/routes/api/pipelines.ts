/** /api/v1/pipelines: the workspace's pipelines with their stages, so a client can place and read deals. */
import { createRoute } from "@hono/zod-openapi";
import { getApiPipeline, listApiPipelines } from "../../services/api/pipelines";
import { parseRecordId } from "../record-helpers";
import { apiTenant } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems } from "./schemas";
import { PipelineListSchema, PipelineSchema } from "./schemas-deals";

/** Mounted at /api/v1 (the paths carry /pipelines). */
export const pipelinesApi = apiRouter();

const tags = ["Pipelines"];
const notFound = () => new ApiProblem("not_found", "No such pipeline.");

pipelinesApi.openapi(
  createRoute({
    method: "get",
    path: "/pipelines",
    tags,
    summary: "List pipelines",
    description:
      "Every pipeline in board order with its stages (a workspace has few; no paging). Admins change them in Settings → Pipelines.",
    responses: {
      200: { description: "The pipelines", content: { "application/json": { schema: PipelineListSchema } } },
      ...problems(401, 403),
    },
  }),
  async (c) => c.json({ data: await listApiPipelines(apiTenant(c)) }, 200),
);

pipelinesApi.openapi(
  createRoute({
    method: "get",
    path: "/pipelines/{id}",
    tags,
    summary: "Get a pipeline",
    request: { params: IdParam },
    responses: {
      200: { description: "The pipeline", content: { "application/json": { schema: PipelineSchema } } },
      ...problems(401, 403, 404),
    },
  }),
  async (c) => {
    const id = parseRecordId(c.req.valid("param").id);
    const pipeline = id === null ? null : await getApiPipeline(apiTenant(c), id);
    if (!pipeline) throw notFound();
    return c.json(pipeline, 200);
  },
);
