/** /api/v1/pipelines: the workspace's pipelines with their stages in board order, and only its own. */
import { describe, expect, it } from "vitest";
import { addPipeline, pipelinesOf } from "../deals/helpers";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Pipeline = { id: number; name: string; stages: { id: number; name: string; open_deals: number }[] };

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
