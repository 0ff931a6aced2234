/** The lost reasons, on the pipelines settings page (mounted at /app/settings/pipelines/lost-reasons). Admins. */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { formValue, parseForm } from "../../../lib/validation";
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
import { directionOf, nameSchema, pipelinesPage, PIPELINES_PATH } from "./pipelines-page";

export const lostReasonRoutes = new Hono<AppEnv>();

const reasonSchema = nameSchema("Reason", 80);
const done = (c: Context<AppEnv>, notice: string) => c.redirect(`${PIPELINES_PATH}?notice=${notice}#lost-reasons`, 303);

lostReasonRoutes.post("/", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = { name: formValue(body, "name") };
  const parsed = parseForm(reasonSchema, body);
  if (!parsed.ok) return pipelinesPage(c, { key: "new-reason", values, errors: parsed.errors }, 422);
  const result = await addLostReason(tenantOf(c), actorOf(c), parsed.data.name);
  if (!result.ok) return pipelinesPage(c, { key: "new-reason", values, errors: { name: result.message } }, 422);
  return done(c, "reason_created");
});

lostReasonRoutes.post("/:id", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getLostReason(t, id))) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const values = { name: formValue(body, "name") };
  const parsed = parseForm(reasonSchema, body);
  if (!parsed.ok) return pipelinesPage(c, { key: `reason-${id}`, values, errors: parsed.errors }, 422);
  const result = await renameLostReason(t, actorOf(c), id, parsed.data.name);
  if (!result) return errorResponse(c, 404);
  if (!result.ok) return pipelinesPage(c, { key: `reason-${id}`, values, errors: { name: result.message } }, 422);
  return done(c, "reason_saved");
});

lostReasonRoutes.post("/:id/move", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  const direction = directionOf((await c.req.parseBody()).direction);
  if (id === null || !(await getLostReason(t, id))) return errorResponse(c, 404);
  if (direction === null) return errorResponse(c, 400);
  await moveLostReason(t, actorOf(c), id, direction);
  return done(c, "reason_moved");
});

lostReasonRoutes.post("/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await removeLostReason(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  return done(c, "reason_deleted");
});
