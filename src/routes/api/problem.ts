/**
 * Errors of /api/v1 as RFC 9457 problem details (application/problem+json), each with a stable `code`
 * clients can branch on; the title and detail are for people and may change. Handlers throw ApiProblem;
 * the API's onError writes it (src/routes/api/index.ts).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../env";
import type { LimitState } from "../../services/api/rate-limits";

/** Every code, with its status and title. The reference page lists them (src/routes/api/docs.tsx). */
export const PROBLEMS = {
  missing_api_key: [401, "An API key is needed"],
  invalid_api_key: [401, "The API key is not valid"],
  revoked_api_key: [401, "The API key was revoked"],
  expired_api_key: [401, "The API key has expired"],
  workspace_closed: [403, "The workspace is closed"],
  insufficient_scope: [403, "The API key can only read"],
  not_found: [404, "Not found"],
  rate_limited: [429, "Too many requests"],
  workspace_moving: [503, "The workspace is being moved"],
  conflict: [409, "The record changed meanwhile"],
  in_use: [409, "The record is still in use"],
  idempotency_key_reused: [409, "The Idempotency-Key was used for another request"],
  idempotency_key_in_use: [409, "A request with this Idempotency-Key is still running"],
  plan_limit: [402, "The plan's limit is reached"],
  payload_too_large: [413, "The body is too large"],
  unsupported_media_type: [415, "The body must be JSON"],
  malformed_json: [400, "The body is not valid JSON"],
  validation_failed: [422, "The request has invalid fields"],
  internal_error: [500, "Something went wrong on our side"],
} as const satisfies Record<string, [ContentfulStatusCode, string]>;
export type ProblemCode = keyof typeof PROBLEMS;

/** One invalid field: its name as the request spells it (`emails[1]`, `custom_fields.Tier`) and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A problem to answer with; thrown by handlers and middleware. */
export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? PROBLEMS[code][1]);
  }
}

/**
 * The RateLimit and RateLimit-Policy fields (IETF httpapi draft "RateLimit header fields for HTTP") of both
 * limits: quota and window, what is left and the seconds until the window resets.
 */
export function rateLimitHeaders(limits: LimitState[]): Record<string, string> {
  if (limits.length === 0) return {};
  return {
    "RateLimit-Policy": limits.map((l) => `"${l.policy}";q=${l.max};w=${l.windowSeconds}`).join(", "),
    RateLimit: limits.map((l) => `"${l.policy}";r=${l.remaining};t=${l.resetSeconds}`).join(", "),
  };
}

/** The problem+json answer for `p`, with the request's rate-limit fields once its key is known. */
export function problemResponse(c: Context<AppEnv>, p: ApiProblem): Response {
  const [status, title] = PROBLEMS[p.code];
  const body = {
    type: `/api/v1/docs#problem-${p.code}`,
    title,
    status,
    code: p.code,
    ...(p.detail ? { detail: p.detail } : {}),
    instance: c.req.path,
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/problem+json",
      "Cache-Control": "no-store",
      ...rateLimitHeaders(c.get("apiCaller")?.limits ?? []),
      ...p.headers,
    },
  });
}

/** A validation failure with every field's message. */
export function invalidFields(errors: FieldProblem[]): ApiProblem {
  return new ApiProblem("validation_failed", "Correct the fields listed in errors and send the request again.", errors);
}

type DocResponse = { description: string; headers?: Record<string, unknown>; content?: unknown };
type DocOperation = { responses?: Record<string, DocResponse> };

const OPERATIONS = ["get", "put", "post", "patch", "delete"] as const;
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const problemContent = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

/** The fields rateLimitHeaders writes, and Retry-After, as the document's reusable headers. */
const KEYED_HEADERS = {
  RateLimit: {
    description:
      "Each limit's requests left in its window (`r`) and seconds until it resets (`t`), on every answer to a valid key.",
    schema: { type: "string", example: '"per-key";r=297;t=41, "per-workspace";r=580;t=41' },
  },
  "RateLimit-Policy": {
    description: "Each limit's quota (`q`) per window of `w` seconds, on every answer to a valid key.",
    schema: { type: "string", example: '"per-key";q=300;w=60, "per-workspace";q=600;w=60' },
  },
  "Retry-After": {
    description: "Seconds to wait before asking again.",
    schema: { type: "integer", example: 41 },
  },
};

/**
 * Adds to every operation of an OpenAPI document what any request with a key may answer, whichever route it
 * names (routes added later too): the rate limit's 429 with Retry-After, a workspace move's 503, a 500, and the
 * RateLimit fields on every answer but a 401 (given before the key, and so its limits, is known).
 */
export function withKeyedAnswers<D extends { paths?: object; components?: object }>(doc: D): D {
  const components = (doc.components ?? {}) as { headers?: Record<string, unknown> };
  components.headers = { ...components.headers, ...KEYED_HEADERS };
  (doc as { components?: object }).components = components;
  for (const item of Object.values(doc.paths ?? {}) as Record<string, DocOperation | undefined>[])
    for (const method of OPERATIONS) {
      const op = item[method];
      if (!op) continue;
      op.responses ??= {};
      op.responses["429"] ??= {
        description: "Problem: rate_limited",
        headers: { "Retry-After": header("Retry-After") },
        content: problemContent,
      };
      op.responses["503"] ??= {
        description: "Problem: workspace_moving",
        headers: { "Retry-After": header("Retry-After") },
        content: problemContent,
      };
      op.responses["500"] ??= { description: "Problem: internal_error", content: problemContent };
      for (const [status, answer] of Object.entries(op.responses))
        if (status !== "401")
          answer.headers = {
            RateLimit: header("RateLimit"),
            "RateLimit-Policy": header("RateLimit-Policy"),
            ...answer.headers,
          };
    }
  return doc;
}
