/**
 * What the webhooks settings routes share: the endpoints page and an endpoint's page (its log a page at a time,
 * maybe with a refusal or a secret shown), the add and edit forms' reading, and sending due deliveries at once.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { isProduction } from "../../../lib/dev-tools";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { parseForm, text } from "../../../lib/validation";
import { getEndpoint, listEndpoints, type EndpointInput } from "../../../services/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "../../../services/webhooks/events";
import {
  listDeliveries,
  logCursorText,
  parseLogCursor,
  parseLogStatus,
  WEBHOOK_LOG_DAYS,
} from "../../../services/webhooks/log";
import { dispatchDue } from "../../../services/webhooks/sweep";
import { checkEndpointUrl } from "../../../services/webhooks/url";
import { actorOf, tenantOf } from "../../context";
import { noticeOf } from "../../record-helpers";
import {
  ENDPOINT_NOTICES,
  WebhookEndpointPage,
  type WebhookEndpointPageProps,
} from "../../../../views/pages/settings/WebhookEndpointPage";
import { WEBHOOK_NOTICES, WebhooksPage, type WebhooksPageProps } from "../../../../views/pages/settings/WebhooksPage";
import { settingsMenuOf } from "./settings-context";

/** Endpoint and delivery ids are newId()s: anything else is not found without a query. */
export const ENDPOINT_ID = /^[a-z2-7]{24}$/;

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

type FormBody = Record<string, string | string[]>;
const first = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? "") : typeof v === "string" ? v : "");

export type EndpointForm =
  | { ok: true; input: EndpointInput; values: FormValues; body: FormBody }
  | { ok: false; values: FormValues; errors: Record<string, string>; body: FormBody };
type FormValues = { url: string; description: string; events: string[] };

/** Reads the add or edit form: its fields checked, the URL by the same rules as sending (url.ts). */
export async function readEndpointForm(c: Context<AppEnv>): Promise<EndpointForm> {
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const values = {
    url: first(body.url),
    description: first(body.description),
    events: ([] as unknown[]).concat(body.events ?? []).map(String),
  };
  const parsed = parseForm(endpointSchema, { url: values.url, description: values.description, events: body.events });
  if (!parsed.ok) return { ok: false, values, errors: parsed.errors, body };
  const url = checkEndpointUrl(parsed.data.url, isProduction(c.env));
  if (!url.ok) return { ok: false, values, errors: { url: url.message }, body };
  const input = {
    url: url.url,
    description: parsed.data.description || null,
    events: [...new Set(parsed.data.events)],
  };
  return { ok: true, input, values, body };
}

/** Settings → Webhooks, maybe with the add form refused. */
export async function listPage(
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

/**
 * The endpoint page at `id` (the log's page and status from the query: a malformed one shows the first page), or a
 * 404 for an id that is not this workspace's endpoint.
 */
export async function endpointPage(
  c: Context<AppEnv>,
  id: string,
  extra: Pick<WebhookEndpointPageProps, "alert" | "secret" | "rotated"> = {},
  status: ContentfulStatusCode = 200,
) {
  const t = tenantOf(c);
  const endpoint = ENDPOINT_ID.test(id) ? await getEndpoint(t, id) : null;
  if (!endpoint) return errorResponse(c, 404);
  const now = actorOf(c).now;
  const before = parseLogCursor(c.req.query("before"));
  const logStatus = parseLogStatus(c.req.query("status"));
  const { rows, older } = await listDeliveries(t, id, now, { status: logStatus, before });
  return render(
    c,
    "Webhook endpoint",
    <WebhookEndpointPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      endpoint={endpoint}
      log={{
        deliveries: rows,
        logDays: WEBHOOK_LOG_DAYS,
        status: logStatus,
        olderBefore: older ? logCursorText(older) : undefined,
        paged: before !== undefined,
      }}
      notice={extra.alert ? null : noticeOf(c, ENDPOINT_NOTICES)}
      now={now}
      {...extra}
    />,
    status,
  );
}

/**
 * Sends the workspace's due deliveries now, for an admin waiting on a test or replay; other writes leave
 * theirs to the cron's next minute, which keeps a write's D1 round trips what they were.
 */
export async function dispatchNow(c: Context<AppEnv>) {
  try {
    await dispatchDue(tenantOf(c).db, c.env.JOBS, actorOf(c).now, tenantOf(c).tenantId);
  } catch (err) {
    console.error(JSON.stringify({ type: "webhook_dispatch_failed", error: String(err).slice(0, 300) }));
  }
}
