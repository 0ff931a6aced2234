/** GET /api/v1/docs: the reference page, read from the same OpenAPI document the API serves. */
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { render } from "../../lib/render";
import { ApiDocsPage, type ApiOperation } from "../../../views/pages/api/ApiDocsPage";
import { PROBLEMS } from "./problem";

type Doc = { paths?: object };
type Op = {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string }>;
};

const METHODS = ["get", "post", "patch", "put", "delete"];

/** The document's operations, in its order. */
export function operationsOf(doc: Doc): ApiOperation[] {
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const method of METHODS) {
      const op = item[method] as Op | undefined;
      if (!op) continue;
      const ref = op.requestBody?.content?.["application/json"]?.schema?.$ref;
      out.push({
        method,
        path,
        summary: op.summary ?? "",
        description: op.description ?? null,
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          description: p.description ?? null,
          required: p.required ?? false,
        })),
        body: ref ? ref.split("/").pop()! : null,
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({
          status,
          description: r.description ?? "",
        })),
      });
    }
  }
  return out;
}

/** The page. */
export function apiDocsPage(c: Context<AppEnv>, doc: Doc) {
  const problems = Object.entries(PROBLEMS).map(([code, [status, title]]) => ({ code, status, title }));
  return render(c, "API reference", <ApiDocsPage operations={operationsOf(doc)} problems={problems} />);
}
