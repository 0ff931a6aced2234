/**
 * The API follows the directory too (docs/scale.md, "Routing"): once a move has put a workspace on a shard, its
 * keys (on the control database) read and write its records there. A key this isolate remembered from before the
 * move gets one 503 asking again, never an empty or stale answer.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { database, moveWhole, rowsOf, seededWorkspace } from "./helpers";

const names = async (res: Response) =>
  ((await res.json()) as { data: { first_name: string }[] }).data.map((c) => c.first_name).sort();

describe("the API on a moved workspace", () => {
  it("reads and writes the records on the shard, its keys still on the control database", async () => {
    const w = await seededWorkspace("Api Mover");
    const key = await makeKey(w.cookie);
    const before = await api("/contacts", { key });
    expect(before.status).toBe(200);
    expect(await names(before)).toEqual(["Person0", "Person1", "Person2", "Person3", "Person4"]);

    await moveWhole(w.tenantId, "SHARD_1");
    // This isolate knew the key's workspace on DB: the read ran there, so its answer is refused, once.
    const stale = await api("/contacts", { key });
    expect(stale.status).toBe(503);
    expect(stale.headers.get("Retry-After")).toBe("1");
    expect((await problemOf(stale)).code).toBe("workspace_moving");
    const after = await api("/contacts", { key });
    expect(after.status).toBe(200);
    expect(await names(after)).toEqual(["Person0", "Person1", "Person2", "Person3", "Person4"]);

    const created = await api("/contacts", { key, method: "POST", json: { first_name: "Via", last_name: "Api" } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect(id).toBeGreaterThan(2 ** 40);
    expect((await api(`/contacts/${id}`, { key })).status).toBe(200);
    expect(await rowsOf(env.DB, w.tenantId)).toBe(1);
    const onShard = await database("SHARD_1")
      .prepare("SELECT first_name FROM contacts WHERE id = ? AND tenant_id = ?")
      .bind(id, w.tenantId)
      .first("first_name");
    expect(onShard).toBe("Via");

    // A key made after the move lives on the control database and reaches the shard's records as well.
    const fresh = await makeKey(w.cookie, { name: "After the move", scope: "read" });
    expect(await names(await api("/contacts", { key: fresh }))).toContain("Via");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE tenant_id = ?").bind(w.tenantId).first("n"),
    ).toBe(2);
  }, 120_000);
});
