/**
 * The audit trail records changes that happened: a rename of a tag deleted a moment ago answers 404 and writes
 * no tag.updated; a field update that changed nothing (its field deleted, or a dropped option taken meanwhile)
 * writes no custom_field.updated, and a rename refused so changes no record (no *.updated event). The races are made
 * with the real D1 binding (test/helpers/batch-race.ts).
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";

const hooked: string[] = [];

// The files of a worker share its storage and its one queue: no delivery is left for a later file's cron.
afterAll(async () => {
  await env.DB.prepare("DELETE FROM webhook_deliveries WHERE tenant_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(hooked))
    .run();
});

async function auditActions(tenantId: string, prefix: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE ? ORDER BY id",
  )
    .bind(tenantId, `${prefix}.%`)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

const deleteTag = (id: number) => env.DB.prepare("DELETE FROM tags WHERE id = ?").bind(id).run();

describe("audit entries of settings changes that did not happen", () => {
  it("renaming a tag deleted meanwhile answers 404 (the API's not_found and the settings form) with no entry", async () => {
    const owner = await newTenant("Tag Race Co");
    const key = await makeKey(owner.cookie);
    const create = async (name: string) =>
      ((await (await api("/tags", { key, method: "POST", json: { name } })).json()) as { id: number }).id;
    const first = await create("Doomed");
    const second = await create("Also doomed");
    const racing = (id: number) => raceBeforeBatch(env.DB, /^update "tags"/i, () => deleteTag(id));

    const patched = await api(`/tags/${first}`, {
      key,
      method: "PATCH",
      json: { name: "Renamed" },
      env: { DB: racing(first) },
    });
    expect(patched.status).toBe(404);
    expect((await problemOf(patched)).code).toBe("not_found");

    const posted = await send(`/app/settings/tags/${second}`, {
      cookie: owner.cookie,
      form: { name: "Renamed too", color: "red" },
      env: { DB: racing(second) },
    });
    expect(posted.status).toBe(404);
    expect(await auditActions(owner.tenantId, "tag")).toEqual(["tag.created", "tag.created"]);
  });

  it("a field update that changed nothing writes no entry: dropped option taken (422), field deleted (404)", async () => {
    const owner = await newTenant("Field Race Co");
    const key = await makeKey(owner.cookie);
    const create = async (name: string) =>
      (
        (await (
          await api("/custom_fields", {
            key,
            method: "POST",
            json: { entity: "contact", name, kind: "select", options: ["a", "b"] },
          })
        ).json()) as { id: number }
      ).id;
    const gone = await create("Gone");
    const held = await create("Held");
    const contact = (
      (await (await api("/contacts", { key, method: "POST", json: { first_name: "Ada" } })).json()) as { id: number }
    ).id;
    // Grace holds "a": a rename that happened would change her (a new updated_at, contact.updated).
    const grace = (await (
      await api("/contacts", { key, method: "POST", json: { first_name: "Grace", custom_fields: { Held: "a" } } })
    ).json()) as { id: number; updated_at: string };
    hooked.push(owner.tenantId);
    await addEndpoint(owner.cookie, receiverUrl("field-race"), ["contact.updated"]);
    const patch = (id: number, meanwhile: () => Promise<unknown>) =>
      api(`/custom_fields/${id}`, {
        key,
        method: "PATCH",
        json: { name: "Renamed", options: ["a"] },
        env: { DB: raceBeforeBatch(env.DB, /^update "custom_fields"/i, meanwhile) },
      });

    // A record takes "b" between the check and the update: the update keeps "b", and so must the trail.
    const taken = await patch(held, () =>
      env.DB.prepare("INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, 'b')")
        .bind(owner.tenantId, held, contact)
        .run(),
    );
    expect(taken.status).toBe(422);
    expect((await problemOf(taken)).errors).toEqual([
      { field: "options", message: "Records hold “b”: change them before dropping it." },
    ]);
    const created = ["custom_field.created", "custom_field.created"];
    expect(await auditActions(owner.tenantId, "custom_field")).toEqual(created);
    expect(await eventsOf(owner.tenantId)).toEqual([]);
    const graceNow = (await (await api(`/contacts/${grace.id}`, { key })).json()) as { updated_at: string };
    expect(graceNow.updated_at).toBe(grace.updated_at);

    const deleted = await patch(gone, () => env.DB.prepare("DELETE FROM custom_fields WHERE id = ?").bind(gone).run());
    expect(deleted.status).toBe(404);
    expect(await auditActions(owner.tenantId, "custom_field")).toEqual(created);
  });
});
