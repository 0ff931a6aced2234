/** Sends requests to the real Worker inside workerd, as a browser would. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

export const ORIGIN = "http://localhost";

export interface SendOptions {
  method?: string;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  body?: BodyInit;
  cookie?: string;
  headers?: Record<string, string>;
  /** The Origin header for unsafe methods; defaults to our own origin, like a browser. */
  origin?: string | null;
  ip?: string;
  /** Bindings to override (e.g. a failing database, a Sentry DSN). */
  env?: Partial<Cloudflare.Env>;
}

/** A fresh client address, so tests do not share rate-limit counters unless they mean to. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(2));
  return `198.18.${b[0]}.${b[1]}`;
}

/** Sends one request to the Worker and waits for its background work. */
export async function send(path: string, opts: SendOptions = {}): Promise<Response> {
  const method = opts.method ?? (opts.form ? "POST" : "GET");
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  headers.set("CF-Connecting-IP", opts.ip ?? randomIp());
  if (!headers.has("User-Agent")) headers.set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0");
  if (method !== "GET" && method !== "HEAD" && opts.origin !== null) headers.set("Origin", opts.origin ?? ORIGIN);
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  const ctx = createExecutionContext();
  const request = new Request(new URL(path, ORIGIN), { method, headers, body, redirect: "manual" });
  const response = await worker.fetch(request as never, { ...env, ...opts.env } as never, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Parses every Set-Cookie of a response into name → { value, attributes }. */
export function setCookies(res: Response): Map<string, { value: string; attributes: string[] }> {
  const out = new Map<string, { value: string; attributes: string[] }>();
  for (const line of res.headers.getAll("Set-Cookie")) {
    const [pair, ...attributes] = line.split(";").map((s) => s.trim());
    const eq = pair!.indexOf("=");
    out.set(pair!.slice(0, eq), { value: pair!.slice(eq + 1), attributes });
  }
  return out;
}

/** The Cookie header a browser would send back after this response. */
export function cookieHeader(res: Response, previous = ""): string {
  const jar = new Map(
    previous
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)] as [string, string]),
  );
  for (const [name, { value, attributes }] of setCookies(res)) {
    const expired = attributes.some(
      (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
    );
    if (expired || value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

let counter = 0;
/** A unique email for a test. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export const GOOD_PASSWORD = "violet tractor sandwich 42";

/** The status of the app's answer: for a check that needs nothing else of it. */
export async function statusOf(path: string, opts: SendOptions = {}): Promise<number> {
  return (await send(path, opts)).status;
}

/** The body of the app's answer as text: the page a browser would show. */
export async function textOf(path: string, opts: SendOptions = {}): Promise<string> {
  return (await send(path, opts)).text();
}

/** Signs up a new tenant through the real form and returns the browser's cookies. */
export async function signUp(
  fields: Partial<Record<"email" | "password" | "company_name" | "time_zone", string>> = {},
  opts: SendOptions = {},
) {
  const email = fields.email ?? uniqueEmail();
  const res = await send("/signup", {
    ...opts,
    form: {
      email,
      password: fields.password ?? GOOD_PASSWORD,
      company_name: fields.company_name ?? "Acme Ltd",
      age_confirmed: "on",
      accept_terms: "on",
      ...(fields.time_zone !== undefined ? { time_zone: fields.time_zone } : {}),
    },
  });
  if (res.status !== 303) throw new Error(`sign-up failed with ${res.status}: ${await res.text()}`);
  return { email, cookie: cookieHeader(res), response: res };
}

/** Logs in through the real form and returns the browser's cookies. */
export async function logIn(email: string, password = GOOD_PASSWORD, opts: SendOptions = {}) {
  const res = await send("/login", { ...opts, form: { email, password } });
  return { response: res, cookie: cookieHeader(res) };
}
