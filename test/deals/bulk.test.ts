/** Bulk actions on the deal list: move, owner, tag, delete; roles; other workspaces' ids ignored. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { memberOf, newTenant } from "../helpers/tenants";
import { expectTotalsExact, insertDeals, post, rowsOf, stagesOf, userIdOf } from "./list-helpers";

const BULK = "/app/deals/list/bulk";

async function dealsOf(tenantId: string) {
  return (
    await env.DB.prepare("SELECT id, stage_id, owner_id, status FROM deals WHERE tenant_id = ? ORDER BY id")
      .bind(tenantId)
      .all<{ id: number; stage_id: number; owner_id: string | null; status: string }>()
  ).results;
}

async function workspaceWithDeals() {
  const owner = await newTenant("Bulk Deals Co");
  await post("/app/settings/pipelines", owner.cookie, { name: "Other" });
  const stages = await stagesOf(owner.tenantId);
  const [lead, qualified, proposal] = stages;
  const other = stages.find((s) => s.pipeline_name === "Other")!;
  const ids = await insertDeals(owner.tenantId, [
    { name: "A", stageId: lead!.id, amountMinor: 1000 },
    { name: "B", stageId: qualified!.id, amountMinor: 2000, currency: "EUR" },
    { name: "C", stageId: qualified!.id, amountMinor: 3000, status: "won" },
    { name: "D", stageId: other.id, amountMinor: 4000 },
    { name: "E", stageId: proposal!.id, amountMinor: 5000 },
  ]);
  return { owner, ids, lead: lead!, qualified: qualified!, proposal: proposal!, other };
}

describe("bulk actions", () => {
  it("moves the selection to a stage of the same pipeline in one step, totals exact, history and timeline kept", async () => {
    const { owner, ids, proposal, other } = await workspaceWithDeals();
    const res = await post(BULK, owner.cookie, {
      action: "move",
      stage_id: String(proposal.id),
      ids: ids.slice(0, 5).map(String),
      back: "/app/deals/list?sort=amount",
    });
    expect(res.status).toBe(303);
    // A, B, C move; D is in another pipeline, E is there already.
    expect(res.headers.get("Location")).toBe("/app/deals/list?sort=amount&notice=moved&n=3");
    const deals = await dealsOf(owner.tenantId);
    expect(deals.map((d) => d.stage_id)).toEqual([proposal.id, proposal.id, proposal.id, other.id, proposal.id]);
    await expectTotalsExact(owner.tenantId);
    const open = await env.DB.prepare(
      "SELECT count(*) AS n FROM deal_stage_history WHERE tenant_id = ? AND left_at IS NULL AND stage_id = ?",
    )
      .bind(owner.tenantId, proposal.id)
      .first<{ n: number }>();
    expect(open!.n).toBe(4);
    const entries = await env.DB.prepare(
      "SELECT subject_id, detail FROM activities WHERE tenant_id = ? AND subject_type = 'deal' ORDER BY subject_id",
    )
      .bind(owner.tenantId)
      .all<{ subject_id: number; detail: string }>();
    expect(entries.results).toEqual([
      { subject_id: ids[0], detail: JSON.stringify({ stage: ["Lead", "Proposal"] }) },
      { subject_id: ids[1], detail: JSON.stringify({ stage: ["Qualified", "Proposal"] }) },
      { subject_id: ids[2], detail: JSON.stringify({ stage: ["Qualified", "Proposal"] }) },
    ]);
  });

  it("two people moving the same deals at once leave the totals exact", async () => {
    const { owner, ids, proposal, lead } = await workspaceWithDeals();
    const admin = await memberOf(owner.tenantId, "admin");
    await Promise.all([
      post(BULK, owner.cookie, { action: "move", stage_id: String(proposal.id), ids: ids.map(String) }),
      post(BULK, admin.cookie, { action: "move", stage_id: String(lead.id), ids: ids.map(String) }),
    ]);
    await expectTotalsExact(owner.tenantId);
  });

  it("changes the owner to a member, adds a tag, and deletes after asking", async () => {
    const { owner, ids } = await workspaceWithDeals();
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const changed = await post(BULK, member.cookie, {
      action: "owner",
      owner_id: memberId,
      ids: ids.slice(0, 2).map(String),
    });
    expect(changed.headers.get("Location")).toContain("notice=owner_changed&n=2");
    expect((await dealsOf(owner.tenantId)).map((d) => d.owner_id)).toEqual([memberId, memberId, null, null, null]);
    const stranger = await newTenant("Stranger Co");
    const refused = await post(BULK, member.cookie, {
      action: "owner",
      owner_id: await userIdOf(stranger.email),
      ids: ids.map(String),
    });
    expect(refused.status).toBe(422);

    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Hot', 'hot', 'red', 0) RETURNING id",
    )
      .bind(owner.tenantId)
      .first<{ id: number }>();
    expect(
      (
        await post(BULK, member.cookie, { action: "tag", tag_id: String(tag!.id), ids: ids.slice(1, 3).map(String) })
      ).headers.get("Location"),
    ).toContain("notice=tagged&n=2");
    expect((await rowsOf("deal_tags", owner.tenantId)).length).toBe(2);

    const ask = await post(BULK, member.cookie, { action: "delete", ids: ids.slice(0, 2).map(String) });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Move 2 deals to the trash?");
    expect((await dealsOf(owner.tenantId)).length).toBe(5);
    const del = await post(BULK, member.cookie, { action: "delete", confirm: "1", ids: ids.slice(0, 2).map(String) });
    expect(del.headers.get("Location")).toContain("notice=deleted&n=2");
    expect((await dealsOf(owner.tenantId)).map((d) => d.id)).toEqual(ids.slice(2));
    const counter = await env.DB.prepare("SELECT deals FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ deals: number }>();
    expect(counter!.deals).toBe(3);
    await expectTotalsExact(owner.tenantId);
    expect((await rowsOf("deal_stage_history", owner.tenantId)).length).toBe(3);
  });

  it("viewers are refused; another workspace's deals, stages and tags change nothing", async () => {
    const { owner, ids, proposal } = await workspaceWithDeals();
    const viewer = await memberOf(owner.tenantId, "viewer");
    for (const action of ["move", "owner", "tag", "delete"])
      expect((await post(BULK, viewer.cookie, { action, ids: ids.map(String), confirm: "1" })).status).toBe(403);

    const other = await newTenant("Other Bulk Co");
    const before = await dealsOf(owner.tenantId);
    const totals = await rowsOf("deal_stage_totals", owner.tenantId);
    // Their ids are ignored (as the contacts' bulk actions do): nothing moves, nothing is deleted.
    const moved = await post(BULK, other.cookie, {
      action: "move",
      stage_id: String(proposal.id),
      ids: ids.map(String),
    });
    expect(moved.status).toBe(422);
    const ownStage = (await stagesOf(other.tenantId))[0]!;
    const ignored = await post(BULK, other.cookie, {
      action: "move",
      stage_id: String(ownStage.id),
      ids: ids.map(String),
    });
    expect(ignored.headers.get("Location")).toContain("notice=moved&n=0");
    expect((await post(BULK, other.cookie, { action: "delete", ids: ids.map(String) })).status).toBe(422);
    expect(
      (await post(BULK, other.cookie, { action: "delete", confirm: "1", ids: ids.map(String) })).headers.get(
        "Location",
      ),
    ).toContain("notice=deleted&n=0");
    const ownerTag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Mine', 'mine', 'red', 0) RETURNING id",
    )
      .bind(owner.tenantId)
      .first<{ id: number }>();
    expect(
      (await post(BULK, other.cookie, { action: "tag", tag_id: String(ownerTag!.id), ids: ids.map(String) })).status,
    ).toBe(422);
    expect(await dealsOf(owner.tenantId)).toEqual(before);
    expect(await rowsOf("deal_stage_totals", owner.tenantId)).toEqual(totals);
    expect(await rowsOf("deal_tags", owner.tenantId)).toEqual([]);
  });
});
