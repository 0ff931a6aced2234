/**
 * Settings → Webhooks at /app/settings/webhooks, for admins and owners: endpoints, their signing secret,
 * test events and the delivery log with Replay. Another workspace's endpoint or delivery is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { isProduction } from "../../../lib/dev-tools";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { parseForm, text } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  revealSecret,
  sendTestEvent,
  setEndpointEnabled,
} from "../../../services/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "../../../services/webhooks/events";
import { listDeliveries, replayDelivery, WEBHOOK_LOG_DAYS } from "../../../services/webhooks/log";
import { dispatchDue } from "../../../services/webhooks/sweep";
import { checkEndpointUrl } from "../../../services/webhooks/url";
import { actorOf, tenantOf } from "../../context";
import { noticeOf } from "../../record-helpers";
import {
  ENDPOINT_NOTICES,
  WebhookDeletePage,
  WebhookEndpointPage,
} from "../../../../views/pages/settings/WebhookEndpointPage";
import { WEBHOOK_NOTICES, WebhooksPage, type WebhooksPageProps } from "../../../../views/pages/settings/WebhooksPage";
import { unconfirmedRefusal } from "./confirmed-address";
import { settingsMenuOf } from "./settings-context";

/** Mounted at /app/settings/webhooks. */
export const webhooksRoutes = new Hono<AppEnv>();

const admin = requireRole("admin");
/** Endpoint and delivery ids are newId()s: anything else is not found without a query. */
const ID = /^[a-z2-7]{24}$/;
/** Deliveries the trigger of migration 0030 adds get 32 hex digits; the others newId()s. */
const DELIVERY_ID = /^(?:[a-z2-7]{24}|[0-9a-f]{32})$/;

const endpointSchema = z.object({
  url: z.preprocess((v) => v ?? "", text("URL", { min: 1, max: 2000 })),
  description: z.preprocess((v) => v ?? "", text("Description", { max: 200 })),
  events: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Choose events from the list." }))
      .min(1, { error: "Choose at least one event." }),
  ),
});

async function listPage(
  c: Context<AppEnv>,
  extra: Partial<WebhooksPageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const endpoints = await listEndpoints(tenantOf(c));
  return render(
    c,
    "Webhooks",
    <WebhooksPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      endpoints={endpoints}
      eventTypes={WEBHOOK_EVENT_TYPES}
      notice={noticeOf(c, WEBHOOK_NOTICES)}
      {...extra}
    />,
    status,
  );
}

webhooksRoutes.get("/", admin, (c) => listPage(c));

webhooksRoutes.post("/", admin, async (c) => {
  const body = (await c.req.parseBody({ all: true })) as Record<string, string | string[]>;
  const first = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? "") : typeof v === "string" ? v : "");
  const values = {
    url: first(body.url),
    description: first(body.description),
    events: ([] as unknown[]).concat(body.events ?? []).map(String),
  };
  const parsed = parseForm(endpointSchema, {
    url: first(body.url),
    description: first(body.description),
    events: body.events,
  });
  if (!parsed.ok) return listPage(c, { create: { values, errors: parsed.errors } }, 422);
  const url = checkEndpointUrl(parsed.data.url, isProduction(c.env));
  if (!url.ok) return listPage(c, { create: { values, errors: { url: url.message } } }, 422);
  const refused = unconfirmedRefusal(c, "adding a webhook endpoint");
  if (refused) return listPage(c, { create: { values, errors: { url: refused } } }, 422);
  const created = await createEndpoint(tenantOf(c), actorOf(c), {
    url: url.url,
    description: parsed.data.description || null,
    events: [...new Set(parsed.data.events)],
  });
  if (!created.ok) return listPage(c, { create: { values, errors: { [created.field]: created.message } } }, 422);
  return c.redirect(`/app/settings/webhooks/${created.id}?notice=created`, 303);
});

/** The endpoint page, or a 404 for an id that is not this workspace's endpoint. */
async function endpointPage(c: Context<AppEnv>, secret?: string) {
  const id = c.req.param("id") ?? "";
  const t = tenantOf(c);
  const endpoint = ID.test(id) ? await getEndpoint(t, id) : null;
  if (!endpoint) return errorResponse(c, 404);
  const deliveries = await listDeliveries(t, id, actorOf(c).now);
  return render(
    c,
    "Webhook endpoint",
    <WebhookEndpointPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      endpoint={endpoint}
      deliveries={deliveries}
      logDays={WEBHOOK_LOG_DAYS}
      notice={noticeOf(c, ENDPOINT_NOTICES)}
      secret={secret}
    />,
  );
}

webhooksRoutes.get("/:id", admin, (c) => endpointPage(c));

webhooksRoutes.post("/:id/secret", admin, async (c) => {
  const id = c.req.param("id");
  const secret = ID.test(id) ? await revealSecret(tenantOf(c), actorOf(c), id) : null;
  if (!secret) return errorResponse(c, 404);
  c.header("Cache-Control", "no-store");
  return endpointPage(c, secret);
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

/**
 * Sends the workspace's due deliveries now, for an admin waiting on a test or replay; other writes leave
 * theirs to the cron's next minute, which keeps a write's D1 round trips what they were.
 */
async function dispatchNow(c: Context<AppEnv>) {
  try {
    await dispatchDue(tenantOf(c).db, c.env.JOBS, actorOf(c).now, tenantOf(c).tenantId);
  } catch (err) {
    console.error(JSON.stringify({ type: "webhook_dispatch_failed", error: String(err).slice(0, 300) }));
  }
}

webhooksRoutes.post("/:id/test", admin, async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id) || !(await sendTestEvent(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  await dispatchNow(c);
  return c.redirect(`/app/settings/webhooks/${id}?notice=tested#deliveries`, 303);
});

webhooksRoutes.post("/deliveries/:id/replay", admin, async (c) => {
  const id = c.req.param("id");
  const endpointId = DELIVERY_ID.test(id) ? await replayDelivery(tenantOf(c), id, actorOf(c).now) : null;
  if (!endpointId) return errorResponse(c, 404);
  await dispatchNow(c);
  return c.redirect(`/app/settings/webhooks/${endpointId}?notice=replayed#deliveries`, 303);
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
