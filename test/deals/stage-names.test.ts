/**
 * A stage's name is one of a kind in its pipeline, whatever its case, also for capitals outside ASCII (Ü, É) that
 * SQLite's lower() does not fold: in Settings → Pipelines, through the API, on a rename, for two adds at once, and
 * for the stages that existed before (migration 0042).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { STAGE_NAME_TAKEN } from "../../src/services/deals/stages";
import { api, makeKey, problemOf } from "../api/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { fieldError, post, stagesOf } from "./list-helpers";

const BASE = "/app/settings/pipelines";

async function salesOf(tenantId: string) {
  const stages = await stagesOf(tenantId);
  return { pipelineId: stages[0]!.pipeline_id, stages };
}

const named = async (tenantId: string, name: string) =>
  (await stagesOf(tenantId)).filter((s) => s.name.toLowerCase() === name.toLowerCase()).length;

describe("a stage's name in its pipeline", () => {
  it("a second Überprüfung or Évaluation (any case) is refused by the field, in the page and the API", async () => {
    const owner = await newTenant("Stage Names Co");
    const { pipelineId } = await salesOf(owner.tenantId);
    const add = (name: string) => post(`${BASE}/${pipelineId}/stages`, owner.cookie, { name, probability: "0" });
    for (const [first, again] of [
      ["Überprüfung", "Überprüfung"],
      ["Évaluation", "ÉVALUATION"],
    ]) {
      expect((await add(first!)).status).toBe(303);
      const refused = await add(again!);
      expect(refused.status, again).toBe(422);
      expect(fieldError(await refused.text(), `new-stage-${pipelineId}-name`)).toBe(
        "This pipeline has a stage with this name already.",
      );
      expect(await named(owner.tenantId, first!)).toBe(1);
    }

    const key = await makeKey(owner.cookie);
    const res = await api(`/pipelines/${pipelineId}/stages`, { key, method: "POST", json: { name: "überprüfung" } });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ field: "name", message: STAGE_NAME_TAKEN }]);
    expect(await named(owner.tenantId, "Überprüfung")).toBe(1);
  });

  it("a rename to another stage's name is refused, in the page and the API; its own name in capitals is not", async () => {
    const owner = await newTenant("Stage Rename Co");
    const { pipelineId, stages } = await salesOf(owner.tenantId);
    const lead = stages.find((s) => s.name === "Lead")!;
    expect(
      (await post(`${BASE}/${pipelineId}/stages`, owner.cookie, { name: "Évaluation", probability: "5" })).status,
    ).toBe(303);
    const refused = await post(`${BASE}/stages/${lead.id}`, owner.cookie, { name: "évaluation", probability: "10" });
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), `stage-${lead.id}-name`)).toBe(STAGE_NAME_TAKEN);

    const key = await makeKey(owner.cookie);
    const patched = await api(`/stages/${lead.id}`, { key, method: "PATCH", json: { name: "ÉVALUATION" } });
    expect(patched.status).toBe(422);
    expect((await problemOf(patched)).errors).toEqual([{ field: "name", message: STAGE_NAME_TAKEN }]);
    expect((await stagesOf(owner.tenantId)).find((s) => s.id === lead.id)!.name).toBe("Lead");

    // Its own name in other capitals is a rename of itself.
    const own = await post(`${BASE}/stages/${lead.id}`, owner.cookie, { name: "LEAD", probability: "10" });
    expect(own.status).toBe(303);
    expect((await stagesOf(owner.tenantId)).find((s) => s.id === lead.id)!.name).toBe("LEAD");
  });

  it("two adds of one name at once: one stage, the later add refused by the field", async () => {
    const owner = await newTenant("Stage Race Co");
    const { pipelineId } = await salesOf(owner.tenantId);
    const form = { name: "Überprüfung", probability: "0" };
    // The other admin's add lands after this one's check and before its write.
    const DB = raceBeforeBatch(env.DB, /insert into "pipeline_stages"/i, async () => {
      expect((await post(`${BASE}/${pipelineId}/stages`, owner.cookie, form)).status).toBe(303);
    });
    const res = await send(`${BASE}/${pipelineId}/stages`, { cookie: owner.cookie, form, env: { DB } });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), `new-stage-${pipelineId}-name`)).toBe(STAGE_NAME_TAKEN);
    expect(await named(owner.tenantId, "Überprüfung")).toBe(1);
  });
});

describe("migration 0042", () => {
  it("keys the stages it finds as JavaScript lower-cases them and renames their duplicates", async () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0042_"))!;
    // Its statements, run on a scratch table shaped as pipeline_stages was before it (the real one has the index).
    const table = "zz_stage_names_0042";
    const on = (q: string) => q.replaceAll("pipeline_stages", table);
    await env.DB.exec(`DROP TABLE IF EXISTS ${table}`);
    await env.DB.prepare(
      `CREATE TABLE ${table} (id integer PRIMARY KEY, tenant_id text NOT NULL, pipeline_id integer NOT NULL,
        name text NOT NULL, position integer NOT NULL)`,
    ).run();
    try {
      const rows: [string, number, string][] = [
        ["t", 1, "Überprüfung"],
        ["t", 1, "Überprüfung"],
        ["t", 1, "überprüfung"],
        ["t", 1, "Überprüfung (3)"],
        ["t", 1, "ÉVALUATION"],
        ["t", 2, "Überprüfung"],
        ["u", 1, "Überprüfung"],
        ["t", 1, "Позвонить"],
        ["t", 1, "ПОЗВОНИТЬ"],
      ];
      for (const [i, [tenant, pipeline, name]] of rows.entries())
        await env.DB.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?)`)
          .bind(i + 1, tenant, pipeline, name, i)
          .run();
      for (const query of migration.queries) await env.DB.prepare(on(query)).run();
      const after = await env.DB.prepare(`SELECT name, name_key FROM ${table} ORDER BY id`).all<{
        name: string;
        name_key: string;
      }>();
      expect(after.results.map((r) => r.name)).toEqual([
        "Überprüfung",
        "Überprüfung (2)",
        // " (3)" is taken: the id instead.
        "überprüfung #3",
        "Überprüfung (3)",
        "ÉVALUATION",
        "Überprüfung",
        "Überprüfung",
        "Позвонить",
        "ПОЗВОНИТЬ (2)",
      ]);
      for (const r of after.results) expect(r.name_key, r.name).toBe(r.name.toLowerCase());
    } finally {
      await env.DB.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  });
});
