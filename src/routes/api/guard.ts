/**
 * What every /api/v1 request passes before its route: a database handle, the API key (Bearer only: the
 * session cookie is never read here, so a browser's cookie grants nothing), the key's scope for the
 * method, and a JSON body of bounded size. Failures are problem+json (src/routes/api/problem.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createDb } from "../../db/client";
import { scoped, type TenantDb } from "../../db/scoped";
import type { AppEnv } from "../../env";
import { benchEnabled } from "../../lib/dev-tools";
import { requestMeta } from "../../lib/request";
import { piggyback } from "../../db/piggyback";
import { openRecordsDb } from "../../middleware/db";
import {
  type ApiAuthResult,
  type ApiCaller,
  bearerToken,
  keyCheckOutcome,
  keyCheckStatements,
  keyHashOf,
  knownKey,
  rememberKey,
} from "../../services/api/auth";
import { ApiProblem, rateLimitHeaders, type ProblemCode } from "./problem";

/** The largest JSON body accepted. */
export const MAX_API_BODY_BYTES = 256 * 1024;
/** The largest body of a bulk request (/…/bulk): 1,000 records with room for notes. */
export const MAX_BULK_BODY_BYTES = 1024 * 1024;

const REFUSED: Record<string, ProblemCode> = {
  missing: "missing_api_key",
  malformed: "invalid_api_key",
  unknown: "invalid_api_key",
  revoked: "revoked_api_key",
  expired: "expired_api_key",
  workspace_closed: "workspace_closed",
};

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Checks the key and the scope; sets `db` and `caller`. A read by a key this isolate has seen pass sends the
 * check in front of the route's first query (src/db/piggyback.ts): one D1 round trip instead of two. The
 * route's answer is then held until the check's results say the key may still be used; if not, the refusal
 * replaces it, and the check's writes (audit, counters) selected the key row themselves, so nothing was written.
 */
export const apiAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  // The primary, always: an API client has no bookmark cookie, and must read what it just wrote.
  const session = c.env.DB.withSession("first-primary");
  c.set("auth", null);
  const use = { ...requestMeta(c), method: c.req.method, path: c.req.path };
  const parsed = keyHashOf(bearerToken(c.req.header("Authorization")));
  if ("reason" in parsed) return refuse(parsed.reason);
  const known = READS.has(c.req.method) ? knownKey(parsed.hash) : undefined;
  if (!known) {
    c.set("db", createDb(session));
    const result = keyCheckOutcome(await session.batch(keyCheckStatements(session, parsed.hash, use)), use.now);
    rememberKey(parsed.hash, result);
    admit(c, result);
    openRecordsDb(c, callerOf(c).shard, "first-primary");
    for (const [name, value] of Object.entries(rateLimitHeaders(callerOf(c).limits))) c.header(name, value);
    return next();
  }
  // Records on DB: the check rides in front of the route's first query. On a shard: it runs beside the route.
  const ride =
    known.shard === "DB"
      ? piggyback(session, keyCheckStatements(session, parsed.hash, use))
      : beside(session, keyCheckStatements(session, parsed.hash, use));
  c.set("db", createDb(ride.session as D1Database));
  c.set("apiCaller", known);
  openRecordsDb(c, known.shard, "first-primary");
  await next();
  const result = keyCheckOutcome(await ride.results(), use.now);
  rememberKey(parsed.hash, result);
  admit(c, result.ok && result.caller.tenantId !== known.tenantId ? { ok: false, reason: "unknown" } : result);
  // A move switched the workspace's database since this isolate last saw the key: what it read may be stale.
  if (result.ok && result.caller.shard !== known.shard)
    throw new ApiProblem(
      "workspace_moving",
      "The workspace has just moved to another database; ask again.",
      undefined,
      {
        "Retry-After": "1",
      },
    );
  for (const [name, value] of Object.entries(rateLimitHeaders(callerOf(c).limits))) c.res.headers.set(name, value);
};

/** The key check sent now, on its own, while the route reads its shard. */
function beside(session: D1DatabaseSession, statements: D1PreparedStatement[]) {
  const sent = session.batch(statements);
  sent.catch(() => {}); // awaited after the route; a failure then is the request's
  return { session, results: () => sent };
}

function refuse(reason: Exclude<ApiAuthResult, { ok: true }>["reason"]): never {
  const code = REFUSED[reason]!;
  const challenge: Record<string, string> =
    code === "workspace_closed" ? {} : { "WWW-Authenticate": 'Bearer realm="api"' };
  throw new ApiProblem(code, undefined, undefined, challenge);
}

/** Sets the caller of a key that may be used, or throws the refusal, the 429 or the scope's 403. */
function admit(c: Context<AppEnv>, result: ApiAuthResult): void {
  if (!result.ok) refuse(result.reason);
  c.set("apiCaller", result.caller);
  // `npm run bench` measures throughput with one key: the counting still runs, only the 429 is not given
  // (BENCH=1 works only outside production, src/lib/dev-tools.ts).
  const exceeded = benchEnabled(c.env) ? [] : result.caller.limits.filter((l) => l.exceeded);
  if (exceeded.length) {
    const wait = Math.max(...exceeded.map((l) => l.resetSeconds));
    throw new ApiProblem(
      "rate_limited",
      `Too many requests ${exceeded.map((l) => l.policy).join(" and ")}; try again in ${wait} s.`,
      undefined,
      { "Retry-After": String(wait) },
    );
  }
  if (result.caller.scope === "read" && !READS.has(c.req.method))
    throw new ApiProblem("insufficient_scope", "This key is read only; make a read and write key in Settings → API.");
  // As /app's changes are (src/middleware/moving-workspace.tsx): the move's catch-up must see every write.
  if (result.caller.moving && !READS.has(c.req.method))
    throw new ApiProblem(
      "workspace_moving",
      "The workspace is being moved to another database; its data can be read, and changed again in a minute.",
      undefined,
      { "Retry-After": "60" },
    );
}

/** Bodies: JSON only, at most MAX_API_BODY_BYTES. */
export const apiBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (READS.has(c.req.method) || c.req.method === "DELETE") return next();
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json")
    throw new ApiProblem("unsupported_media_type", "Send Content-Type: application/json.");
  return (c.req.path.endsWith("/bulk") ? bulkLimit : limit)(c, next);
};

const limitOf = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiProblem("payload_too_large", `A body here has at most ${maxSize} bytes.`);
    },
  });
const limit = limitOf(MAX_API_BODY_BYTES);
const bulkLimit = limitOf(MAX_BULK_BODY_BYTES);

/** The key the request authenticated with (apiAuth ran before every route that calls this). */
export function callerOf(c: Context<AppEnv>): ApiCaller {
  const caller = c.get("apiCaller");
  if (!caller) throw new Error(`${c.req.method} ${c.req.path}: no API key (is apiAuth on the route?)`);
  return caller;
}

/** The calling key's workspace handle: its records' database, with the control database beside it. */
export function apiTenant(c: Context<AppEnv>): TenantDb {
  return scoped(c.get("recordsDb") ?? c.get("db"), callerOf(c).tenantId, c.get("db"));
}

/** The calling key's workspace handle on the control database (its keys, its people). */
export function apiControl(c: Context<AppEnv>): TenantDb {
  return scoped(c.get("db"), callerOf(c).tenantId);
}
