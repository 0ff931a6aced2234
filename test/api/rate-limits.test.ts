/**
 * Rate limits per key and per workspace: every answer says where the request stands (RateLimit fields);
 * past a limit the answer is 429 with Retry-After and nothing runs; a new window starts afresh.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS, limitKey } from "../../src/auth/rate-limit";
import { apiKeyHash } from "../../src/services/api/keys";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

/** Sets a counter as if `count` requests had come in this window. */
async function counted(key: string, count: number, windowStart = Date.now()) {
  await env.DB.prepare(
    "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count",
  )
    .bind(key, windowStart, count)
    .run();
}

describe("API rate limits", () => {
  it("are announced on every answer, per key and per workspace", async () => {
    const owner = await newTenant("Rate Co");
    const key = await makeKey(owner.cookie);
    const first = await api("/contacts", { key });
    expect(first.headers.get("RateLimit-Policy")).toBe(
      `"per-key";q=${LIMITS.apiPerKey.max};w=60, "per-workspace";q=${LIMITS.apiPerWorkspace.max};w=60`,
    );
    expect(first.headers.get("RateLimit")).toMatch(
      new RegExp(
        `^"per-key";r=${LIMITS.apiPerKey.max - 1};t=\\d+, "per-workspace";r=${LIMITS.apiPerWorkspace.max - 1};t=\\d+$`,
      ),
    );
    const second = await api("/contacts/999999999", { key });
    expect(second.status).toBe(404);
    expect(second.headers.get("RateLimit")).toContain(`"per-key";r=${LIMITS.apiPerKey.max - 2};`);
  });

  it("answer 429 with Retry-After past the key's limit, and write nothing", async () => {
    const owner = await newTenant("Rate Key Co");
    const key = await makeKey(owner.cookie);
    await counted(limitKey(LIMITS.apiPerKey, apiKeyHash(key)), LIMITS.apiPerKey.max);
    const res = await api("/contacts", { key, method: "POST", json: { first_name: "Flood" } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await problemOf(res)).code).toBe("rate_limited");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(0);
    // Another key of the same workspace still has room; a window that has passed starts again.
    const other = await makeKey(owner.cookie, { name: "Other" });
    expect((await api("/contacts", { key: other })).status).toBe(200);
    await counted(limitKey(LIMITS.apiPerKey, apiKeyHash(key)), LIMITS.apiPerKey.max, Date.now() - 61_000);
    expect((await api("/contacts", { key })).status).toBe(200);
  });

  it("answer 429 to every key of a workspace past the workspace's limit, and only to that workspace", async () => {
    const a = await newTenant("Rate WS A");
    const b = await newTenant("Rate WS B");
    const keyA1 = await makeKey(a.cookie);
    const keyA2 = await makeKey(a.cookie, { name: "Second" });
    const keyB = await makeKey(b.cookie);
    await counted(`api-workspace:${a.tenantId}`, LIMITS.apiPerWorkspace.max);
    for (const key of [keyA1, keyA2]) expect((await api("/contacts", { key })).status).toBe(429);
    expect((await api("/contacts", { key: keyB })).status).toBe(200);
  });

  it("do not count a key's refused requests against its workspace: the other keys keep their share", async () => {
    const owner = await newTenant("Rate Loop Co");
    const looping = await makeKey(owner.cookie);
    const other = await makeKey(owner.cookie, { name: "Other" });
    const workspace = `api-workspace:${owner.tenantId}`;
    await counted(limitKey(LIMITS.apiPerKey, apiKeyHash(looping)), LIMITS.apiPerKey.max);
    await counted(workspace, LIMITS.apiPerWorkspace.max - 1);
    // The looping key is refused again and again; none of it is the workspace's.
    for (let i = 0; i < 5; i += 1) expect((await api("/contacts", { key: looping })).status).toBe(429);
    const left = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?").bind(workspace).first("count");
    expect(left).toBe(LIMITS.apiPerWorkspace.max - 1);
    expect((await api("/contacts", { key: other })).status).toBe(200);
  });
});
