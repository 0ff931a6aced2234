/**
 * The OpenAPI document is the API: every /api/v1 route the app registers is in it with its method, the
 * examples it gives are accepted and answered in the shape it describes, and the reference page lists
 * every operation. Public: no key needed to read them.
 */
import { describe, expect, it } from "vitest";
import { ContactSchema } from "../../src/routes/api/schemas";
import { WEBHOOK_DATA } from "../../src/routes/api/webhook-schemas";
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from "../../src/services/webhooks/events";
import { send } from "../helpers/http";
import { registeredRoutes } from "../helpers/route-table";
import { newTenant } from "../helpers/tenants";
import { api, makeKey } from "./helpers";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
};

type WebhookOp = {
  parameters: { name: string }[];
  requestBody: {
    description: string;
    content: Record<string, { schema: { properties: { type: { enum: string[] }; data: { $ref: string } } } }>;
  };
};

const PUBLIC = new Set(["GET /api/v1/openapi.json", "GET /api/v1/docs"]);

async function documentOf(): Promise<Doc> {
  const res = await send("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and names every /api/v1 route of the app, and nothing the app lacks", async () => {
    const doc = await documentOf();
    expect(doc.openapi).toBe("3.1.0");
    const inApp = registeredRoutes((p) => p.startsWith("/api/v1/")).filter((r) => !PUBLIC.has(r));
    expect(inApp.length).toBeGreaterThanOrEqual(5);
    const inDoc = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} /api/v1${path.replace(/\{(\w+)\}/g, ":$1")}`),
      )
      .sort();
    expect(inDoc).toEqual(inApp);
    // Every operation says what it does and documents its errors.
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses), `${method} ${path}`).toContain("401");
      }
  });

  it("gives examples that the API accepts, and answers in the documented shape", async () => {
    const doc = await documentOf();
    const example = Object.fromEntries(
      Object.entries(doc.components.schemas.ContactInput!.properties)
        .filter(([, p]) => p.example !== undefined)
        // The example's custom field exists only in a workspace that made it.
        .filter(([name]) => name !== "custom_fields")
        .map(([name, p]) => [name, p.example]),
    );
    expect(Object.keys(example)).toEqual(expect.arrayContaining(["first_name", "emails", "phones"]));
    const owner = await newTenant("Example Co");
    const key = await makeKey(owner.cookie);
    const res = await api("/contacts", { key, method: "POST", json: example });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(ContactSchema.strict().safeParse(await res.json()).success).toBe(true);
    const list = (await (await api("/contacts", { key })).json()) as { data: unknown[] };
    for (const record of list.data) expect(ContactSchema.strict().safeParse(record).success).toBe(true);
  });

  it("is rendered as a reference page listing every operation and every error code, with no script", async () => {
    const doc = await documentOf();
    const res = await send("/api/v1/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops)) expect(html).toContain(`${method.toUpperCase()} ${path}`);
    expect(html).toContain('id="problem-validation_failed"');
    expect(html).not.toMatch(/<script[^>]*src="https?:/);
  });

  it("describes every schema's fields, links each operation to its body and answer, and shows code as code", async () => {
    const doc = await documentOf();
    const html = await (await send("/api/v1/docs")).text();
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const section = html.match(new RegExp(`<section class="card" id="schema-${name}"[\\s\\S]*?</section>`))?.[0];
      expect(section, name).toBeDefined();
      for (const field of Object.keys(schema.properties)) expect(section).toContain(`<code>${field}</code>`);
    }
    // A body and an answer are links to their schema's section; a list's items name theirs.
    const create = html.match(/<section class="card" id="post-contacts"[\s\S]*?<\/section>/)![0];
    expect(create).toContain('Body (application/json): <a href="#schema-ContactInput">');
    expect(create).toContain('Answers: <a href="#schema-Contact">');
    expect(html).toMatch(/<code>data<\/code>[\s\S]*?array of <a href="#schema-Contact"><code>Contact<\/code><\/a>/);
    // The document's Markdown code spans are code, not backticks; the curl sample is this deployment's address.
    expect(html).not.toContain("`");
    expect(html).toContain("<code>updated_since</code> with the cursor walks every change");
    expect(html).toContain("http://localhost/api/v1/contacts?limit=2</code>");
  });

  it("lists every webhook event a workspace can subscribe to, signed headers and all, on the page too", async () => {
    const doc = (await documentOf()) as Doc & { webhooks: Record<string, { post: WebhookOp }> };
    expect(Object.keys(doc.webhooks)).toEqual([...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE]);
    const html = await (await send("/api/v1/docs")).text();
    for (const [type, { post }] of Object.entries(doc.webhooks)) {
      expect(post.parameters.map((h) => h.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
      const body = post.requestBody.content["application/json"]!.schema;
      expect(body.properties.type.enum).toEqual([type]);
      expect(post.requestBody.description.length).toBeGreaterThan(5);
      // data names a schema of the document, whose fields the page describes and the event's row links.
      const schema = body.properties.data.$ref.replace("#/components/schemas/", "");
      expect(Object.keys(doc.components.schemas[schema]!.properties)).toEqual(
        Object.keys(WEBHOOK_DATA[type as keyof typeof WEBHOOK_DATA].shape),
      );
      expect(html).toContain(`<tr id="event-${type}"><td data-label="Event"><code>${type}</code></td>`);
      expect(html).toMatch(new RegExp(`<tr id="event-${type}">.*?<a href="#schema-${schema}">.*?</tr>`, "s"));
      expect(html).toContain(`id="schema-${schema}"`);
    }
  });

  it("declares on every operation the 429, 503 and 500 any keyed request may get, with their headers", async () => {
    type Answer = { headers?: Record<string, { $ref: string }> };
    const doc = (await documentOf()) as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, Answer> }>>;
      components: { headers: Record<string, { schema: unknown }> };
    };
    const headersOf = (a: Answer | undefined) =>
      Object.entries(a?.headers ?? {}).map(([name, h]) => {
        // Each names a header the document defines.
        expect(doc.components.headers[h.$ref.replace("#/components/headers/", "")], name).toBeDefined();
        return name;
      });
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, { responses }] of Object.entries(ops)) {
        operations += 1;
        const op = `${method} ${path}`;
        expect(headersOf(responses["429"]), op).toEqual(
          expect.arrayContaining(["Retry-After", "RateLimit", "RateLimit-Policy"]),
        );
        expect(headersOf(responses["503"]), op).toContain("Retry-After");
        expect(responses["500"], op).toBeDefined();
        const ok = Object.keys(responses).find((s) => s.startsWith("2"))!;
        expect(headersOf(responses[ok]), op).toEqual(expect.arrayContaining(["RateLimit", "RateLimit-Policy"]));
        // Given before the key is known: no limits to tell.
        expect(headersOf(responses["401"]), op).toEqual([]);
      }
    expect(operations).toBeGreaterThan(40);
  });

  it("describes each field in words of its own: no `undefined`, and each list's updated_since names its records", async () => {
    const doc = (await documentOf()) as unknown as {
      paths: Record<string, Record<string, { parameters?: { name: string; description?: string }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
    };
    expect(JSON.stringify(doc)).not.toMatch(/undefined/i);
    expect(doc.components.schemas.TagCreate!.properties.color!.description).toBe(
      "One of gray, red, orange, yellow, green, teal, blue, purple, pink. Gray by default.",
    );
    const lists = Object.entries(doc.paths).filter(([, ops]) =>
      ops.get?.parameters?.some((p) => p.name === "updated_since"),
    );
    expect(lists.map(([path]) => path).sort()).toEqual([
      "/activities",
      "/companies",
      "/contacts",
      "/deals",
      "/notes",
      "/tasks",
    ]);
    for (const [path, ops] of lists)
      expect(ops.get!.parameters!.find((p) => p.name === "updated_since")!.description, path).toBe(
        `Only ${path.slice(1)} changed at or after this time (for sync).`,
      );
  });
});
