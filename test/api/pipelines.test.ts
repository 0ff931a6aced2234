/**
 * /api/v1/pipelines and /api/v1/stages: the workspace's pipelines with their stages in board order, and only its
 * own; created, renamed, deleted, and stages added, updated, placed and removed as Settings → Pipelines does.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addPipeline, pipelinesOf } from "../deals/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "./helpers";

type Pipeline = {
  id: number;
  name: string;
  stages: { id: number; name: string; open_deals: number; position: number; probability: number }[];
};

describe("API pipelines", () => {
  it("list every pipeline with its stages and open deal counts; another workspace's pipeline is a 404", async () => {
    const owner = await newTenant("Pipelines API Co");
    const other = await newTenant("Pipelines API Other");
    const key = await makeKey(owner.cookie, { scope: "read" });
    const writer = await makeKey(owner.cookie, { name: "Writer" });
    const partners = await addPipeline(owner.tenantId, "Partners", ["Intro", "Signed"]);
    const [sales] = await pipelinesOf(owner.tenantId);
    await api("/deals", { key: writer, method: "POST", json: { name: "One", stage_id: partners.stages[1]!.id } });

    const list = (await (await api("/pipelines", { key })).json()) as { data: Pipeline[] };
    expect(list.data.map((p) => p.name)).toEqual(["Sales", "Partners"]);
    expect(list.data[0]!.stages.map((s) => s.id)).toEqual(sales!.stages.map((s) => s.id));
    expect(list.data[1]!.stages).toEqual([
      expect.objectContaining({ name: "Intro", open_deals: 0 }),
      expect.objectContaining({ name: "Signed", open_deals: 1 }),
    ]);
    const one = await api(`/pipelines/${partners.id}`, { key });
    expect(await one.json()).toEqual(list.data[1]);

    const [theirs] = await pipelinesOf(other.tenantId);
    const refused = await api(`/pipelines/${theirs!.id}`, { key });
    expect(refused.status).toBe(404);
    expect((await problemOf(refused)).code).toBe("not_found");
  });
});

type Stage = { id: number; pipeline_id: number; name: string; position: number; probability: number };

describe("API pipeline and stage writes (as Settings → Pipelines)", () => {
  const pipelineCount = async (tenantId: string) => (await pipelinesOf(tenantId)).length;

  it("creates a pipeline with its stages, renames it, and refuses bad input by field with nothing written", async () => {
    const owner = await newTenant("Pipelines Writes Co");
    const key = await makeKey(owner.cookie);
    const res = await api("/pipelines", {
      key,
      method: "POST",
      json: {
        name: "Partners",
        stages: [
          { name: "Intro", probability: 10 },
          { name: "Signed", probability: 100 },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as Pipeline;
    expect(res.headers.get("Location")).toBe(`/api/v1/pipelines/${created.id}`);
    expect(created.stages.map((s) => [s.name, s.probability, s.position])).toEqual([
      ["Intro", 10, 0],
      ["Signed", 100, 1],
    ]);
    // The settings page shows it, as one an admin added.
    const page = await (await send("/app/settings/pipelines", { cookie: owner.cookie })).text();
    expect(page).toContain("Partners");
    const plain = (await (
      await api("/pipelines", { key, method: "POST", json: { name: "Plain" } })
    ).json()) as Pipeline;
    expect(plain.stages.map((s) => s.name)).toEqual(["New"]);

    const before = await pipelineCount(owner.tenantId);
    const bad = await api("/pipelines", {
      key,
      method: "POST",
      json: { name: " ", stages: [{ name: "A", probability: 101 }, { name: "B" }, { name: "b", probability: 5 }] },
    });
    expect(bad.status).toBe(422);
    const problem = await problemOf(bad);
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors!.map((e) => e.field)).toEqual(["name", "stages[0].probability", "stages[2].name"]);
    const taken = await api("/pipelines", { key, method: "POST", json: { name: "sales" } });
    expect(taken.status).toBe(422);
    expect((await problemOf(taken)).errors).toEqual([
      { field: "name", message: "A pipeline with this name already exists." },
    ]);
    expect(await pipelineCount(owner.tenantId)).toBe(before);

    const renamed = await api(`/pipelines/${created.id}`, { key, method: "PATCH", json: { name: "Partnerships" } });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as Pipeline).name).toBe("Partnerships");
    const clash = await api(`/pipelines/${created.id}`, { key, method: "PATCH", json: { name: "Plain" } });
    expect(clash.status).toBe(422);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'pipeline.%' ORDER BY id",
    )
      .bind(owner.tenantId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["pipeline.created", "pipeline.created", "pipeline.renamed"]);
  });

  it("deletes a pipeline only while it holds no deals and is not the last (409 in_use)", async () => {
    const owner = await newTenant("Pipelines Delete Co");
    const key = await makeKey(owner.cookie);
    const [sales] = await pipelinesOf(owner.tenantId);
    const only = await api(`/pipelines/${sales!.id}`, { key, method: "DELETE" });
    expect(only.status).toBe(409);
    expect((await problemOf(only)).code).toBe("in_use");
    const spare = (await (
      await api("/pipelines", { key, method: "POST", json: { name: "Spare" } })
    ).json()) as Pipeline;
    await api("/deals", { key, method: "POST", json: { name: "Keeps it", pipeline_id: spare.id } });
    const held = await api(`/pipelines/${spare.id}`, { key, method: "DELETE" });
    expect(held.status).toBe(409);
    expect((await problemOf(held)).code).toBe("in_use");
    expect((await api(`/pipelines/${sales!.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/pipelines/${sales!.id}`, { key })).status).toBe(404);
  });

  it("adds, updates and places stages; refuses bad input by field", async () => {
    const owner = await newTenant("Stages Writes Co");
    const key = await makeKey(owner.cookie);
    const [sales] = await pipelinesOf(owner.tenantId);
    const res = await api(`/pipelines/${sales!.id}/stages`, {
      key,
      method: "POST",
      json: { name: "Legal review", probability: 80 },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const stage = (await res.json()) as Stage;
    expect(res.headers.get("Location")).toBe(`/api/v1/stages/${stage.id}`);
    expect(stage).toMatchObject({ pipeline_id: sales!.id, name: "Legal review", probability: 80 });
    expect(await (await api(`/stages/${stage.id}`, { key })).json()).toEqual({ ...stage, open_deals: 0 });

    const bad = await api(`/pipelines/${sales!.id}/stages`, {
      key,
      method: "POST",
      json: { name: "", probability: 12.5 },
    });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors!.map((e) => e.field)).toEqual(["name", "probability"]);
    const dup = await api(`/pipelines/${sales!.id}/stages`, { key, method: "POST", json: { name: "legal REVIEW" } });
    expect(dup.status).toBe(422);

    const moved = await api(`/stages/${stage.id}`, {
      key,
      method: "PATCH",
      json: { name: "Legal", probability: 70, position: 0 },
    });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toMatchObject({ name: "Legal", probability: 70, position: 0 });
    const order = ((await (await api(`/pipelines/${sales!.id}`, { key })).json()) as Pipeline).stages;
    expect(order[0]!.id).toBe(stage.id);
    expect(order.map((s) => s.position)).toEqual(order.map((_, i) => i));

    const far = await api(`/stages/${stage.id}`, { key, method: "PATCH", json: { position: order.length } });
    expect(far.status).toBe(422);
    expect((await problemOf(far)).errors!.map((e) => e.field)).toEqual(["position"]);
    const clash = await api(`/stages/${stage.id}`, { key, method: "PATCH", json: { name: order[1]!.name } });
    expect(clash.status).toBe(422);
    expect(await (await api(`/stages/${stage.id}`, { key })).json()).toMatchObject({ name: "Legal", position: 0 });
  });

  it("removes a stage as the settings page does: its deals move with move_deals_to, else 409", async () => {
    const owner = await newTenant("Stages Remove Co");
    const stranger = await newTenant("Stages Remove Stranger");
    const key = await makeKey(owner.cookie);
    await addEndpoint(owner.cookie, receiverUrl("api-stage-removal"), ["deal.stage_changed"]);
    const [sales] = await pipelinesOf(owner.tenantId);
    const [from, to] = sales!.stages;
    const deal = (await (
      await api("/deals", { key, method: "POST", json: { name: "Mover", stage_id: from!.id } })
    ).json()) as { id: number };

    const held = await api(`/stages/${from!.id}`, { key, method: "DELETE" });
    expect(held.status).toBe(409);
    expect((await problemOf(held)).code).toBe("in_use");
    const theirStage = (await pipelinesOf(stranger.tenantId))[0]!.stages[1]!.id;
    const elsewhere = await api(`/stages/${from!.id}?move_deals_to=${theirStage}`, { key, method: "DELETE" });
    expect(elsewhere.status).toBe(422);
    expect((await problemOf(elsewhere)).errors!.map((e) => e.field)).toEqual(["move_deals_to"]);
    expect((await api(`/stages/${from!.id}`, { key })).status).toBe(200);

    expect((await api(`/stages/${from!.id}?move_deals_to=${to!.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/stages/${from!.id}`, { key })).status).toBe(404);
    expect(await (await api(`/deals/${deal.id}`, { key })).json()).toMatchObject({ stage: { id: to!.id } });
    const events = await eventsOf(owner.tenantId);
    expect(events.map((e) => [e.type, JSON.parse(e.payload).id, JSON.parse(e.payload).previous_stage_id])).toEqual([
      ["deal.stage_changed", deal.id, from!.id],
    ]);

    const lone = (await (await api("/pipelines", { key, method: "POST", json: { name: "Lone" } })).json()) as Pipeline;
    const last = await api(`/stages/${lone.stages[0]!.id}`, { key, method: "DELETE" });
    expect(last.status).toBe(409);
    expect((await problemOf(last)).code).toBe("in_use");
  });
});
