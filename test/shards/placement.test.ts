/**
 * Placement: every new workspace gets a directory entry by one rule (fewest bytes, then fewest
 * workspaces); a workspace without one lives on DB. While requests read only DB, the rule's only
 * candidate is DB; the rule itself is checked with the three shards as candidates.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { runRawBatch } from "../../src/db/raw-batch";
import { chooseShard, measureDatabases, placementStatements, shardOf } from "../../src/services/shards/directory";
import { placementTargets } from "../../src/services/shards/new-workspace";
import { failingDatabase } from "../helpers/faults";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

const entry = (tenantId: string) =>
  env.DB.prepare("SELECT shard, state, moved_at FROM workspace_shards WHERE tenant_id = ?").bind(tenantId).first();
const workspacesOn = async (shard: string) =>
  (
    await env.DB.prepare("SELECT workspaces FROM shard_stats WHERE shard = ?")
      .bind(shard)
      .first<{ workspaces: number }>()
  )?.workspaces ?? 0;

describe("the placement rule", () => {
  it("picks the fewest bytes, then the fewest workspaces, then the first named", () => {
    expect(
      chooseShard([
        { shard: "SHARD_0", bytes: 9e9, workspaces: 10 },
        { shard: "SHARD_1", bytes: 1e9, workspaces: 900 },
        { shard: "SHARD_2", bytes: 5e9, workspaces: 1 },
      ]),
    ).toBe("SHARD_1");
    // Within a megabyte sizes are equal, and the workspace count decides.
    expect(
      chooseShard([
        { shard: "SHARD_0", bytes: 2_000_100, workspaces: 3 },
        { shard: "SHARD_1", bytes: 2_000_000, workspaces: 4 },
      ]),
    ).toBe("SHARD_0");
    expect(
      chooseShard([
        { shard: "SHARD_2", bytes: 0, workspaces: 0 },
        { shard: "SHARD_0", bytes: 0, workspaces: 0 },
      ]),
    ).toBe("SHARD_2");
    expect(() => chooseShard([])).toThrow(/no database/);
  });

  it("spreads new workspaces over the candidates by their counters, counting each placement", async () => {
    const db = createDb(env.DB);
    const now = Date.now();
    await env.DB.batch(
      (["SHARD_0", "SHARD_1", "SHARD_2"] as const).map((shard, i) =>
        env.DB.prepare(
          "INSERT INTO shard_stats (shard, bytes, workspaces) VALUES (?, ?, 0) ON CONFLICT (shard) DO UPDATE SET bytes = excluded.bytes, workspaces = 0",
        ).bind(shard, [30e6, 10e6, 10e6][i]),
      ),
    );
    const placed: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const t = await newTenant(`Placed ${i}`);
      // The test's own workspaces are on DB already; their entries are placed again with three candidates.
      await env.DB.prepare("DELETE FROM workspace_shards WHERE tenant_id = ?").bind(t.tenantId).run();
      const placement = await placementStatements(db, t.tenantId, now, ["SHARD_0", "SHARD_1", "SHARD_2"]);
      await runRawBatch(db, placement.statements);
      placed.push((await shardOf(db, t.tenantId)).shard);
    }
    // SHARD_1 and SHARD_2 are the smallest: they take turns by workspace count; SHARD_0 gets none.
    expect(placed).toEqual(["SHARD_1", "SHARD_2", "SHARD_1", "SHARD_2"]);
    expect(await workspacesOn("SHARD_1")).toBe(2);
    expect(await workspacesOn("SHARD_0")).toBe(0);
  });
});

describe("a new workspace", () => {
  it("is placed on DB at sign-up, where requests read it, and counted there", async () => {
    // PLACEMENT_TARGETS is not set here (the suite's own workspaces stay on DB); production names its shards.
    expect(placementTargets(env)).toEqual(["DB"]);
    const before = await workspacesOn("DB");
    const t = await newTenant("Placed At Signup");
    expect(await entry(t.tenantId)).toEqual({ shard: "DB", state: "active", moved_at: null });
    expect(await workspacesOn("DB")).toBeGreaterThan(before);
  });

  it("made from the workspaces page is placed too", async () => {
    const t = await newTenant("Has Another");
    const res = await send("/app/workspaces", { cookie: t.cookie, form: { name: "Second Workspace" } });
    expect(res.status).toBe(303);
    const second = await env.DB.prepare(
      "SELECT id FROM tenants WHERE name = 'Second Workspace' ORDER BY created_at DESC",
    ).first<{ id: string }>();
    expect(await entry(second!.id)).toMatchObject({ shard: "DB", state: "active" });
  });

  it("without an entry (made before shards) lives on DB", async () => {
    const t = await newTenant("Older Than Shards");
    await env.DB.prepare("DELETE FROM workspace_shards WHERE tenant_id = ?").bind(t.tenantId).run();
    expect(await shardOf(createDb(env.DB), t.tenantId)).toEqual({ shard: "DB", state: "active" });
  });
});

describe("measuring the databases", () => {
  it("reads each bound database's size from D1 and recounts its workspaces from the directory", async () => {
    const loads = await measureDatabases(env, createDb(env.DB), Date.now());
    expect(loads.map((l) => l.shard)).toEqual(["DB", "SHARD_0", "SHARD_1", "SHARD_2"]);
    for (const l of loads) expect(l.bytes, l.shard).toBeGreaterThan(0);
    const tenants = (await env.DB.prepare("SELECT count(*) AS n FROM tenants").first<{ n: number }>())!.n;
    expect(loads.reduce((n, l) => n + l.workspaces, 0)).toBe(tenants);
    expect(await workspacesOn("DB")).toBe(loads[0]!.workspaces);
  });

  it("keeps a shard that does not answer at its last measure, and measures the others", async () => {
    await measureDatabases(env, createDb(env.DB), Date.now());
    const stats = () => env.DB.prepare("SELECT * FROM shard_stats WHERE shard = 'SHARD_1'").first();
    const before = await stats();
    const errors = vi.spyOn(console, "error");
    const loads = await measureDatabases({ ...env, SHARD_1: failingDatabase() }, createDb(env.DB), Date.now() + 1);
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("shard_measure_failed"));
    errors.mockRestore();
    expect(loads.map((l) => l.shard)).toEqual(["DB", "SHARD_0", "SHARD_2"]);
    expect(await stats()).toEqual(before);
    expect(logged.map((l) => JSON.parse(l).database)).toEqual(["SHARD_1"]);
  });
});
