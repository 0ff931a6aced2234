/** GET /api/v1/docs: the reference page, read from the same OpenAPI document the API serves. */
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { appBaseUrl } from "../../lib/mail";
import { render } from "../../lib/render";
import { ApiDocsPage, type ApiOperation, type ApiSchema, type ApiWebhook } from "../../../views/pages/api/ApiDocsPage";
import { PROBLEMS } from "./problem";

/** The parts of a JSON Schema (as zod-openapi writes them) the page describes. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  example?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

type Content = { content?: Record<string, { schema?: JsonSchema }> };
type Doc = {
  paths?: object;
  webhooks?: object;
  components?: { schemas?: Record<string, JsonSchema> };
};
type Op = {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string; required?: boolean }[];
  requestBody?: Content & { description?: string };
  responses?: Record<string, { description?: string } & Content>;
};

const METHODS = ["get", "post", "patch", "put", "delete"];
const refName = (schema: JsonSchema | undefined) => schema?.$ref?.split("/").pop() ?? null;

/** The document's operations, in its order. */
export function operationsOf(doc: Doc): ApiOperation[] {
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const method of METHODS) {
      const op = item[method] as Op | undefined;
      if (!op) continue;
      const responses = Object.entries(op.responses ?? {});
      const success = responses.find(([status]) => status.startsWith("2"))?.[1];
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
        body: refName(op.requestBody?.content?.["application/json"]?.schema),
        answer: refName(success?.content?.["application/json"]?.schema),
        responses: responses.map(([status, r]) => ({ status, description: r.description ?? "" })),
      });
    }
  }
  return out;
}

/** A field's type in words: "string or null", "array of Tag", "one of "open", "won"". */
export function typeText(s: JsonSchema): string {
  const ref = refName(s);
  if (ref) return ref;
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (s.anyOf) return s.anyOf.map(typeText).join(" or ");
  if (s.items) return `array of ${typeText(s.items)}`;
  if (typeof s.additionalProperties === "object") return `object: name → ${typeText(s.additionalProperties)}`;
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ["any"];
  const fields = s.properties ? ` (${Object.keys(s.properties).join(", ")})` : "";
  return types
    .map((t) => (t === "string" && s.format ? `${t} (${s.format})` : t === "object" ? `object${fields}` : t))
    .join(" or ");
}

/** A field's limits and example in words. */
function notesOf(s: JsonSchema): string[] {
  const notes: string[] = [];
  // Each note a clause of one line: a description's own full stop would sit before the next note's semicolon.
  if (s.description) notes.push(s.description.replace(/\.$/, ""));
  if (s.minLength !== undefined && s.minLength > 0) notes.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) notes.push(`at most ${s.maxLength} characters`);
  if (s.maxItems !== undefined) notes.push(`at most ${s.maxItems} items`);
  if (s.minimum !== undefined) notes.push(`from ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) notes.push(`above ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) notes.push(`up to ${s.maximum}`);
  if (s.example !== undefined) notes.push(`e.g. \`${JSON.stringify(s.example)}\``);
  return notes;
}

/** The document's named schemas with properties, each field with its type, whether required, and its notes. */
export function schemasOf(doc: Doc): ApiSchema[] {
  return Object.entries(doc.components?.schemas ?? {})
    .filter(([, s]) => s.properties)
    .map(([name, s]) => ({
      name,
      description: s.description ?? null,
      fields: Object.entries(s.properties!).map(([field, f]) => ({
        name: field,
        type: typeText(f),
        ref: refName(f) ?? refName(f.items) ?? null,
        required: s.required?.includes(field) ?? false,
        notes: notesOf(f).join("; "),
      })),
    }));
}

/** The document's webhook events: when each is sent, what its `data` holds and the schema naming its fields. */
export function webhooksOf(doc: Doc): ApiWebhook[] {
  return (Object.entries(doc.webhooks ?? {}) as [string, { post?: Op }][]).map(([name, item]) => ({
    name,
    when: item.post?.description ?? "",
    data: item.post?.requestBody?.description ?? "",
    schema: refName(item.post?.requestBody?.content?.["application/json"]?.schema?.properties?.data),
  }));
}

/** The page. */
export function apiDocsPage(c: Context<AppEnv>, doc: Doc) {
  const problems = Object.entries(PROBLEMS).map(([code, [status, title]]) => ({ code, status, title }));
  return render(
    c,
    "API reference",
    <ApiDocsPage
      origin={appBaseUrl(c)}
      operations={operationsOf(doc)}
      schemas={schemasOf(doc)}
      webhooks={webhooksOf(doc)}
      problems={problems}
    />,
  );
}
