/**
 * An import running while its workspace is moved: its steps write nothing while the move's catch-up runs (they
 * come back after the freeze), then go on where the directory says, so the shard ends with every row and nothing
 * is lost or written twice; a lost step is sent again by the watchdog, which sweeps the shard too.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startMove } from "../../src/services/shards/move";
import { FREEZE_GRACE_MS } from "../../src/services/shards/phases";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { jobId, utf8 } from "../import/helpers";
import { deliver, HeldQueue, jobEnv, runCron } from "../jobs/helpers";
import { directoryOf, moveEnv, moveRow, runSteps } from "./helpers";

const ROWS = 100;

const count = (db: D1Database, tenantId: string) =>
  db.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?").bind(tenantId).first<number>("n");

describe("an import while its workspace moves", { timeout: 120_000 }, () => {
  it("waits out the freeze, then finishes on the shard with every row once", async () => {
    const t = await newTenant("Import Mover");
    const q = new HeldQueue();
    // Chunks of 20 rows, one per step: the import takes several steps.
    const bindings = jobEnv(q, { IMPORT_CHUNK_ROWS: "20" });
    const lines = ["First name,Last name,Email"];
    for (let i = 0; i < ROWS; i += 1) lines.push(`Person${i},Mover,person${i}@import-mover.example`);
    const form = new FormData();
    form.set("kind", "contacts");
    form.set("encoding", "auto");
    form.set("file", new File([utf8(lines.join("\n"))], "people.csv", { type: "text/csv" }));
    const id = jobId(await send("/app/import", { method: "POST", body: form, cookie: t.cookie, env: bindings }));
    const step = async () => {
      const m = q.takeOne(id);
      expect(m, "a held import step").toBeDefined();
      expect(await deliver(bindings, m!)).toBe(true);
    };
    const importRow = (db: D1Database) =>
      db.prepare("SELECT status, created_count FROM import_jobs WHERE id = ?").bind(id).first();
    while ((await importRow(env.DB))!.status !== "ready") await step();
    expect((await send(`/app/import/${id}/commit`, { cookie: t.cookie, form: {}, env: bindings })).status).toBe(303);
    await step();
    await step();
    expect(await count(env.DB, t.tenantId)).toBe(40);

    // The move copies what is there, then freezes the workspace's writes.
    const move = moveEnv(500);
    let now = Date.now();
    const started = await startMove(move.bindings, t.tenantId, "SHARD_1", now);
    if (!started.ok) throw new Error(started.reason);
    await runSteps(move.bindings, move.q, started.moveId, () => now, { until: (m) => m.status !== "copying" });
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "DB", state: "moving" });

    // Frozen: the step writes nothing and sends itself again.
    await step();
    expect(await count(env.DB, t.tenantId)).toBe(40);
    expect(q.of(id)).toHaveLength(1);

    now += FREEZE_GRACE_MS + 1000;
    await runSteps(move.bindings, move.q, started.moveId, () => now);
    expect((await moveRow(started.moveId)).status).toBe("done");
    expect(await directoryOf(t.tenantId)).toEqual({ shard: "SHARD_1", state: "active" });

    // The step's message is lost; the watchdog finds the silent import on the shard and sends it again.
    q.held.length = 0;
    await runCron(bindings, Date.now() + 3 * 60_000);
    expect(q.of(id)).toHaveLength(1);
    for (let i = 0; i < 20 && q.of(id).length > 0; i += 1) await step();

    expect(await importRow(env.SHARD_1!)).toEqual({ status: "done", created_count: ROWS });
    expect(await count(env.SHARD_1!, t.tenantId)).toBe(ROWS);
    const names = await env
      .SHARD_1!.prepare("SELECT count(DISTINCT first_name) AS n FROM contacts WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<number>("n");
    expect(names).toBe(ROWS);
    expect(await count(env.DB, t.tenantId)).toBe(0);
  });
});
