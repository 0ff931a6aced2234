/**
 * `Idempotency-Key` on every POST under /api/v1 (a middleware after the key check, so routes added later have
 * it too): a retry within 24 h gets the first answer again with `Idempotent-Replayed: true`; the same key with
 * another request is 409 idempotency_key_reused, and one still running is 409 idempotency_key_in_use. Only
 * 2xx and 4xx answers are kept: after a 5xx the retry runs afresh. The rules live in
 * src/services/api/idempotency.ts.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  releaseIdempotencyKey,
  requestHash,
  validIdempotencyKey,
} from "../../services/api/idempotency";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem, invalidFields, rateLimitHeaders } from "./problem";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** The answer's headers a replay repeats (the rate-limit fields are the replay's own). */
const KEPT_HEADERS = ["Content-Type", "Location"];
/**
 * Answers that say "not now" rather than "no": a conflict with a change or an import running meanwhile (409), the
 * Free plan's limit (402, until an upgrade), a rate limit (429). A retry under the same key must run afresh, as
 * after a 5xx, not replay the refusal for 24 hours.
 */
const NOT_NOW = new Set([402, 409, 429]);

/** Claims the key, replays a kept answer, or runs the request and keeps its answer. */
export const apiIdempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return next();
  if (!validIdempotencyKey(key))
    throw invalidFields([
      {
        field: IDEMPOTENCY_HEADER,
        message: `Use 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters, such as a UUID.`,
      },
    ]);
  const caller = callerOf(c);
  const t = apiTenant(c);
  const url = new URL(c.req.url);
  // The body read here is cached by hono for the route's own validator.
  const hash = requestHash(c.req.method, url.pathname + url.search, await c.req.text());
  const claim = await claimIdempotencyKey(t, caller.keyId, key, hash, Date.now());
  if (claim.kind === "reused")
    throw new ApiProblem(
      "idempotency_key_reused",
      "This Idempotency-Key was used for a different request in the last 24 hours; use a new key.",
    );
  if (claim.kind === "in_flight")
    throw new ApiProblem(
      "idempotency_key_in_use",
      "A request with this Idempotency-Key is still running; retry soon.",
      undefined,
      {
        "Retry-After": "1",
      },
    );
  if (claim.kind === "replay") {
    const { status, headers, body } = claim.answer;
    return new Response(body === "" ? null : body, {
      status,
      headers: { ...headers, ...rateLimitHeaders(caller.limits), "Idempotent-Replayed": "true" },
    });
  }

  await next();
  const res = c.res;
  try {
    if (res.status >= 500 || NOT_NOW.has(res.status)) {
      await releaseIdempotencyKey(t, caller.keyId, key, claim.token);
      return;
    }
    const body = await res.text();
    c.res = new Response(body === "" ? null : body, { status: res.status, headers: res.headers });
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await completeIdempotencyKey(t, caller.keyId, key, claim.token, { status: res.status, headers, body });
  } catch (err) {
    // The request itself is done: its answer goes out; the claim, left in progress, is taken over by a retry
    // after a minute.
    console.error(
      JSON.stringify({
        type: "error",
        requestId: c.get("requestId"),
        message: `idempotency: ${(err as Error).message}`,
      }),
    );
  }
};

/** Adds the Idempotency-Key header and its 409 to every POST of an OpenAPI document (routes added later too). */
export function withIdempotencyKey<D extends { paths?: object }>(doc: D): D {
  for (const item of Object.values(doc.paths ?? {}) as Record<string, unknown>[]) {
    const op = item.post as
      | { parameters?: unknown[]; responses?: Record<string, unknown>; description?: string }
      | undefined;
    if (!op) continue;
    op.parameters = [
      ...(op.parameters ?? []),
      {
        name: IDEMPOTENCY_HEADER,
        in: "header",
        required: false,
        description:
          "Any unique string (a UUID) of up to 255 characters. A retry with the same key within 24 h gets the " +
          "first answer again, with `Idempotent-Replayed: true`; the same key with another body is a 409.",
        schema: { type: "string", maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
      },
    ];
    op.responses ??= {};
    op.responses["409"] ??= {
      description: "Problem: idempotency_key_reused, idempotency_key_in_use",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  return doc;
}
