/**
 * Every answer the tests get from /api/v1 held to the schema the OpenAPI document gives it: the route's own
 * response schema for its status (found by method and path in the router's registry, as the document is built),
 * problem+json for errors. Parsing drops unknown fields, so the parsed body equals the answer only when no
 * field is missing, mistyped or unknown. Records are written as text in the Worker (contact-json.ts and its
 * kin), so this is what keeps them and the document one.
 */
import type { z } from "@hono/zod-openapi";
import { expect } from "vitest";
import { apiRoutes } from "../../src/routes/api";
import { ProblemSchema } from "../../src/routes/api/schemas";

type Route = {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema?: z.ZodType }> }>;
};

const routes = apiRoutes.openAPIRegistry.definitions
  .filter((d) => d.type === "route")
  .map((d) => (d as unknown as { route: Route }).route)
  .map((r) => ({
    ...r,
    pattern: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    // A literal segment wins over a parameter: /contacts/bulk before /contacts/{id}.
    params: (r.path.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

/** The documented schema of `method path`'s answer with `status`, or undefined when the route is not documented. */
function answerSchema(method: string, path: string, status: number): z.ZodType | null | undefined {
  const route = routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
  if (!route) return undefined;
  return route.responses[String(status)]?.content?.["application/json"]?.schema ?? null;
}

/** Checks the answer to `method` `/api/v1{path}` against the document; reads a clone. */
export async function expectDocumentedAnswer(method: string, path: string, res: Response): Promise<void> {
  const bare = path.split("?")[0]!;
  const type = res.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/problem+json")) {
    const body = await res.clone().json();
    const parsed = ProblemSchema.safeParse(body);
    expect(parsed.error?.issues, `${method} ${path} ${res.status}: a problem`).toBeUndefined();
    expect(parsed.data, `${method} ${path}: a problem's fields only`).toEqual(body);
    return;
  }
  const schema = answerSchema(method, bare, res.status);
  if (schema === undefined || res.status === 204 || res.status === 304) return;
  expect(schema, `${method} ${path} answered ${res.status}, which the document does not describe`).not.toBeNull();
  expect(type, `${method} ${path}: JSON`).toMatch(/^application\/json/);
  const body = await res.clone().json();
  const parsed = schema!.safeParse(body);
  expect(
    parsed.error?.issues,
    `${method} ${path} ${res.status}: ${JSON.stringify(body).slice(0, 300)}`,
  ).toBeUndefined();
  expect(parsed.data, `${method} ${path} ${res.status}: only the documented fields`).toEqual(body);
}
