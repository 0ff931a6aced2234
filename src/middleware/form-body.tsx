/**
 * Reads every form body once, before any route sees it: within the size limit, whole (a stream that
 * fails or ends short of its Content-Length is refused), and parseable. Routes then call
 * `c.req.parseBody()` as usual and get the parsed form from hono's cache. A body that cannot be read is
 * a 400 with the form again (the route's form page and a message), and nothing is written: a route
 * whose fields are all optional checkboxes never sees "everything off" from a garbled request. A body
 * that is not a form (JSON to a form route) is a 415.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { wantsFragment, withPageProblem } from "../lib/render";
import { takeWorkspaceMarker } from "./page-workspace";

/**
 * Room for the largest form within its advertised limits: a note of 20,000 characters urlencoded at up
 * to 9 bytes each (a CJK character is %XX%XX%XX) is 180 KB before its other fields. The import upload has
 * its own, larger limit on its route.
 */
export const MAX_FORM_BYTES = 256 * 1024;

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** Shown at the top of the form page when a request's body could not be read. */
export const UNREADABLE_FORM_MESSAGE =
  "We could not read the form your browser sent, so nothing was saved. Please check it and send it again.";

/**
 * Paths that read their own body: the JSON operator API, and RFC 8058 one-click unsubscribes (the token
 * is the proof; mail clients send any body, multipart or urlencoded, and it is ignored), and the staff
 * console's support view, which hands the body on to the app's own route (and this middleware) unread.
 */
const OWN_BODY_PREFIXES = ["/ops/", "/unsubscribe/", "/staff/support/"];

/** The upload: multipart, up to 20 MB, with its own limit and parsing on its route (src/routes/app/import/upload.tsx). */
const isImportUpload = (c: Context<AppEnv>) => c.req.method === "POST" && c.req.path === "/app/import";

/** The form-body middleware; `app` is the whole app, to render a route's form page again. */
export function formBody(app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    // The upload is too large to buffer here: its route reads it.
    const readsOwnBody = isImportUpload(c) || OWN_BODY_PREFIXES.some((prefix) => c.req.path.startsWith(prefix));
    if (readsOwnBody) return guardBodyStream(c, next);

    const read = await readAtMost(c.req.raw, MAX_FORM_BYTES);
    if (read === 413) return errorResponse(c, 413);
    if (read === 400) return formAgain(c, app);
    c.req.raw = new Request(c.req.raw, { body: read });

    const contentType = c.req.header("Content-Type") ?? "";
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.has(mediaType)) return read.length === 0 ? next() : errorResponse(c, 415);
    let form: FormData;
    try {
      form = await new Response(read, { headers: { "Content-Type": contentType } }).formData();
    } catch {
      return formAgain(c, app);
    }
    // The page's workspace marker is checked after the session (src/middleware/page-workspace.tsx), never by routes.
    takeWorkspaceMarker(c.req, form);
    // hono's parseBody() takes the form from here, so the route parses nothing itself.
    (c.req.bodyCache as { formData?: Promise<FormData> }).formData = Promise.resolve(form);
    return next();
  };
}

/** The whole body, or 413 past `max`, or 400 when it cannot be read whole. */
async function readAtMost(raw: Request, max: number): Promise<Uint8Array | 400 | 413> {
  const declaredHeader = raw.headers.get("Content-Length");
  const declared = declaredHeader === null || raw.headers.has("Transfer-Encoding") ? null : Number(declaredHeader);
  if (declared !== null && !Number.isSafeInteger(declared)) return 400;
  if (declared !== null && declared > max) return 413;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (raw.body) {
    const reader = raw.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel().catch(() => {});
          return 413;
        }
        chunks.push(value);
      }
    } catch {
      return 400;
    }
  }
  // Fewer (or more) bytes than announced: the client was cut off part way.
  if (declared !== null && declared !== size) return 400;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** For routes that read their own body: a stream that breaks part way is a 400, never a 500. */
export const guardBodyStream: MiddlewareHandler<AppEnv> = (c, next) => {
  if (c.req.raw.body) c.req.raw = new Request(c.req.raw, { body: guardedStream(c.req.raw.body) });
  return next();
};

/** A copy of a body stream whose read errors become a 400 (an HTTPException, so onError answers 400). */
function guardedStream(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        controller.error(new HTTPException(400, { message: "The request body could not be read." }));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * The answer to an unreadable form: the route's form page again, with UNREADABLE_FORM_MESSAGE at its
 * top and status 400. An htmx request that wants a fragment gets the error fragment instead (it is
 * swapped where the form's answer would go), and so does a route without a form page.
 */
async function formAgain(c: Context<AppEnv>, app: Hono<AppEnv>): Promise<Response> {
  const page = wantsFragment(c) ? null : formPagePath(c, app);
  if (page) {
    const pageRequest = new Request(new URL(page, c.req.url), { headers: pageRequestHeaders(c.req.raw.headers) });
    const request = withPageProblem(pageRequest, UNREADABLE_FORM_MESSAGE);
    let ctx: ExecutionContext | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      ctx = undefined;
    }
    const res = await app.fetch(request, c.env, ctx);
    if (res.status === 200 && (res.headers.get("Content-Type") ?? "").startsWith("text/html")) {
      // The page's scripts carry the nonce of its own CSP, so that CSP goes out with it.
      const csp = res.headers.get("Content-Security-Policy");
      if (csp) c.set("cspOverride", csp);
      // A signed-in page (a record's edit form) is no-store: the GET said so, and so does its copy.
      const cacheControl = res.headers.get("Cache-Control");
      if (cacheControl) c.header("Cache-Control", cacheControl);
      return c.html(await res.text(), 400);
    }
  }
  return errorResponse(c, 400);
}

/** What the GET of a form page needs from the POST: who is asking, and whether htmx wants the whole page. */
function pageRequestHeaders(from: Headers): Headers {
  const headers = new Headers();
  for (const name of [
    "Cookie",
    "User-Agent",
    "CF-Connecting-IP",
    "Accept-Language",
    "HX-Request",
    "HX-Boosted",
    "HX-Current-URL",
  ]) {
    const value = from.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/**
 * The page that holds a route's form, from the app's own GET routes: `<route>/edit`, `<route>/new`, the
 * route itself (keeping its query, e.g. /login?next=), else the nearest parent page (the profile page for
 * /app/settings/profile/name, a contact's page for its notes). Null when there is none.
 */
function formPagePath(c: Context<AppEnv>, app: Hono<AppEnv>): string | null {
  const pattern = routePath(c, -1).split("/");
  const actual = c.req.path.split("/");
  if (pattern.includes("*") || pattern.length !== actual.length) return null;
  const pages = new Set(app.routes.filter((r) => r.method === "GET").map((r) => r.path));
  const query = new URL(c.req.url).search;
  for (let n = pattern.length; n > 1; n -= 1) {
    const route = pattern.slice(0, n).join("/");
    const path = actual.slice(0, n).join("/");
    const own = n === pattern.length;
    if (own && pages.has(`${route}/edit`)) return `${path}/edit`;
    if (own && pages.has(`${route}/new`)) return `${path}/new`;
    if (pages.has(route)) return own ? path + query : path;
  }
  return null;
}
