/**
 * Pipelines, their stages and the lost reasons at /app/settings/pipelines, for admins and owners.
 * Another workspace's pipeline, stage or reason is a 404. Fixed paths (/stages, /lost-reasons) are
 * registered before /:id, which would match them too.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { formValue } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import {
  createPipeline,
  dealsInPipeline,
  deletePipeline,
  getPipeline,
  listPipelines,
  movePipeline,
  pipelineNameSchema,
  renamePipeline,
} from "../../../services/deals/pipelines";
import {
  addStage,
  dealsInStage,
  getStage,
  moveStage,
  removeStage,
  stageInputSchema,
  stagesOf,
  updateStage,
} from "../../../services/deals/stages";
import { actorOf, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";
import { PipelineDeletePage, StageDeletePage } from "../../../../views/pages/settings/PipelineDeletePages";
import { lostReasonRoutes } from "./lost-reasons";
import { moveRoute, pipelinesPage, PIPELINES_PATH, submitPipelinesForm } from "./pipelines-page";

/** Mounted at /app/settings/pipelines. */
export const pipelinesRoutes = new Hono<AppEnv>();

const STAGE_FIELDS = ["name", "probability"] as const;
const pipelineForm = (key: string) => ({ key, schema: pipelineNameSchema, fields: ["name"] });

const done = (c: Context<AppEnv>, notice: string, anchor = "") =>
  c.redirect(`${PIPELINES_PATH}?notice=${notice}${anchor ? `#${anchor}` : ""}`, 303);

pipelinesRoutes.get("/", requireRole("admin"), (c) => pipelinesPage(c));

pipelinesRoutes.route("/lost-reasons", lostReasonRoutes);

// ---- Stages -------------------------------------------------------------------------------------

pipelinesRoutes.post("/stages/:id", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getStage(t, id))) return errorResponse(c, 404);
  return submitPipelinesForm(
    c,
    { key: `stage-${id}`, schema: stageInputSchema, fields: STAGE_FIELDS },
    (stage) => updateStage(t, actorOf(c), id, stage),
    () => done(c, "stage_saved", `stage-${id}`),
  );
});

pipelinesRoutes.post(
  "/stages/:id/move",
  requireRole("admin"),
  moveRoute(getStage, moveStage, (c, id) => done(c, "stage_moved", `stage-${id}`)),
);

async function stageDeletePage(
  c: Context<AppEnv>,
  id: number | null,
  { status, ...extra }: { error?: string; target?: string; status?: ContentfulStatusCode } = {},
) {
  const t = tenantOf(c);
  const stage = id === null ? null : await getStage(t, id);
  if (!stage) return errorResponse(c, 404);
  const [deals, siblings] = await Promise.all([dealsInStage(t, stage.id), stagesOf(t, stage.pipelineId)]);
  const others = siblings.filter((s) => s.id !== stage.id);
  return render(
    c,
    `Remove ${stage.name}`,
    <StageDeletePage stage={stage} deals={deals} others={others} {...extra} />,
    status ?? (extra.error ? 422 : others.length === 0 ? 409 : 200),
  );
}

pipelinesRoutes.get("/stages/:id/delete", requireRole("admin"), (c) =>
  stageDeletePage(c, parseRecordId(c.req.param("id"))),
);

pipelinesRoutes.post("/stages/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const rawTarget = formValue(body, "target_stage_id");
  const targetId = rawTarget === "" ? null : parseRecordId(rawTarget);
  if (rawTarget !== "" && targetId === null)
    return stageDeletePage(c, id, { error: "Choose a stage of this pipeline.", target: rawTarget });
  const result = await removeStage(tenantOf(c), actorOf(c), id, targetId);
  if (result.ok) return done(c, result.moved > 0 ? "stage_moved_deals" : "stage_deleted");
  if (result.reason === "not_found") return errorResponse(c, 404);
  if (result.reason === "bad_target")
    return stageDeletePage(c, id, { error: "Choose a stage of this pipeline.", target: rawTarget });
  if (result.reason === "has_deals")
    return stageDeletePage(c, id, { error: "Choose where its deals go before removing the stage." });
  // Another admin removed the chosen stage a moment before: nothing was written.
  if (result.reason === "target_gone")
    return stageDeletePage(c, id, { error: "That stage was removed meanwhile; choose another.", status: 409 });
  return stageDeletePage(c, id);
});

// ---- Pipelines ----------------------------------------------------------------------------------

pipelinesRoutes.post("/", requireRole("admin"), (c) =>
  submitPipelinesForm(
    c,
    pipelineForm("new-pipeline"),
    ({ name }) => createPipeline(tenantOf(c), actorOf(c), name),
    (id) => done(c, "pipeline_created", `pipeline-${id}`),
  ),
);

pipelinesRoutes.post("/:id", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getPipeline(t, id))) return errorResponse(c, 404);
  return submitPipelinesForm(
    c,
    pipelineForm(`pipeline-${id}`),
    ({ name }) => renamePipeline(t, actorOf(c), id, name),
    () => done(c, "pipeline_saved", `pipeline-${id}`),
  );
});

pipelinesRoutes.post(
  "/:id/move",
  requireRole("admin"),
  moveRoute(getPipeline, movePipeline, (c, id) => done(c, "pipeline_moved", `pipeline-${id}`)),
);

pipelinesRoutes.post("/:id/stages", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getPipeline(t, id))) return errorResponse(c, 404);
  return submitPipelinesForm(
    c,
    { key: `new-stage-${id}`, schema: stageInputSchema, fields: STAGE_FIELDS },
    (stage) => addStage(t, actorOf(c), id, stage),
    (stageId) => done(c, "stage_created", `stage-${stageId}`),
  );
});

async function pipelineDeletePage(c: Context<AppEnv>, id: number | null, status: ContentfulStatusCode = 200) {
  const t = tenantOf(c);
  const pipeline = id === null ? null : await getPipeline(t, id);
  if (!pipeline) return errorResponse(c, 404);
  const [deals, all] = await Promise.all([dealsInPipeline(t, pipeline.id), listPipelines(t)]);
  return render(
    c,
    `Delete ${pipeline.name}`,
    <PipelineDeletePage pipeline={pipeline} deals={deals} last={all.length <= 1} />,
    status,
  );
}

pipelinesRoutes.get("/:id/delete", requireRole("admin"), (c) =>
  pipelineDeletePage(c, parseRecordId(c.req.param("id"))),
);

pipelinesRoutes.post("/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const result = await deletePipeline(tenantOf(c), actorOf(c), id);
  if (result.ok) return done(c, "pipeline_deleted");
  if (result.reason === "not_found") return errorResponse(c, 404);
  return pipelineDeletePage(c, id, 409);
});
