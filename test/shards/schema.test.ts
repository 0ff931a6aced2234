/**
 * Every shard has the control database's schema (wrangler.toml binds three local shards; test/setup.ts
 * migrates each as DB is migrated). A migration applied to DB alone, or a table made by hand on one
 * database, fails here.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** Tables, indexes, triggers and views as SQLite stores them, without SQLite's and D1's own. */
async function schemaOf(db: D1Database) {
  const { results } = await db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_master
       WHERE type IN ('table', 'index', 'trigger', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'
       ORDER BY type, name`,
    )
    .all<{ type: string; name: string; tbl_name: string; sql: string | null }>();
  return results;
}

describe("the shards' schema", () => {
  it("is the control database's, table for table, index for index, trigger for trigger", async () => {
    const control = await schemaOf(env.DB);
    expect(control.some((r) => r.name === "contacts")).toBe(true);
    expect(control.some((r) => r.name === "workspace_shards")).toBe(true);
    for (const [name, shard] of Object.entries({ SHARD_0: env.SHARD_0, SHARD_1: env.SHARD_1, SHARD_2: env.SHARD_2 })) {
      expect(shard, `${name} is bound`).toBeDefined();
      expect(await schemaOf(shard!), name).toEqual(control);
    }
  });

  it("notices a difference (an index made on one shard only)", async () => {
    await env.SHARD_2!.prepare("CREATE INDEX shards_probe_idx ON shard_stats (bytes)").run();
    try {
      expect(await schemaOf(env.SHARD_2!)).not.toEqual(await schemaOf(env.DB));
    } finally {
      await env.SHARD_2!.prepare("DROP INDEX shards_probe_idx").run();
    }
  });

  it("has every migration recorded as applied on each shard", async () => {
    const applied = async (db: D1Database) =>
      (await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>()).results.map(
        (r) => r.name,
      );
    const control = await applied(env.DB);
    // Every migration of the folder, the last included (vitest.config.mts reads them into TEST_MIGRATIONS).
    expect(control.at(-1)).toBe(env.TEST_MIGRATIONS.at(-1)!.name);
    for (const shard of [env.SHARD_0!, env.SHARD_1!, env.SHARD_2!]) expect(await applied(shard)).toEqual(control);
  });
});
