import type { Context } from "hono";
import { Toucan } from "toucan-js";
import type { AppEnv } from "../env";
import { redactPath } from "./request";
import { withoutQueryValues } from "./error-text";

const SCRUBBED_HEADERS =
  /^(cookie|authorization|proxy-authorization|x-forwarded-for|cf-connecting-ip|x-real-ip|stripe-signature)$/i;

/**
 * Sends a server error to Sentry when SENTRY_DSN is set. Cookies, auth headers, query strings, IPs
 * and request bodies are stripped before anything leaves; only ids identify the user.
 */
export function reportError(c: Context<AppEnv>, err: unknown): void {
  const dsn = c.env.SENTRY_DSN;
  if (!dsn) return;
  const sentry = new Toucan({
    dsn,
    context: c.executionCtx,
    request: c.req.raw,
    environment: c.env.ENVIRONMENT ?? "production",
    requestDataOptions: {
      allowedHeaders: ["user-agent", "accept", "content-type", "hx-request", "hx-boosted"],
      allowedCookies: false,
      allowedSearchParams: false,
      allowedIps: false,
    },
    beforeSend(event) {
      if (event.request) {
        delete event.request.cookies;
        delete event.request.data;
        delete event.request.query_string;
        if (event.request.url) {
          const url = new URL(event.request.url);
          event.request.url = `${url.origin}${redactPath(url.pathname)}`;
        }
        if (event.request.headers) {
          for (const name of Object.keys(event.request.headers)) {
            if (SCRUBBED_HEADERS.test(name)) delete event.request.headers[name];
          }
        }
      }
      if (event.user) delete event.user.ip_address;
      return event;
    },
  });
  const auth = c.get("auth");
  if (auth) {
    sentry.setUser({ id: auth.user.id });
    sentry.setTag("tenant_id", auth.tenant.id);
  }
  sentry.setTag("request_id", c.get("requestId"));
  sentry.captureException(withoutQueryValues(err));
}
