/**
 * /api/v1/deals: list (keyset), get, create, update (PATCH, partial) and delete, through the deals services the
 * app uses (src/services/deals/): the form's checks, the stage totals, the stage history, the timeline, the
 * audit trail, the trash. A PATCH that moves the deal to another stage of its pipeline writes the board's move and
 * a change of status the deal page's close or reopen, in the same batch as its fields (services/deals/patch.ts),
 * so deal.stage_changed, deal.won and deal.lost webhooks are sent.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { KeyActor } from "../../lib/actor";
import { requestMeta } from "../../lib/request";
import { getApiDeal, listApiDeals } from "../../services/api/deals";
import { patchDeal } from "../../services/deals/patch";
import { deleteDeal } from "../../services/deals/delete";
import { createDeal } from "../../services/deals/write";
import { parseRecordId } from "../record-helpers";
import { listParams, pageBody } from "./cursor";
import { readDealJson } from "./deals-input";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { DealInputSchema, DealListQuery, DealListSchema, DealSchema } from "./schemas-deals";

/** Mounted at /api/v1 (the paths carry /deals). */
export const dealsApi = apiRouter();

const tags = ["Deals"];
const json = (schema: typeof DealSchema | typeof DealListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: DealInputSchema } } };
const notFound = () => new ApiProblem("not_found", "No such deal.");
const conflict = () => new ApiProblem("conflict", "The deal was changed meanwhile; read it again and retry.");

/** The deal id of the path, or a 404. */
function dealId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

/** The key's maker as the actor of a change (nobody once their account is gone). */
function keyActor(c: Context<AppEnv>): KeyActor {
  return { userId: callerOf(c).createdBy, ...requestMeta(c) };
}

dealsApi.openapi(
  createRoute({
    method: "get",
    path: "/deals",
    tags,
    summary: "List deals",
    description: "Oldest first, by id, with the deal list's filters.",
    request: { query: DealListQuery },
    responses: { 200: json(DealListSchema, "A page of deals"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince } = listParams(query);
    const page = await listApiDeals(apiTenant(c), {
      pipelineId: query.pipeline ?? null,
      stageId: query.stage ?? null,
      status: query.status ?? null,
      ownerId: query.owner ?? null,
      companyId: query.company ?? null,
      contactId: query.contact ?? null,
      tagId: query.tag ?? null,
      updatedSince,
      afterId,
      limit,
    });
    return c.json(pageBody(page), 200);
  },
);

dealsApi.openapi(
  createRoute({
    method: "post",
    path: "/deals",
    tags,
    summary: "Create a deal",
    description:
      "Needs a name. It starts open, in `stage_id`, else the first stage of `pipeline_id` or of the first pipeline.",
    request: { body },
    responses: { 201: json(DealSchema, "The deal as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const read = await readDealJson(t, c.req.valid("json"), null);
    const id = await createDeal(t, keyActor(c), read.input, read.pipelineId);
    const record = await getApiDeal(t, id);
    if (!record) throw notFound();
    c.header("Location", `/api/v1/deals/${id}`);
    return c.json(record, 201);
  },
);

dealsApi.openapi(
  createRoute({
    method: "get",
    path: "/deals/{id}",
    tags,
    summary: "Get a deal",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(DealSchema, "The deal"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const record = await getApiDeal(apiTenant(c), dealId(c.req.valid("param").id));
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

dealsApi.openapi(
  createRoute({
    method: "patch",
    path: "/deals/{id}",
    tags,
    summary: "Update a deal",
    description:
      "Only the fields sent change; null clears one; contacts and tag_ids are replaced whole. A stage of the same " +
      "pipeline is a move (deal.stage_changed); `status` won or lost (with `lost_reason`) or open closes or reopens it.",
    request: { params: IdParam, body },
    responses: { 200: json(DealSchema, "The deal as updated"), ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = dealId(c.req.valid("param").id);
    const current = await getApiDeal(t, id);
    if (!current) throw notFound();
    const read = await readDealJson(t, c.req.valid("json"), current);
    // Within its pipeline the stage changes by a move, as on the board; the other fields by the edit form's update.
    const moveTo =
      read.pipelineId === current.pipeline.id && read.input.stageId !== current.stage.id ? read.input.stageId : null;
    const done = await patchDeal(t, keyActor(c), id, Date.parse(current.updated_at), {
      input: moveTo === null ? read.input : { ...read.input, stageId: current.stage.id },
      ctx: {
        pipelineId: read.pipelineId,
        stageName: moveTo === null ? read.stageName : current.stage.name,
        companyName: read.companyName,
        locale: read.locale,
      },
      moveTo,
      outcome: read.outcome,
    });
    if (!done.ok) throw done.reason === "not_found" ? notFound() : conflict();
    const record = await getApiDeal(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

dealsApi.openapi(
  createRoute({
    method: "delete",
    path: "/deals/{id}",
    tags,
    summary: "Delete a deal",
    description: "It goes to the trash for 30 days, with its notes, tasks and logged interactions, as in the app.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    if (!(await deleteDeal(apiTenant(c), keyActor(c), dealId(c.req.valid("param").id)))) throw notFound();
    return c.body(null, 204);
  },
);
