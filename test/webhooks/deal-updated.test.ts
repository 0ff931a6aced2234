/**
 * deal.updated: written in the change's own batch when a deal's fields change, from the deal form, an API PATCH
 * the deal list's bulk owner and tag changes and a deal import's updates, carrying the deal as it now is and the
 * fields that changed.
 * A stage change alone is deal.stage_changed, not deal.updated.
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { createDeal, dealRow, pipelinesOf } from "../deals/helpers";
import { insertDeals, post, userIdOf } from "../deals/list-helpers";
import { insertTag } from "../helpers/records";
import { importFile } from "../import/helpers";
import { memberOf, newTenant } from "../helpers/tenants";
import { addEndpoint, deliveriesOf, eventsOf, receiverUrl } from "./helpers";

const DEAL_EVENTS = ["deal.created", "deal.updated", "deal.stage_changed"];
const payloads = async (tenantId: string, type: string) =>
  (await eventsOf(tenantId)).filter((e) => e.type === type).map((e) => JSON.parse(e.payload));

describe("deal.updated", () => {
  it("the deal form: one event with the new values; a stage-only edit is deal.stage_changed", async () => {
    const t = await newTenant("Updated Deals Form");
    const stages = (await pipelinesOf(t.tenantId))[0]!.stages;
    const hot = await insertTag(t.tenantId, "Hot");
    await addEndpoint(t.cookie, receiverUrl("deal-updated-form"), DEAL_EVENTS);
    const id = await createDeal(t.cookie, { name: "Form deal", amount: "10", stage_id: String(stages[0]!.id) });
    const edit = async (form: Record<string, string | string[]>) => {
      const row = (await dealRow(id))!;
      const [version, owner_id] = [String(row.updated_at), String(row.owner_id)];
      const res = await post(`/app/deals/${id}`, t.cookie, {
        stage_id: String(stages[0]!.id),
        owner_id,
        version,
        ...form,
      });
      expect(res.status, await res.clone().text()).toBe(303);
    };
    await edit({ name: "Form deal, bigger", amount: "25", tag_ids: [String(hot)] });
    const [updated] = await payloads(t.tenantId, "deal.updated");
    expect(updated).toMatchObject({
      id,
      name: "Form deal, bigger",
      amount_minor: 2500,
      stage_id: stages[0]!.id,
      tags: [{ id: hot, name: "Hot" }],
      contacts: [],
      custom_fields: {},
    });
    expect(updated.changed.sort()).toEqual(["amount_minor", "name", "tags"]);
    // The stage alone: where it went and where it was, and no deal.updated.
    await edit({ name: "Form deal, bigger", amount: "25", tag_ids: [String(hot)], stage_id: String(stages[1]!.id) });
    // Saving the form unchanged writes nothing.
    await edit({ name: "Form deal, bigger", amount: "25", tag_ids: [String(hot)], stage_id: String(stages[1]!.id) });
    expect((await eventsOf(t.tenantId)).map((e) => e.type)).toEqual([
      "deal.created",
      "deal.updated",
      "deal.stage_changed",
    ]);
    expect((await payloads(t.tenantId, "deal.stage_changed"))[0]).toMatchObject({
      id,
      stage_id: stages[1]!.id,
      previous_stage_id: stages[0]!.id,
      previous_stage: stages[0]!.name,
    });
  });

  it("API PATCH: fields send deal.updated; a stage move alone sends only deal.stage_changed", async () => {
    const t = await newTenant("Updated Deals API");
    const stages = (await pipelinesOf(t.tenantId))[0]!.stages;
    await addEndpoint(t.cookie, receiverUrl("deal-updated-api"), ["deal.updated", "deal.stage_changed"]);
    const key = await makeKey(t.cookie);
    const res = await api("/deals", { key, method: "POST", json: { name: "API deal", amount_minor: 500 } });
    const { id } = (await res.json()) as { id: number };
    const patch = async (json: unknown) =>
      expect((await api(`/deals/${id}`, { key, method: "PATCH", json })).status).toBe(200);

    await patch({ amount_minor: 900, close_date: "2027-01-31" });
    let events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["deal.updated"]);
    const data = JSON.parse(events[0]!.payload);
    expect(data).toMatchObject({ id, amount_minor: 900, close_date: "2027-01-31", name: "API deal" });
    expect(data.changed.sort()).toEqual(["amount_minor", "close_date"]);

    await patch({ stage_id: stages[2]!.id });
    events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["deal.updated", "deal.stage_changed"]);
    // Sending what it already is changes nothing.
    await patch({ amount_minor: 900, stage_id: stages[2]!.id });
    expect(await eventsOf(t.tenantId)).toHaveLength(2);
  });

  it("bulk owner and tag changes send one event per deal changed; another workspace's endpoint gets nothing", async () => {
    const t = await newTenant("Updated Deals Bulk");
    const stranger = await newTenant("Updated Deals Stranger");
    await addEndpoint(stranger.cookie, receiverUrl("deal-updated-stranger"), DEAL_EVENTS);
    await addEndpoint(t.cookie, receiverUrl("deal-updated-bulk"), ["deal.updated"]);
    const stage = (await pipelinesOf(t.tenantId))[0]!.stages[0]!.id;
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const ids = await insertDeals(t.tenantId, [
      { name: "A", stageId: stage },
      { name: "B", stageId: stage },
      { name: "C", stageId: stage, ownerId: memberId },
    ]);
    const bulk = (form: Record<string, string>, of: number[]) =>
      post("/app/deals/list/bulk", t.cookie, { ...form, ids: of.map(String) });

    // C has that owner already: two events, for A and B.
    expect((await bulk({ action: "owner", owner_id: memberId }, ids)).status).toBe(303);
    const owned = await payloads(t.tenantId, "deal.updated");
    expect(owned.map((p) => p.id).sort()).toEqual([ids[0], ids[1]].sort());
    for (const p of owned) expect(p).toMatchObject({ owner_id: memberId, changed: ["owner_id"] });
    const updatedAt = new Date((await dealRow(ids[0]!))!.updated_at as number).toISOString();
    expect(owned.find((p) => p.id === ids[0])!.updated_at).toBe(updatedAt);

    const vip = await insertTag(t.tenantId, "VIP");
    await bulk({ action: "tag", tag_id: String(vip) }, [ids[2]!]);
    await bulk({ action: "tag", tag_id: String(vip) }, ids);
    const tagged = (await payloads(t.tenantId, "deal.updated")).slice(2);
    expect(tagged.map((p) => p.id).sort()).toEqual([...ids].sort());
    for (const p of tagged) expect(p).toMatchObject({ tags: [{ id: vip, name: "VIP" }], changed: ["tags"] });
    expect(await deliveriesOf(t.tenantId)).toHaveLength(5);

    expect(await eventsOf(stranger.tenantId)).toEqual([]);
    expect(await deliveriesOf(stranger.tenantId)).toEqual([]);
  });

  it("a deal import's update of amount or close date sends deal.updated; one changing only the stage does not", async () => {
    const t = await newTenant("Updated Deals Import");
    const header = "Name,Amount,Currency,Stage,Status,Close date";
    const file = (...rows: string[]) => [header, ...rows].join("\n");
    const first = await importFile(
      t.cookie,
      file("Renewal,100.00,USD,Lead,open,2027-01-01", "Upsell,50.00,USD,Lead,open,"),
      { kind: "deals", name: "deals.csv" },
    );
    expect(first.result.status).toBe("done");
    await addEndpoint(t.cookie, receiverUrl("deal-updated-import"), ["deal.updated"]);
    const second = await importFile(
      t.cookie,
      file("Renewal,250.00,USD,Lead,open,2027-02-01", "Upsell,50.00,USD,Qualified,open,"),
      { kind: "deals", name: "deals.csv" },
    );
    expect(second.result.status).toBe("done");
    const events = await payloads(t.tenantId, "deal.updated");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: "Renewal", amount_minor: 25000, close_date: "2027-02-01" });
    expect(events[0].changed.sort()).toEqual(["amount_minor", "close_date"]);
  });
});
