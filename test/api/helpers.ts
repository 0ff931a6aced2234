/** Making API keys through Settings → API as an admin would, and calling /api/v1 as a client would. */
import { expect } from "vitest";
import { send, type SendOptions } from "../helpers/http";
import { confirmAddressOf } from "../helpers/tenants";
import { expectDocumentedAnswer } from "./answer-schemas";

/** Makes a key through the settings page; returns the secret the page shows once. */
export async function makeKey(
  cookie: string,
  fields: { name?: string; scope?: "read" | "read_write"; expires?: string } = {},
): Promise<string> {
  await confirmAddressOf(cookie);
  const res = await send("/app/settings/api", {
    cookie,
    form: { name: fields.name ?? "Zapier", scope: fields.scope ?? "read_write", expires: fields.expires ?? "never" },
  });
  expect(res.status).toBe(201);
  const secret = (await res.text()).match(/value="(ct_live_[A-Za-z0-9_-]{43})"/)?.[1];
  if (!secret) throw new Error("the page showed no key");
  return secret;
}

/** A request to the API with a key (or none), a JSON body when given. */
export async function api(
  path: string,
  opts: {
    key?: string | null;
    method?: string;
    json?: unknown;
    body?: string;
    headers?: Record<string, string>;
  } & Pick<SendOptions, "cookie" | "env"> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  const body = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
  if (body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
  // A program sends no Origin (the API does not need one).
  const method = opts.method ?? "GET";
  const res = await send(`/api/v1${path}`, { method, headers, body, cookie: opts.cookie, env: opts.env, origin: null });
  await expectDocumentedAnswer(method, path, res);
  return res;
}

/** The problem+json of an error answer, checking its shape. */
export async function problemOf(
  res: Response,
): Promise<{ code: string; status: number; errors?: { field: string }[] }> {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as { code: string; status: number; title: string; errors?: { field: string }[] };
  expect(body.status).toBe(res.status);
  expect(typeof body.title).toBe("string");
  return body;
}
