/**
 * The OpenAPI document's examples for deals and tasks are bodies the API accepts, and every answer of the new
 * resources has exactly the documented shape (strict: no field the document does not name).
 */
import { describe, expect, it } from "vitest";
import type { z } from "@hono/zod-openapi";
import { DealSchema, PipelineSchema } from "../../src/routes/api/schemas-deals";
import { ActivitySchema, NoteSchema, TaskSchema } from "../../src/routes/api/schemas-work";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey } from "./helpers";

type Doc = { components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> } };

/** The example of every property of a component that gives one. */
async function exampleOf(component: string): Promise<Record<string, unknown>> {
  const doc = (await (await send("/api/v1/openapi.json")).json()) as Doc;
  return Object.fromEntries(
    Object.entries(doc.components.schemas[component]!.properties)
      .filter(([, p]) => p.example !== undefined)
      .map(([name, p]) => [name, p.example]),
  );
}

async function expectShape(schema: z.ZodObject, path: string, key: string) {
  const res = await api(path, { key });
  expect(res.status, path).toBe(200);
  const body = (await res.json()) as { data?: unknown[] };
  for (const record of body.data ?? [body]) {
    const check = schema.strict().safeParse(record);
    expect(check.success, `${path}: ${JSON.stringify(check.error?.issues)}`).toBe(true);
  }
}

describe("the OpenAPI examples of deals and tasks", () => {
  it("are accepted, and every answer of deals, pipelines, tasks, notes and activities has the documented shape", async () => {
    const owner = await newTenant("Examples API Co");
    const key = await makeKey(owner.cookie);
    const deal = await exampleOf("DealInput");
    expect(Object.keys(deal)).toEqual(expect.arrayContaining(["name", "amount_minor", "currency"]));
    const dealRes = await api("/deals", { key, method: "POST", json: deal });
    expect(dealRes.status, await dealRes.clone().text()).toBe(201);
    const task = await exampleOf("TaskInput");
    expect(Object.keys(task)).toEqual(expect.arrayContaining(["title", "due_date"]));
    const taskRes = await api("/tasks", { key, method: "POST", json: task });
    expect(taskRes.status, await taskRes.clone().text()).toBe(201);
    const dealId = ((await dealRes.json()) as { id: number }).id;
    const subject = { subject_type: "deal", subject_id: dealId };
    expect((await api("/notes", { key, method: "POST", json: { ...subject, body: "Hi" } })).status).toBe(201);
    expect((await api("/activities", { key, method: "POST", json: { ...subject, kind: "email" } })).status).toBe(201);

    await expectShape(DealSchema, "/deals", key);
    await expectShape(DealSchema, `/deals/${dealId}`, key);
    await expectShape(PipelineSchema, "/pipelines", key);
    await expectShape(TaskSchema, "/tasks", key);
    await expectShape(NoteSchema, "/notes", key);
    await expectShape(ActivitySchema, "/activities", key);
  });
});
