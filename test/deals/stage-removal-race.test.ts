/**
 * A stage removed by another admin while a write still counts on it: removing a stage into it (moving deals there),
 * and saving a deal into it. Each answers with a message and writes nothing, never a 500.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { STAGE_GONE_MESSAGE } from "../../src/services/deals/stage-gone";
import { api, makeKey, problemOf } from "../api/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { queryRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";
import { createDeal, dealRow, dealState } from "./helpers";
import { expectTotalsExact, fieldError, insertDeals, post, stagesOf } from "./list-helpers";

const BASE = "/app/settings/pipelines";

/** What a refused write must leave as it was: the deal tables, the stages, the audit trail and the webhook events. */
async function everything(tenantId: string) {
  return {
    deals: await dealState(tenantId),
    stages: await stagesOf(tenantId),
    audit: await queryRows("SELECT id, action FROM audit_log WHERE tenant_id = ? ORDER BY id", tenantId),
    events: await queryRows("SELECT id FROM webhook_events WHERE tenant_id = ? ORDER BY id", tenantId),
  };
}

describe("removing a stage into one removed meanwhile", () => {
  it("answers the page again (409) with the message by the target, and writes nothing", async () => {
    const owner = await newTenant("Stage Gone Co");
    const [lead, qualified] = await stagesOf(owner.tenantId);
    await insertDeals(owner.tenantId, [
      { name: "Open one", stageId: lead!.id, amountMinor: 1000 },
      { name: "Lost one", stageId: lead!.id, amountMinor: 500, status: "lost", lostReason: "Price" },
    ]);
    let before: Awaited<ReturnType<typeof everything>> | undefined;
    // Admin B removes Qualified (empty) after admin A's checks and before A's batch moves Lead's deals into it.
    const DB = raceBeforeBatch(env.DB, /DELETE FROM pipeline_stages/i, async () => {
      expect((await post(`${BASE}/stages/${qualified!.id}/delete`, owner.cookie, {})).status).toBe(303);
      before = await everything(owner.tenantId);
    });
    const res = await send(`${BASE}/stages/${lead!.id}/delete`, {
      cookie: owner.cookie,
      form: { target_stage_id: String(qualified!.id) },
      env: { DB },
    });
    expect(res.status).toBe(409);
    expect(fieldError(await res.text(), "f-target-stage")).toBe("That stage was removed meanwhile; choose another.");
    expect(await everything(owner.tenantId)).toEqual(before);
    await expectTotalsExact(owner.tenantId);
  });

  it("through the API: 409 conflict, nothing written", async () => {
    const owner = await newTenant("Stage Gone API Co");
    const key = await makeKey(owner.cookie);
    const [lead, qualified] = await stagesOf(owner.tenantId);
    await insertDeals(owner.tenantId, [{ name: "Open one", stageId: lead!.id, amountMinor: 1000 }]);
    let before: Awaited<ReturnType<typeof everything>> | undefined;
    const DB = raceBeforeBatch(env.DB, /DELETE FROM pipeline_stages/i, async () => {
      expect((await api(`/stages/${qualified!.id}`, { key, method: "DELETE" })).status).toBe(204);
      before = await everything(owner.tenantId);
    });
    const res = await api(`/stages/${lead!.id}?move_deals_to=${qualified!.id}`, { key, method: "DELETE", env: { DB } });
    expect(res.status).toBe(409);
    expect((await problemOf(res)).code).toBe("conflict");
    expect(await everything(owner.tenantId)).toEqual(before);
  });
});

describe("saving a deal into a stage removed meanwhile", () => {
  it("an edit: the form again (422) with the message by the stage, the deal as it was", async () => {
    const owner = await newTenant("Deal Stage Gone Co");
    const [lead, , proposal] = await stagesOf(owner.tenantId);
    const id = await createDeal(owner.cookie, { name: "Moving", amount: "100", stage_id: String(lead!.id) });
    const version = (await dealRow(id))!.updated_at as number;
    let before: Awaited<ReturnType<typeof everything>> | undefined;
    const DB = raceBeforeBatch(env.DB, /^update "deals"/i, async () => {
      expect((await post(`${BASE}/stages/${proposal!.id}/delete`, owner.cookie, {})).status).toBe(303);
      before = await everything(owner.tenantId);
    });
    const res = await send(`/app/deals/${id}`, {
      cookie: owner.cookie,
      form: { name: "Moving on", amount: "200", stage_id: String(proposal!.id), version: String(version) },
      env: { DB },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-stage_id")).toBe(STAGE_GONE_MESSAGE);
    expect(await everything(owner.tenantId)).toEqual(before);
    expect(await dealRow(id)).toMatchObject({ name: "Moving", stage_id: lead!.id });
  });

  it("a new deal: the form again (422) with the message by the stage, no deal", async () => {
    const owner = await newTenant("New Deal Stage Gone Co");
    const [, , proposal] = await stagesOf(owner.tenantId);
    let before: Awaited<ReturnType<typeof everything>> | undefined;
    const DB = raceBeforeBatch(env.DB, /^insert into "deals"/i, async () => {
      expect((await post(`${BASE}/stages/${proposal!.id}/delete`, owner.cookie, {})).status).toBe(303);
      before = await everything(owner.tenantId);
    });
    const res = await send("/app/deals", {
      cookie: owner.cookie,
      form: { name: "Never made", amount: "10", stage_id: String(proposal!.id) },
      env: { DB },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-stage_id")).toBe(STAGE_GONE_MESSAGE);
    expect(await everything(owner.tenantId)).toEqual(before);
  });
});

describe("an API change of a deal into a stage removed meanwhile", () => {
  it("PATCH and POST answer a problem, never a 500, and write nothing", async () => {
    const owner = await newTenant("API Deal Stage Gone Co");
    const key = await makeKey(owner.cookie);
    const [lead, , proposal, won] = await stagesOf(owner.tenantId);
    const id = await createDeal(owner.cookie, { name: "Via API", amount: "100", stage_id: String(lead!.id) });
    let before: Awaited<ReturnType<typeof everything>> | undefined;
    const gone = (stage: number) =>
      raceBeforeBatch(env.DB, /update "?deals"?|insert into "?deals"?/i, async () => {
        expect((await post(`${BASE}/stages/${stage}/delete`, owner.cookie, {})).status).toBe(303);
        before = await everything(owner.tenantId);
      });
    const patched = await api(`/deals/${id}`, {
      key,
      method: "PATCH",
      json: { stage_id: proposal!.id },
      env: { DB: gone(proposal!.id) },
    });
    expect([409, 422]).toContain(patched.status);
    expect(await everything(owner.tenantId)).toEqual(before);
    const created = await api("/deals", {
      key,
      method: "POST",
      json: { name: "Never made", stage_id: won!.id },
      env: { DB: gone(won!.id) },
    });
    expect([409, 422]).toContain(created.status);
    expect(await everything(owner.tenantId)).toEqual(before);
  });
});
