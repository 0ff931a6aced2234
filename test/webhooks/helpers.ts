/** Webhook tests: endpoints added through the settings page, events and deliveries read from D1, the local receiver. */
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { WEBHOOK_DATA } from "../../src/routes/api/webhook-schemas";
import { post } from "../contacts/contact-helpers";
import { confirmAddressOf } from "../helpers/tenants";

const receiver = () => `http://127.0.0.1:${inject("fakeApiPort")}`;

/** The local receiver's URL for `name` (its answers scripted with scriptReceiver). */
export const receiverUrl = (name: string) => `${receiver()}/hooks/${name}`;

/** Makes the receiver `name` answer these statuses, one per request, then 200. */
export async function scriptReceiver(name: string, statuses: number[]): Promise<void> {
  await fetch(`${receiver()}/__hooks/${name}`, { method: "POST", body: JSON.stringify(statuses) });
}

/** What the receiver `name` got, oldest first (header names lower-cased, as Node gives them). */
export async function received(name: string): Promise<{ headers: Record<string, string>; body: string }[]> {
  const all = (await (await fetch(`${receiver()}/__received`)).json()) as {
    path: string;
    headers: Record<string, string>;
    body: string;
  }[];
  return all.filter((r) => r.path === `/hooks/${name}`);
}

/** Adds an endpoint through Settings → Webhooks as `cookie`; returns its id. */
export async function addEndpoint(cookie: string, url: string, events: string[]): Promise<string> {
  await confirmAddressOf(cookie);
  const res = await post("/app/settings/webhooks", cookie, { url, events });
  const id = res.headers.get("Location")?.match(/^\/app\/settings\/webhooks\/([a-z2-7]{24})\?notice=created$/)?.[1];
  if (res.status !== 303 || !id) throw new Error(`adding the endpoint answered ${res.status}: ${await res.text()}`);
  return id;
}

export interface EventRow {
  id: string;
  type: string;
  payload: string;
  created_at: number;
}

/**
 * The workspace's webhook events, oldest first. Each payload is held to the schema the OpenAPI document gives its
 * type, so every test that reads events checks its path's payloads: parsing drops unknown fields, so the parsed
 * data equals the payload only when no field is missing, mistyped or unknown.
 */
export async function eventsOf(tenantId: string): Promise<EventRow[]> {
  const events = (
    await env.DB.prepare("SELECT * FROM webhook_events WHERE tenant_id = ? ORDER BY created_at, rowid")
      .bind(tenantId)
      .all<EventRow>()
  ).results;
  for (const e of events) {
    const data = JSON.parse(e.payload);
    const schema = WEBHOOK_DATA[e.type as keyof typeof WEBHOOK_DATA];
    expect(schema, `${e.type} has a schema`).toBeDefined();
    const parsed = schema.safeParse(data);
    expect(parsed.error?.issues, `${e.type}: ${e.payload}`).toBeUndefined();
    expect(parsed.data, `${e.type} carries only its schema's fields`).toEqual(data);
  }
  return events;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  queued_at: number | null;
  last_status: number | null;
  duration_ms: number | null;
  response: string | null;
  created_at: number;
}

/** The workspace's deliveries, oldest first. */
export async function deliveriesOf(tenantId: string): Promise<DeliveryRow[]> {
  return (
    await env.DB.prepare("SELECT * FROM webhook_deliveries WHERE tenant_id = ? ORDER BY created_at, rowid")
      .bind(tenantId)
      .all<DeliveryRow>()
  ).results;
}
