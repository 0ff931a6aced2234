/**
 * The *.isolated.test.ts files share their worker's workerd and storage with every other file it runs; test/setup.ts
 * empties the storage before each of them. Whatever ran before in this worker, this file starts from nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("an isolated file's storage", () => {
  it("holds no user, workspace or file, on the control database and every shard", async () => {
    for (const db of [env.DB, env.SHARD_0!, env.SHARD_1!, env.SHARD_2!]) {
      const row = await db
        .prepare("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM tenants) AS tenants")
        .first<{ users: number; tenants: number }>();
      expect(row).toEqual({ users: 0, tenants: 0 });
    }
    expect((await env.FILES.list({ limit: 1 })).objects).toEqual([]);
  });
});
