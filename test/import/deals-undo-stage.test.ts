/**
 * Undoing a deals import after an admin removed a stage the import had moved a deal out of: the undo
 * cannot put the deal back in a stage that is gone, so it leaves it where it is, lists it as kept with the
 * reason, and undoes everything else of the import (as restoring a trashed deal does with its stage).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { expectTotalsExact, pipelinesOf } from "../deals/helpers";
import { importFile, waitFor } from "./helpers";

const importDeals = (cookie: string, csv: string[]) => importFile(cookie, csv.join("\n"), { kind: "deals" });

async function dealsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    `SELECT d.name, d.amount_minor, s.name AS stage FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id
     WHERE d.tenant_id = ? ORDER BY d.id`,
  )
    .bind(tenantId)
    .all<{ name: string; amount_minor: number; stage: string }>();
  return results;
}

describe("deal imports: undo after a stage was removed", () => {
  it("the deal moved out of the removed Lead stays where it is, listed as kept; the rest of the import is undone", async () => {
    const owner = await newTenant();
    await importDeals(owner.cookie, [
      "Name,Amount,Currency,Stage",
      "Moved deal,100,USD,Lead",
      "Other deal,50,USD,Qualified",
    ]);
    const { id, result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Stage",
      "Moved deal,120,USD,Proposal",
      "Other deal,70,USD,Qualified",
      "Brand new,10,USD,Qualified",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 1, updated_count: 2 });

    // The admin removes Lead (empty now: the import moved its deal out), through Settings → Pipelines.
    const stages = (await pipelinesOf(owner.tenantId))[0]!.stages;
    const lead = stages.find((s) => s.name === "Lead")!;
    const qualified = stages.find((s) => s.name === "Qualified")!;
    const removed = await send(`/app/settings/pipelines/stages/${lead.id}/delete`, {
      cookie: owner.cookie,
      form: { target_stage_id: String(qualified.id) },
    });
    expect(removed.status).toBe(303);
    expect((await pipelinesOf(owner.tenantId))[0]!.stages.map((s) => s.name)).not.toContain("Lead");

    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const undone = await waitFor(id, ["undone", "failed"]);
    expect(undone.status).toBe("undone");
    const kept = JSON.parse(undone.undo_kept!) as { total: number; items: { name: string; fields: string[] }[] };
    expect(kept.total).toBe(1);
    expect(kept.items[0]).toMatchObject({ name: "Moved deal", fields: [expect.stringContaining("removed")] });

    // Its amount is back, its stage is the one it is in; the other deal is restored and the new one gone.
    expect(await dealsOf(owner.tenantId)).toEqual([
      { name: "Moved deal", amount_minor: 10000, stage: "Proposal" },
      { name: "Other deal", amount_minor: 5000, stage: "Qualified" },
    ]);
    await expectTotalsExact(owner.tenantId);
    const open = await env.DB.prepare(
      "SELECT count(*) AS n FROM deal_stage_history WHERE tenant_id = ? AND left_at IS NULL",
    )
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(open!.n).toBe(2);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Moved deal");
    expect(page).toContain("the stage it was in before the import was removed");
  });
});
