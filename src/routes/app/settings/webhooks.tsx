/**
 * Settings → Webhooks at /app/settings/webhooks, for admins and owners: endpoints (added, edited), their signing
 * secret (revealed, rotated), test events and the delivery log with Replay. Another workspace's endpoint or
 * delivery is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  revealSecret,
  rotateSecret,
  sendTestEvent,
  setEndpointEnabled,
  updateEndpoint,
} from "../../../services/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "../../../services/webhooks/events";
import { replayDelivery, replayFailedDeliveries } from "../../../services/webhooks/log";
import { actorOf, tenantOf } from "../../context";
import { submittedVersion } from "../shared/record-form";
import { REPLAY_DISABLED, WebhookDeletePage } from "../../../../views/pages/settings/WebhookEndpointPage";
import { WebhookEditPage, type WebhookEditPageProps } from "../../../../views/pages/settings/WebhookEditPage";
import { unconfirmedRefusal } from "./confirmed-address";
import { settingsMenuOf } from "./settings-context";
import { dispatchNow, ENDPOINT_ID as ID, endpointPage, listPage, readEndpointForm } from "./webhooks-page";

/** Mounted at /app/settings/webhooks. */
export const webhooksRoutes = new Hono<AppEnv>();

const admin = requireRole("admin");
/** Deliveries the trigger of migration 0030 adds get 32 hex digits; the others newId()s. */
const DELIVERY_ID = /^(?:[a-z2-7]{24}|[0-9a-f]{32})$/;

webhooksRoutes.get("/", admin, (c) => listPage(c));

webhooksRoutes.post("/", admin, async (c) => {
  const form = await readEndpointForm(c);
  const values = form.values;
  if (!form.ok) return listPage(c, { create: { values, errors: form.errors } }, 422);
  const refused = unconfirmedRefusal(c, "adding a webhook endpoint");
  if (refused) return listPage(c, { create: { values, errors: { url: refused } } }, 422);
  const created = await createEndpoint(tenantOf(c), actorOf(c), form.input);
  if (!created.ok) return listPage(c, { create: { values, errors: { [created.field]: created.message } } }, 422);
  return c.redirect(`/app/settings/webhooks/${created.id}?notice=created`, 303);
});

webhooksRoutes.get("/:id", admin, (c) => endpointPage(c, c.req.param("id")));

/** The edit form, filled from the endpoint or with what was sent back. */
function editPage(
  c: Context<AppEnv>,
  p: Omit<WebhookEditPageProps, "eventTypes" | "canSeeBilling">,
  status: ContentfulStatusCode = 200,
) {
  return render(
    c,
    "Edit webhook endpoint",
    <WebhookEditPage canSeeBilling={settingsMenuOf(c).canSeeBilling} eventTypes={WEBHOOK_EVENT_TYPES} {...p} />,
    status,
  );
}

webhooksRoutes.get("/:id/edit", admin, async (c) => {
  const id = c.req.param("id");
  const e = ID.test(id) ? await getEndpoint(tenantOf(c), id) : null;
  if (!e) return errorResponse(c, 404);
  const values = { url: e.url, description: e.description ?? "", events: e.events };
  return editPage(c, { id, version: e.updatedAt, values });
});

webhooksRoutes.post("/:id", admin, async (c) => {
  const id = c.req.param("id");
  const t = tenantOf(c);
  const existing = ID.test(id) ? await getEndpoint(t, id) : null;
  if (!existing) return errorResponse(c, 404);
  const form = await readEndpointForm(c);
  const version = submittedVersion(form.body) ?? existing.updatedAt;
  const again = { id, version, values: form.values };
  if (!form.ok) return editPage(c, { ...again, errors: form.errors }, 422);
  // Pointing an endpoint elsewhere sends the workspace's changes there, as adding one does.
  const refused = unconfirmedRefusal(c, "changing a webhook endpoint");
  if (refused) return editPage(c, { ...again, errors: { url: refused } }, 422);
  const result = await updateEndpoint(t, actorOf(c), id, version, form.input);
  if (result.ok) return c.redirect(`/app/settings/webhooks/${id}?notice=updated`, 303);
  if (result.reason === "not_found") return errorResponse(c, 404);
  const alert =
    "Someone else changed this endpoint while you were editing, so your changes were not saved. " +
    "Check the fields below and save again to replace their changes with yours.";
  return editPage(c, { ...again, version: result.current.updatedAt, alert }, 409);
});

webhooksRoutes.post("/:id/secret", admin, async (c) => {
  const id = c.req.param("id");
  const secret = ID.test(id) ? await revealSecret(tenantOf(c), actorOf(c), id) : null;
  if (!secret) return errorResponse(c, 404);
  c.header("Cache-Control", "no-store");
  return endpointPage(c, id, { secret });
});

webhooksRoutes.post("/:id/rotate", admin, async (c) => {
  const id = c.req.param("id");
  const secret = ID.test(id) ? await rotateSecret(tenantOf(c), actorOf(c), id) : null;
  if (!secret) return errorResponse(c, 404);
  c.header("Cache-Control", "no-store");
  return endpointPage(c, id, { secret, rotated: true });
});

for (const [verb, enabled] of [
  ["enable", true],
  ["disable", false],
] as const) {
  webhooksRoutes.post(`/:id/${verb}`, admin, async (c) => {
    const id = c.req.param("id");
    if (!ID.test(id) || !(await setEndpointEnabled(tenantOf(c), actorOf(c), id, enabled))) return errorResponse(c, 404);
    return c.redirect(`/app/settings/webhooks/${id}?notice=${verb}d`, 303);
  });
}

webhooksRoutes.post("/:id/test", admin, async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id) || !(await sendTestEvent(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  await dispatchNow(c);
  return c.redirect(`/app/settings/webhooks/${id}?notice=tested#deliveries-heading`, 303);
});

webhooksRoutes.post("/deliveries/:id/replay", admin, async (c) => {
  const id = c.req.param("id");
  if (!DELIVERY_ID.test(id)) return errorResponse(c, 404);
  const result = await replayDelivery(tenantOf(c), id, actorOf(c).now);
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok) return endpointPage(c, result.endpointId, { alert: REPLAY_DISABLED }, 409);
  await dispatchNow(c);
  return c.redirect(`/app/settings/webhooks/${result.endpointId}?notice=replayed#deliveries-heading`, 303);
});

webhooksRoutes.post("/:id/replay-failed", admin, async (c) => {
  const id = c.req.param("id");
  const result = ID.test(id) ? await replayFailedDeliveries(tenantOf(c), id, actorOf(c).now) : null;
  if (!result || (!result.ok && result.reason === "not_found")) return errorResponse(c, 404);
  if (!result.ok) return endpointPage(c, id, { alert: REPLAY_DISABLED }, 409);
  if (result.queued > 0) await dispatchNow(c);
  const notice = result.queued === 0 ? "none_failed" : result.more ? "failed_replayed_some" : "failed_replayed";
  return c.redirect(`/app/settings/webhooks/${id}?notice=${notice}#deliveries-heading`, 303);
});

webhooksRoutes.get("/:id/delete", admin, async (c) => {
  const id = c.req.param("id");
  const endpoint = ID.test(id) ? await getEndpoint(tenantOf(c), id) : null;
  if (!endpoint) return errorResponse(c, 404);
  return render(c, "Delete endpoint", <WebhookDeletePage endpoint={endpoint} />);
});

webhooksRoutes.post("/:id/delete", admin, async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id) || !(await deleteEndpoint(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  return c.redirect("/app/settings/webhooks?notice=deleted", 303);
});
