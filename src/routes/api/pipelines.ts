/**
 * /api/v1/pipelines: the workspace's pipelines with their stages, so a client can place and read deals; and
 * creating, renaming and deleting them as Settings → Pipelines does (its services and form schemas, so the
 * same checks and audit entries). The settings page is for admins; keys are made by admins, and writing
 * needs a read and write key. Stages: src/routes/api/stages.ts.
 */
import { createRoute } from "@hono/zod-openapi";
import { getApiPipeline, listApiPipelines } from "../../services/api/pipelines";
import { createPipeline, deletePipeline, pipelineNameSchema, renamePipeline } from "../../services/deals/pipelines";
import { STAGE_NAME_TAKEN, stageInputSchema } from "../../services/deals/stages";
import { parseRecordId } from "../record-helpers";
import { apiTenant } from "./guard";
import { ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { PipelineListSchema, PipelineSchema } from "./schemas-deals";
import { PipelineCreateSchema, PipelineUpdateSchema } from "./schemas-settings";
import { checkedBy, keyActorOf, mustCheck, nameRefused, pathId } from "./settings-input";

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
    request: { query: NoQuery },
    responses: {
      200: { description: "The pipelines", content: { "application/json": { schema: PipelineListSchema } } },
      ...problems(401, 403, 422),
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
    request: { params: IdParam, query: NoQuery },
    responses: {
      200: { description: "The pipeline", content: { "application/json": { schema: PipelineSchema } } },
      ...problems(401, 403, 404, 422),
    },
  }),
  async (c) => {
    const id = parseRecordId(c.req.valid("param").id);
    const pipeline = id === null ? null : await getApiPipeline(apiTenant(c), id);
    if (!pipeline) throw notFound();
    return c.json(pipeline, 200);
  },
);

const pipelineJson = (description: string) => ({
  description,
  content: { "application/json": { schema: PipelineSchema } },
});

pipelinesApi.openapi(
  createRoute({
    method: "post",
    path: "/pipelines",
    tags,
    summary: "Create a pipeline",
    description:
      'As Settings → Pipelines adds one, at the end of the board; with `stages` in order (else one stage, "New"). ' +
      "Needs a read and write key.",
    request: { body: { required: true, content: { "application/json": { schema: PipelineCreateSchema } } } },
    responses: { 201: pipelineJson("The pipeline as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const problemsFound: FieldProblem[] = [];
    const name = checkedBy(pipelineNameSchema, { name: body.name });
    if (!name.ok) problemsFound.push(...name.problems);
    const stages: { name: string; probability: number }[] = [];
    for (const [i, stage] of (body.stages ?? []).entries()) {
      const probability = String(stage.probability ?? 0);
      const checked = checkedBy(stageInputSchema, { name: stage.name, probability }, `stages[${i}].`);
      if (!checked.ok) problemsFound.push(...checked.problems);
      else if (stages.some((s) => s.name.toLowerCase() === checked.data.name.toLowerCase()))
        problemsFound.push({ field: `stages[${i}].name`, message: STAGE_NAME_TAKEN });
      else stages.push(checked.data);
    }
    if (problemsFound.length || !name.ok) throw invalidFields(problemsFound);
    const t = apiTenant(c);
    const result = await createPipeline(t, keyActorOf(c), name.data.name, body.stages ? stages : undefined);
    if (!result.ok) throw nameRefused(result);
    const pipeline = await getApiPipeline(t, result.id);
    if (!pipeline) throw notFound();
    c.header("Location", `/api/v1/pipelines/${result.id}`);
    return c.json(pipeline, 201);
  },
);

pipelinesApi.openapi(
  createRoute({
    method: "patch",
    path: "/pipelines/{id}",
    tags,
    summary: "Rename a pipeline",
    description: "Needs a read and write key. Stages change through /stages.",
    request: {
      params: IdParam,
      body: { required: true, content: { "application/json": { schema: PipelineUpdateSchema } } },
    },
    responses: { 200: pipelineJson("The pipeline"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = pathId(c.req.valid("param").id, notFound);
    const current = await getApiPipeline(t, id);
    if (!current) throw notFound();
    const body = c.req.valid("json");
    if (body.name !== undefined) {
      const { name } = mustCheck(pipelineNameSchema, { name: body.name });
      const result = await renamePipeline(t, keyActorOf(c), id, name);
      if (!result) throw notFound();
      if (!result.ok) throw nameRefused(result);
    }
    const pipeline = await getApiPipeline(t, id);
    if (!pipeline) throw notFound();
    return c.json(pipeline, 200);
  },
);

pipelinesApi.openapi(
  createRoute({
    method: "delete",
    path: "/pipelines/{id}",
    tags,
    summary: "Delete a pipeline",
    description:
      "With its stages, as Settings → Pipelines does: only while it holds no deals (open, won or lost) and is not " +
      "the workspace's last, else `409 in_use`. Needs a read and write key.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404, 409) },
  }),
  async (c) => {
    const id = pathId(c.req.valid("param").id, notFound);
    const result = await deletePipeline(apiTenant(c), keyActorOf(c), id);
    if (result.ok) return c.body(null, 204);
    if (result.reason === "not_found") throw notFound();
    throw new ApiProblem(
      "in_use",
      result.reason === "last"
        ? "A workspace keeps at least one pipeline."
        : `The pipeline holds ${result.deals} deal${result.deals === 1 ? "" : "s"}: move or delete them first.`,
    );
  },
);
