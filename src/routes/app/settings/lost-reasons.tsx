/** The lost reasons, on the pipelines settings page (mounted at /app/settings/pipelines/lost-reasons). Admins. */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { requireRole } from "../../../middleware/session";
import {
  addLostReason,
  getLostReason,
  moveLostReason,
  removeLostReason,
  renameLostReason,
} from "../../../services/deals/lost-reasons";
import { actorOf, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";
import { moveRoute, nameSchema, PIPELINES_PATH, submitPipelinesForm } from "./pipelines-page";

export const lostReasonRoutes = new Hono<AppEnv>();

const reasonForm = (key: string) => ({ key, schema: nameSchema("Reason", 80), fields: ["name"] });
const done = (c: Context<AppEnv>, notice: string) => c.redirect(`${PIPELINES_PATH}?notice=${notice}#lost-reasons`, 303);

lostReasonRoutes.post("/", requireRole("admin"), (c) =>
  submitPipelinesForm(
    c,
    reasonForm("new-reason"),
    ({ name }) => addLostReason(tenantOf(c), actorOf(c), name),
    () => done(c, "reason_created"),
  ),
);

lostReasonRoutes.post("/:id", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getLostReason(t, id))) return errorResponse(c, 404);
  return submitPipelinesForm(
    c,
    reasonForm(`reason-${id}`),
    ({ name }) => renameLostReason(t, actorOf(c), id, name),
    () => done(c, "reason_saved"),
  );
});

lostReasonRoutes.post(
  "/:id/move",
  requireRole("admin"),
  moveRoute(getLostReason, moveLostReason, (c) => done(c, "reason_moved")),
);

lostReasonRoutes.post("/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await removeLostReason(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  return done(c, "reason_deleted");
});
