import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { render } from "./render";
import { reportError } from "./sentry";
import { ErrorPage, errorTitle } from "../../views/pages/ErrorPage";
import { errorText, withoutQueryValues } from "./error-text";

/** A friendly error page (or fragment) for a status. */
export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  extra: { retryAfterSeconds?: number } = {},
) {
  return render(c, errorTitle(status), <ErrorPage status={status} requestId={c.get("requestId")} {...extra} />, status);
}

/** app.onError: expected HTTP errors keep their status; anything else is a 500, reported to Sentry. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof HTTPException && err.status < 500) {
    return errorResponse(c, err.status as ContentfulStatusCode);
  }
  const clean = withoutQueryValues(err) as Error;
  console.error(
    JSON.stringify({ type: "error", requestId: c.get("requestId"), message: errorText(err), stack: clean.stack }),
  );
  reportError(c, clean);
  return errorResponse(c, 500);
}

/** app.notFound */
export function handleNotFound(c: Context<AppEnv>) {
  return errorResponse(c, 404);
}
