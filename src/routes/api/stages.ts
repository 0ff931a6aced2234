/**
 * /api/v1/pipelines/{id}/stages and /api/v1/stages/{id}: a pipeline's stages, added, renamed, given a probability
 * or a place, and removed as Settings → Pipelines does (src/services/deals/stages.ts, its form schema): a stage
 * with deals goes only with `move_deals_to`, its deals moving in the same batch (deal.stage_changed for each), and
 * a pipeline keeps one stage. Writing needs a read and write key (keys are made by admins, as the page is theirs).
 */
import { createRoute } from "@hono/zod-openapi";
import { getApiPipeline, getApiStage, type ApiStage } from "../../services/api/pipelines";
import { addStage, placeStage, removeStage, stageInputSchema, updateStage } from "../../services/deals/stages";
import { apiTenant } from "./guard";
import { ApiProblem, invalidFields } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { StageCreateSchema, StageDeleteQuery, StageSchema, StageUpdateSchema } from "./schemas-settings";
import { keyActorOf, mustCheck, nameRefused, pathId } from "./settings-input";

/** Mounted at /api/v1 (the paths carry /pipelines and /stages). */
export const stagesApi = apiRouter();

const tags = ["Pipelines"];
const notFound = () => new ApiProblem("not_found", "No such stage.");
const pipelineNotFound = () => new ApiProblem("not_found", "No such pipeline.");
const stageJson = (description: string) => ({
  description,
  content: { "application/json": { schema: StageSchema } },
});
const jsonBody = <S>(schema: S) => ({ required: true, content: { "application/json": { schema } } });

/** The stage, or a 404. */
async function stageOf(c: Parameters<typeof apiTenant>[0], raw: string): Promise<ApiStage> {
  const stage = await getApiStage(apiTenant(c), pathId(raw, notFound));
  if (!stage) throw notFound();
  return stage;
}

stagesApi.openapi(
  createRoute({
    method: "post",
    path: "/pipelines/{id}/stages",
    tags,
    summary: "Add a stage",
    description: "At the end of the pipeline (its last column). Needs a read and write key.",
    request: { params: IdParam, body: jsonBody(StageCreateSchema) },
    responses: { 201: stageJson("The stage as added"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const pipelineId = pathId(c.req.valid("param").id, pipelineNotFound);
    if (!(await getApiPipeline(t, pipelineId))) throw pipelineNotFound();
    const body = c.req.valid("json");
    const input = mustCheck(stageInputSchema, { name: body.name, probability: String(body.probability ?? 0) });
    const result = await addStage(t, keyActorOf(c), pipelineId, input);
    if (!result) throw pipelineNotFound();
    if (!result.ok) throw nameRefused(result);
    const stage = await getApiStage(t, result.id);
    if (!stage) throw notFound();
    c.header("Location", `/api/v1/stages/${result.id}`);
    return c.json(stage, 201);
  },
);

stagesApi.openapi(
  createRoute({
    method: "get",
    path: "/stages/{id}",
    tags,
    summary: "Get a stage",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: stageJson("The stage"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => c.json(await stageOf(c, c.req.valid("param").id), 200),
);

stagesApi.openapi(
  createRoute({
    method: "patch",
    path: "/stages/{id}",
    tags,
    summary: "Update a stage",
    description:
      "Rename it, set its win probability, or move it to `position` (0 first) in its pipeline. Needs a read and write key.",
    request: { params: IdParam, body: jsonBody(StageUpdateSchema) },
    responses: { 200: stageJson("The stage"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const current = await stageOf(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    const input = mustCheck(stageInputSchema, {
      name: body.name ?? current.name,
      probability: String(body.probability ?? current.probability),
    });
    const pipeline = await getApiPipeline(t, current.pipeline_id);
    if (!pipeline) throw notFound();
    const last = pipeline.stages.length - 1;
    const { position } = body;
    if (position !== undefined && !(Number.isInteger(position) && position >= 0 && position <= last))
      throw invalidFields([{ field: "position", message: `Enter a whole number from 0 to ${last}.` }]);
    const actor = keyActorOf(c);
    const result = await updateStage(t, actor, current.id, input);
    if (!result) throw notFound();
    if (!result.ok) throw nameRefused(result);
    if (position !== undefined && position !== current.position && !(await placeStage(t, actor, current.id, position)))
      throw notFound();
    return c.json(await stageOf(c, String(current.id)), 200);
  },
);

stagesApi.openapi(
  createRoute({
    method: "delete",
    path: "/stages/{id}",
    tags,
    summary: "Remove a stage",
    description:
      "As Settings → Pipelines removes one: a stage holding deals (open, won or lost) needs `move_deals_to`, another " +
      "stage of its pipeline, where they go in the same step (`deal.stage_changed` for each); without it the answer " +
      "is `409 in_use`; a `move_deals_to` stage removed meanwhile is `409 conflict` (nothing moved). A pipeline's only " +
      "stage stays (`409 in_use`). Needs a read and write key.",
    request: { params: IdParam, query: StageDeleteQuery },
    responses: { 204: { description: "Removed" }, ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const id = pathId(c.req.valid("param").id, notFound);
    const result = await removeStage(apiTenant(c), keyActorOf(c), id, c.req.valid("query").move_deals_to ?? null);
    if (result.ok) return c.body(null, 204);
    if (result.reason === "not_found") throw notFound();
    if (result.reason === "bad_target")
      throw invalidFields([{ field: "move_deals_to", message: "Choose another stage of this pipeline." }]);
    if (result.reason === "target_gone")
      throw new ApiProblem("conflict", "The stage in move_deals_to was removed meanwhile: choose another.");
    if (result.reason !== "has_deals") throw new ApiProblem("in_use", "A pipeline keeps at least one stage.");
    throw new ApiProblem(
      "in_use",
      `The stage holds ${result.deals} deal${result.deals === 1 ? "" : "s"}: send move_deals_to, another stage of its pipeline.`,
    );
  },
);
