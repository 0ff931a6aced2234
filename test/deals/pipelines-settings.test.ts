/** Settings → Pipelines through real requests: pipelines, stages and lost reasons, roles and isolation. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { expectTotalsExact, fieldError, insertDeals, page, post, rowsOf, stagesOf } from "./list-helpers";

const BASE = "/app/settings/pipelines";

async function pipelinesOf(tenantId: string) {
  return queryRows<{ id: number; name: string; position: number }>(
    "SELECT id, name, position FROM pipelines WHERE tenant_id = ? ORDER BY position, id",
    tenantId,
  );
}

async function auditActions(tenantId: string) {
  return (
    await queryRows<{ action: string }>(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action NOT LIKE 'auth.%' ORDER BY id",
      tenantId,
    )
  ).map((r) => r.action);
}

describe("pipelines", () => {
  it("an admin adds a pipeline (starting with one stage), renames and reorders it; each change audited", async () => {
    const owner = await newTenant("Pipes Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const added = await post(BASE, admin.cookie, { name: "Renewals" });
    expect(added.status).toBe(303);
    const [sales, renewals] = await pipelinesOf(owner.tenantId);
    expect([sales!.name, renewals!.name]).toEqual(["Sales", "Renewals"]);
    const stages = (await stagesOf(owner.tenantId)).filter((s) => s.pipeline_id === renewals!.id);
    expect(stages.map((s) => [s.name, s.probability])).toEqual([["New", 0]]);
    expect(await page(BASE, admin.cookie)).toContain("Won and Lost are not stages");

    expect((await post(`${BASE}/${renewals!.id}`, admin.cookie, { name: "Renewal deals" })).status).toBe(303);
    expect((await post(`${BASE}/${renewals!.id}/move`, admin.cookie, { direction: "up" })).status).toBe(303);
    expect((await pipelinesOf(owner.tenantId)).map((p) => p.name)).toEqual(["Renewal deals", "Sales"]);
    // The stages carry their pipeline's new position (the deal list's stage sort reads it).
    const after = await stagesOf(owner.tenantId);
    expect(after[0]!.pipeline_name).toBe("Renewal deals");
    expect(new Set(after.filter((s) => s.pipeline_name === "Sales").map((s) => s.pipeline_position))).toEqual(
      new Set([1]),
    );
    expect(await auditActions(owner.tenantId)).toEqual(
      expect.arrayContaining(["pipeline.created", "pipeline.renamed", "pipeline.moved"]),
    );
  });

  it("refuses an empty or taken name (any case) with the message by the field, writing nothing", async () => {
    const owner = await newTenant("Names Co");
    const before = await rowsOf("pipelines", owner.tenantId);
    for (const [name, message] of [
      ["", "Enter pipeline name."],
      ["SALES", "A pipeline with this name already exists."],
    ] as const) {
      const res = await post(BASE, owner.cookie, { name });
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), "new-pipeline-name")).toBe(message);
    }
    expect(await rowsOf("pipelines", owner.tenantId)).toEqual(before);
  });

  it("deletes an empty pipeline; one with deals says how many and links to them; the last one stays", async () => {
    const owner = await newTenant("Delete Pipes Co");
    const [sales] = await pipelinesOf(owner.tenantId);
    const onlyOne = await page(`${BASE}/${sales!.id}/delete`, owner.cookie);
    expect(onlyOne).toContain("only pipeline");
    expect((await post(`${BASE}/${sales!.id}/delete`, owner.cookie, {})).status).toBe(409);

    await post(BASE, owner.cookie, { name: "Spare" });
    await post(BASE, owner.cookie, { name: "Busy" });
    const all = await pipelinesOf(owner.tenantId);
    const busy = all.find((p) => p.name === "Busy")!;
    const spare = all.find((p) => p.name === "Spare")!;
    const busyStage = (await stagesOf(owner.tenantId)).find((s) => s.pipeline_id === busy.id)!;
    await insertDeals(owner.tenantId, [
      { name: "One", stageId: busyStage.id },
      { name: "Two", stageId: busyStage.id, status: "won" },
    ]);
    const blocked = await post(`${BASE}/${busy.id}/delete`, owner.cookie, {});
    expect(blocked.status).toBe(409);
    const html = await blocked.text();
    expect(html).toContain("holds 2 deals");
    expect(html).toContain(`href="/app/deals/list?pipeline=${busy.id}"`);
    expect((await post(`${BASE}/${spare.id}/delete`, owner.cookie, {})).status).toBe(303);
    expect((await pipelinesOf(owner.tenantId)).map((p) => p.name).sort()).toEqual(["Busy", "Sales"]);
    expect((await stagesOf(owner.tenantId)).some((s) => s.pipeline_id === spare.id)).toBe(false);
  });
});

describe("stages", () => {
  it("adds, renames, sets the probability and reorders stages", async () => {
    const owner = await newTenant("Stages Co");
    const [sales] = await pipelinesOf(owner.tenantId);
    expect((await post(`${BASE}/${sales!.id}/stages`, owner.cookie, { name: "Demo", probability: "40" })).status).toBe(
      303,
    );
    let stages = await stagesOf(owner.tenantId);
    expect(stages.map((s) => s.name)).toEqual(["Lead", "Qualified", "Proposal", "Negotiation", "Demo"]);
    const demo = stages.at(-1)!;
    expect(
      (await post(`${BASE}/stages/${demo.id}`, owner.cookie, { name: "Live demo", probability: "45" })).status,
    ).toBe(303);
    expect((await post(`${BASE}/stages/${demo.id}/move`, owner.cookie, { direction: "up" })).status).toBe(303);
    stages = await stagesOf(owner.tenantId);
    expect(stages.map((s) => `${s.name} ${s.probability}`)).toEqual([
      "Lead 10",
      "Qualified 25",
      "Proposal 50",
      "Live demo 45",
      "Negotiation 75",
    ]);
    // The first stage cannot go further up.
    await post(`${BASE}/stages/${stages[0]!.id}/move`, owner.cookie, { direction: "up" });
    expect((await stagesOf(owner.tenantId))[0]!.name).toBe("Lead");
    expect(await auditActions(owner.tenantId)).toEqual(
      expect.arrayContaining(["stage.created", "stage.updated", "stage.moved"]),
    );
  });

  it("a probability that is not a whole number from 0 to 100 is refused by the field, nothing written", async () => {
    const owner = await newTenant("Probability Co");
    const [sales] = await pipelinesOf(owner.tenantId);
    const lead = (await stagesOf(owner.tenantId))[0]!;
    const before = await rowsOf("pipeline_stages", owner.tenantId);
    for (const probability of ["abc", "101", "-1", "12.5", ""]) {
      const add = await post(`${BASE}/${sales!.id}/stages`, owner.cookie, { name: "X", probability });
      expect(add.status, probability).toBe(422);
      expect(fieldError(await add.text(), `new-stage-${sales!.id}-probability`), probability).toMatch(
        /whole number from 0 to 100|Enter the win probability/,
      );
      const edit = await post(`${BASE}/stages/${lead.id}`, owner.cookie, { name: "Lead", probability });
      expect(edit.status, probability).toBe(422);
      expect(fieldError(await edit.text(), `stage-${lead.id}-probability`), probability).not.toBeNull();
    }
    expect(await rowsOf("pipeline_stages", owner.tenantId)).toEqual(before);
  });

  it("a stage with deals is removed only by moving them, in one step that keeps the totals exact", async () => {
    const owner = await newTenant("Remove Stage Co");
    const [lead, qualified, , negotiation] = await stagesOf(owner.tenantId);
    const ids = await insertDeals(owner.tenantId, [
      { name: "A", stageId: lead!.id, amountMinor: 1000 },
      { name: "B", stageId: lead!.id, amountMinor: 2500, currency: "EUR" },
      { name: "C", stageId: lead!.id, amountMinor: 700, status: "lost", lostReason: "Price" },
      { name: "D", stageId: qualified!.id, amountMinor: 300 },
    ]);
    const confirm = await page(`${BASE}/stages/${lead!.id}/delete`, owner.cookie);
    expect(confirm).toContain("holds 3 deals");
    expect(confirm).toContain('name="target_stage_id"');
    // Without a target the stage stays.
    const refused = await post(`${BASE}/stages/${lead!.id}/delete`, owner.cookie, {});
    expect(refused.status).toBe(422);
    expect((await stagesOf(owner.tenantId)).some((s) => s.id === lead!.id)).toBe(true);

    const res = await post(`${BASE}/stages/${lead!.id}/delete`, owner.cookie, {
      target_stage_id: String(negotiation!.id),
    });
    expect(res.status).toBe(303);
    expect((await stagesOf(owner.tenantId)).some((s) => s.id === lead!.id)).toBe(false);
    const moved = await env.DB.prepare(
      "SELECT id, stage_id, status FROM deals WHERE tenant_id = ? AND id IN (?, ?, ?) ORDER BY id",
    )
      .bind(owner.tenantId, ids[0], ids[1], ids[2])
      .all<{ stage_id: number; status: string }>();
    expect(moved.results.map((d) => [d.stage_id, d.status])).toEqual([
      [negotiation!.id, "open"],
      [negotiation!.id, "open"],
      [negotiation!.id, "lost"],
    ]);
    await expectTotalsExact(owner.tenantId);
    // Every moved deal: its old span closed, a new one open in the target; a timeline entry naming both stages.
    const spans = await env.DB.prepare(
      "SELECT deal_id, stage_id, left_at FROM deal_stage_history WHERE tenant_id = ? AND deal_id = ? ORDER BY id",
    )
      .bind(owner.tenantId, ids[0])
      .all<{ stage_id: number; left_at: number | null }>();
    expect(spans.results.map((s) => [s.stage_id, s.left_at === null])).toEqual([
      [lead!.id, false],
      [negotiation!.id, true],
    ]);
    const timeline = await env.DB.prepare(
      "SELECT subject_id, detail FROM activities WHERE tenant_id = ? AND subject_type = 'deal' ORDER BY subject_id",
    )
      .bind(owner.tenantId)
      .all<{ subject_id: number; detail: string }>();
    expect(timeline.results).toEqual(
      ids.slice(0, 3).map((id) => ({ subject_id: id, detail: JSON.stringify({ stage: ["Lead", "Negotiation"] }) })),
    );
    expect(await auditActions(owner.tenantId)).toContain("stage.deleted");
  });

  it("a stage of another pipeline is not a place to move deals; an empty stage goes; the last stays", async () => {
    const owner = await newTenant("Stage Rules Co");
    await post(BASE, owner.cookie, { name: "Other" });
    const stages = await stagesOf(owner.tenantId);
    const lead = stages.find((s) => s.name === "Lead")!;
    const otherNew = stages.find((s) => s.pipeline_name === "Other")!;
    await insertDeals(owner.tenantId, [{ name: "Stays", stageId: lead.id, amountMinor: 100 }]);
    const wrong = await post(`${BASE}/stages/${lead.id}/delete`, owner.cookie, {
      target_stage_id: String(otherNew.id),
    });
    expect(wrong.status).toBe(422);
    expect(fieldError(await wrong.text(), "f-target-stage")).toBe("Choose a stage of this pipeline.");
    expect((await stagesOf(owner.tenantId)).some((s) => s.id === lead.id)).toBe(true);
    await expectTotalsExact(owner.tenantId);

    const proposal = stages.find((s) => s.name === "Proposal")!;
    expect((await post(`${BASE}/stages/${proposal.id}/delete`, owner.cookie, {})).status).toBe(303);
    // "Other" has one stage: it cannot be removed.
    expect(await page(`${BASE}/stages/${otherNew.id}/delete`, owner.cookie, 409)).toContain("at least one stage");
    expect((await post(`${BASE}/stages/${otherNew.id}/delete`, owner.cookie, {})).status).toBe(409);
    expect((await stagesOf(owner.tenantId)).some((s) => s.id === otherNew.id)).toBe(true);
  });
});

describe("lost reasons", () => {
  it("admins add, rename, reorder and remove reasons; lost deals keep the text", async () => {
    const owner = await newTenant("Reasons Co");
    const reasons = async () =>
      (
        await env.DB.prepare("SELECT id, name FROM lost_reasons WHERE tenant_id = ? ORDER BY position, id")
          .bind(owner.tenantId)
          .all<{ id: number; name: string }>()
      ).results;
    expect((await post(`${BASE}/lost-reasons`, owner.cookie, { name: "Chose to build it" })).status).toBe(303);
    const taken = await post(`${BASE}/lost-reasons`, owner.cookie, { name: "price" });
    expect(taken.status).toBe(422);
    expect(fieldError(await taken.text(), "new-reason-name")).toBe("This reason is on the list already.");
    const list = await reasons();
    expect(list.map((r) => r.name)).toEqual([
      "Price",
      "Went with a competitor",
      "No budget",
      "Bad timing",
      "No response",
      "Chose to build it",
    ]);
    const price = list[0]!;
    const lead = (await stagesOf(owner.tenantId))[0]!;
    const [deal] = await insertDeals(owner.tenantId, [
      { name: "L", stageId: lead.id, status: "lost", lostReason: "Price" },
    ]);
    expect((await post(`${BASE}/lost-reasons/${price.id}/move`, owner.cookie, { direction: "down" })).status).toBe(303);
    expect((await reasons())[1]!.name).toBe("Price");
    expect((await post(`${BASE}/lost-reasons/${price.id}`, owner.cookie, { name: "Too expensive" })).status).toBe(303);
    expect((await post(`${BASE}/lost-reasons/${price.id}/delete`, owner.cookie, {})).status).toBe(303);
    expect((await reasons()).some((r) => r.id === price.id)).toBe(false);
    const kept = await env.DB.prepare("SELECT lost_reason FROM deals WHERE id = ?")
      .bind(deal)
      .first<{ lost_reason: string }>();
    expect(kept!.lost_reason).toBe("Price");
    expect(await auditActions(owner.tenantId)).toEqual(
      expect.arrayContaining([
        "lost_reason.created",
        "lost_reason.moved",
        "lost_reason.updated",
        "lost_reason.deleted",
      ]),
    );
  });
});

describe("isolation and roles", () => {
  it("another workspace's pipeline, stage or reason is a 404 on every route, and nothing changes", async () => {
    const mine = await newTenant("Mine Co");
    const theirs = await newTenant("Theirs Co");
    const [pipeline] = await pipelinesOf(theirs.tenantId);
    const [stage, second] = await stagesOf(theirs.tenantId);
    const [reason] = (
      await env.DB.prepare("SELECT id FROM lost_reasons WHERE tenant_id = ?")
        .bind(theirs.tenantId)
        .all<{ id: number }>()
    ).results;
    const before = [await rowsOf("pipelines", theirs.tenantId), await rowsOf("pipeline_stages", theirs.tenantId)];
    const attempts: [string, Record<string, string> | null][] = [
      [`${BASE}/${pipeline!.id}`, { name: "Stolen" }],
      [`${BASE}/${pipeline!.id}/move`, { direction: "down" }],
      [`${BASE}/${pipeline!.id}/stages`, { name: "Injected", probability: "5" }],
      [`${BASE}/${pipeline!.id}/delete`, {}],
      [`${BASE}/${pipeline!.id}/delete`, null],
      [`${BASE}/stages/${stage!.id}`, { name: "Stolen", probability: "5" }],
      [`${BASE}/stages/${stage!.id}/move`, { direction: "down" }],
      [`${BASE}/stages/${stage!.id}/delete`, { target_stage_id: String(second!.id) }],
      [`${BASE}/stages/${stage!.id}/delete`, null],
      [`${BASE}/lost-reasons/${reason!.id}`, { name: "Stolen" }],
      [`${BASE}/lost-reasons/${reason!.id}/move`, { direction: "down" }],
      [`${BASE}/lost-reasons/${reason!.id}/delete`, {}],
    ];
    for (const [path, form] of attempts) {
      const res = form ? await post(path, mine.cookie, form) : await send(path, { cookie: mine.cookie });
      expect(res.status, path).toBe(404);
    }
    expect([await rowsOf("pipelines", theirs.tenantId), await rowsOf("pipeline_stages", theirs.tenantId)]).toEqual(
      before,
    );
  });

  it("members and viewers are refused (403); admins and owners manage", async () => {
    const owner = await newTenant("Roles Pipes Co");
    const [pipeline] = await pipelinesOf(owner.tenantId);
    for (const role of ["viewer", "member"] as const) {
      const user = await memberOf(owner.tenantId, role);
      expect((await send(BASE, { cookie: user.cookie })).status, role).toBe(403);
      expect((await post(BASE, user.cookie, { name: `By ${role}` })).status, role).toBe(403);
      expect((await post(`${BASE}/${pipeline!.id}/stages`, user.cookie, { name: "X", probability: "1" })).status).toBe(
        403,
      );
    }
    expect((await pipelinesOf(owner.tenantId)).length).toBe(1);
  });
});
