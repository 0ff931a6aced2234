/**
 * Idempotency-Key on the API's POSTs as a client sees it: a retry gets the first answer (once written), the
 * same key with another body or while the first still runs is a 409, a bad key a 422, and the kept answers
 * go after 24 h, with the workspace's closure, and with an erased contact.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RETENTION } from "../../src/lib/legal";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { runCron } from "../helpers/cron";
import { api, makeKey, problemOf } from "./helpers";

const HOUR = 3_600_000;

function post(key: string, idempotencyKey: string | null, json: unknown, path = "/contacts") {
  return api(path, {
    key,
    method: "POST",
    json,
    headers: idempotencyKey === null ? {} : { "Idempotency-Key": idempotencyKey },
  });
}

async function count(table: string, tenantId: string): Promise<number> {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
    .bind(tenantId)
    .first("n")) as number;
}

describe("Idempotency-Key", () => {
  it("replays the first answer to a retry, and writes once", async () => {
    const owner = await newTenant("Replay Co");
    const key = await makeKey(owner.cookie);
    const body = { first_name: "Ada", emails: ["ada@example.com"] };
    const first = await post(key, "order-1001", body);
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstBody = await first.text();
    const again = await post(key, "order-1001", body);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(again.headers.get("Content-Type")).toBe(first.headers.get("Content-Type"));
    expect(again.headers.get("RateLimit")).toBeTruthy();
    expect(await again.text()).toBe(firstBody);
    expect(await count("contacts", owner.tenantId)).toBe(1);
    // Without a key, or with another one, each POST runs.
    expect((await post(key, null, body)).status).toBe(201);
    expect((await post(key, "order-1002", body)).status).toBe(201);
    expect(await count("contacts", owner.tenantId)).toBe(3);
  });

  it("refuses the same key with another body, and nothing is written", async () => {
    const owner = await newTenant("Reuse Co");
    const key = await makeKey(owner.cookie);
    expect((await post(key, "k-1", { first_name: "Ada" })).status).toBe(201);
    const other = await post(key, "k-1", { first_name: "Grace" });
    expect(other.status).toBe(409);
    expect((await problemOf(other)).code).toBe("idempotency_key_reused");
    // Another path with the same body is another request too.
    const elsewhere = await post(key, "k-1", { first_name: "Ada" }, "/companies");
    expect((await problemOf(elsewhere)).code).toBe("idempotency_key_reused");
    expect(await count("contacts", owner.tenantId)).toBe(1);
    expect(await count("companies", owner.tenantId)).toBe(0);
  });

  it("keeps keys apart per API key", async () => {
    const owner = await newTenant("Two Keys Co");
    const one = await makeKey(owner.cookie, { name: "One" });
    const two = await makeKey(owner.cookie, { name: "Two" });
    expect((await post(one, "same", { first_name: "Ada" })).status).toBe(201);
    const res = await post(two, "same", { first_name: "Ada" });
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await count("contacts", owner.tenantId)).toBe(2);
  });

  it("answers a bad key with a 422 naming the header, before anything runs", async () => {
    const owner = await newTenant("Bad Key Co");
    const key = await makeKey(owner.cookie);
    for (const bad of ["x".repeat(256), "has space", ""]) {
      const res = await post(key, bad, { first_name: "Ada" });
      expect(res.status, bad).toBe(422);
      expect((await problemOf(res)).errors).toEqual([{ field: "Idempotency-Key", message: expect.any(String) }]);
    }
    expect((await post(key, "x".repeat(255), { first_name: "Ada" })).status).toBe(201);
    expect(await count("contacts", owner.tenantId)).toBe(1);
  });

  it("keeps a 4xx answer too: the retry of an invalid request gets the same problem", async () => {
    const owner = await newTenant("Invalid Co");
    const key = await makeKey(owner.cookie);
    const first = await post(key, "bad-1", { first_name: "Ada", emails: ["not an address"] });
    expect(first.status).toBe(422);
    const again = await post(key, "bad-1", { first_name: "Ada", emails: ["not an address"] });
    expect(again.status).toBe(422);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await problemOf(again)).errors).toEqual((await problemOf(first)).errors);
  });

  it("keeps no 'not now' answer: a request refused at the Free plan's limit runs afresh under the same key", async () => {
    const owner = await newTenant("Not Now Co");
    const key = await makeKey(owner.cookie);
    const capped = { FREE_MAX_CONTACTS: "1" };
    const send = (env: Partial<Cloudflare.Env>, json: unknown) =>
      api("/contacts/bulk", { key, method: "POST", json, env, headers: { "Idempotency-Key": "bulk-1" } });
    expect((await api("/contacts", { key, method: "POST", json: { first_name: "First" }, env: capped })).status).toBe(
      201,
    );
    const body = { records: [{ first_name: "Ada", emails: ["ada@example.com"] }] };
    const refused = await send(capped, body);
    expect(refused.status).toBe(402);
    // The workspace upgrades (here: a higher limit), and the client's retry under the same key is done.
    const retried = await send({ FREE_MAX_CONTACTS: "10" }, body);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    const replayed = await send({ FREE_MAX_CONTACTS: "10" }, body);
    expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("refuses a retry while the first request runs, and lets a retry take over one that crashed", async () => {
    const owner = await newTenant("In Flight Co");
    const key = await makeKey(owner.cookie);
    const body = { first_name: "Ada" };
    expect((await post(key, "slow-1", body)).status).toBe(201);
    // As the row is while a request runs: claimed, no answer yet.
    const running = (createdAt: number) =>
      env.DB.prepare(
        "UPDATE api_idempotency SET state = 'in_progress', status = NULL, response_body = NULL, created_at = ? WHERE tenant_id = ?",
      )
        .bind(createdAt, owner.tenantId)
        .run();
    await running(Date.now());
    const busy = await post(key, "slow-1", body);
    expect(busy.status).toBe(409);
    expect(busy.headers.get("Retry-After")).toBe("1");
    expect((await problemOf(busy)).code).toBe("idempotency_key_in_use");
    // Another body under a running key is still a reuse.
    expect((await problemOf(await post(key, "slow-1", { first_name: "Eve" }))).code).toBe("idempotency_key_reused");
    expect(await count("contacts", owner.tenantId)).toBe(1);
    // Running for two minutes: its worker is gone; the retry runs and its answer is kept.
    await running(Date.now() - 2 * 60_000);
    const retry = await post(key, "slow-1", body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await post(key, "slow-1", body)).headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("does not apply to other methods, and a read key is refused before any key is kept", async () => {
    const owner = await newTenant("Methods Co");
    const key = await makeKey(owner.cookie);
    const reader = await makeKey(owner.cookie, { scope: "read" });
    const created = (await (await post(key, "m-1", { first_name: "Ada" })).json()) as { id: number };
    const patch = (first_name: string) =>
      api(`/contacts/${created.id}`, {
        key,
        method: "PATCH",
        json: { first_name },
        headers: { "Idempotency-Key": "m-1" },
      });
    expect((await patch("Bea")).status).toBe(200);
    expect((await patch("Cy")).status).toBe(200);
    expect((await post(reader, "r-1", { first_name: "Eve" })).status).toBe(403);
    expect(await count("api_idempotency", owner.tenantId)).toBe(1);
  });

  it("forgets answers after 24 h (the retention job), so the key runs afresh", async () => {
    const owner = await newTenant("Expiry Co");
    const key = await makeKey(owner.cookie);
    expect((await post(key, "day-1", { first_name: "Ada" })).status).toBe(201);
    // The cron runs now, in storage other test files share: the row is aged instead of the clock moved.
    const age = (hours: number) =>
      env.DB.prepare("UPDATE api_idempotency SET created_at = ? WHERE tenant_id = ?")
        .bind(Date.now() - hours * HOUR, owner.tenantId)
        .run();
    await age(23);
    await runCron(Date.now());
    expect(await count("api_idempotency", owner.tenantId)).toBe(1);
    await age(25);
    await runCron(Date.now());
    expect(await count("api_idempotency", owner.tenantId)).toBe(0);
    const later = await post(key, "day-1", { first_name: "Ada" });
    expect(later.status).toBe(201);
    expect(later.headers.get("Idempotent-Replayed")).toBeNull();
    // The privacy page states the period the job keeps to.
    expect((await textOf("/privacy")).replace(/\s+/g, " ")).toContain(
      `answer a retried request the same way: ${RETENTION.apiAnswerHours} hours`,
    );
  });

  it("lets a key be used again with any body once its 24 h are over, even before the retention job", async () => {
    const owner = await newTenant("Old Key Co");
    const key = await makeKey(owner.cookie);
    expect((await post(key, "old", { first_name: "Ada" })).status).toBe(201);
    await env.DB.prepare("UPDATE api_idempotency SET created_at = created_at - ? WHERE tenant_id = ?")
      .bind(25 * HOUR, owner.tenantId)
      .run();
    expect((await post(key, "old", { first_name: "Grace" })).status).toBe(201);
    expect(await count("contacts", owner.tenantId)).toBe(2);
  });

  it("erasing a contact removes the kept answers that carry them; closing the workspace removes them all", async () => {
    const owner = await newTenant("Erase Co");
    const key = await makeKey(owner.cookie);
    const erin = (await (await post(key, "erin", { first_name: "Erin", last_name: "Erased" })).json()) as {
      id: number;
    };
    expect((await post(key, "kim", { first_name: "Kim" })).status).toBe(201);
    const erase = await send(`/app/contacts/${erin.id}/erase`, { cookie: owner.cookie, form: {} });
    expect(erase.status).toBe(303);
    const kept = await env.DB.prepare("SELECT idempotency_key, response_body FROM api_idempotency WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .all<{ idempotency_key: string; response_body: string }>();
    expect(kept.results.map((r) => r.idempotency_key)).toEqual(["kim"]);
    expect(JSON.stringify(kept.results)).not.toContain("Erin");

    const close = await send("/app/settings/close", {
      cookie: owner.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
    });
    expect(close.status).toBeLessThan(400);
    expect(await count("api_idempotency", owner.tenantId)).toBe(0);
  });

  it("is documented on every POST of the OpenAPI document", async () => {
    const doc = (await (await send("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: object }>>;
    };
    const posts = Object.entries(doc.paths).filter(([, ops]) => ops.post);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const [path, ops] of posts) {
      expect(ops.post!.parameters, path).toContainEqual(
        expect.objectContaining({ name: "Idempotency-Key", in: "header" }),
      );
      expect(Object.keys(ops.post!.responses), path).toContain("409");
    }
  });
});
