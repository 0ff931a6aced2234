/** Another workspace's deal, stage or pipeline id answers 404 on every deal route, and nothing changes. */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createDeal, dealRow, dealState, pipelinesOf, post } from "./helpers";

describe("deals across workspaces", () => {
  it("every deal route answers 404 for another workspace's deal, stage and pipeline", async () => {
    const mine = await newTenant("Mine Co");
    const theirs = await newTenant("Theirs Co");
    const myStages = (await pipelinesOf(mine.tenantId))[0]!;
    const their = (await pipelinesOf(theirs.tenantId))[0]!;
    const theirDeal = await createDeal(theirs.cookie, {
      name: "Their secret deal",
      amount: "5",
      stage_id: String(their.stages[0]!.id),
    });
    const myDeal = await createDeal(mine.cookie, {
      name: "My deal",
      amount: "5",
      stage_id: String(myStages.stages[0]!.id),
    });
    const before = await dealState(theirs.tenantId);

    const gets = [
      `/app/deals/${theirDeal}`,
      `/app/deals/${theirDeal}/edit`,
      `/app/deals?pipeline=${their.id}`,
      `/app/deals/column?stage=${their.stages[0]!.id}`,
    ];
    for (const path of gets) {
      const res = await send(path, { cookie: mine.cookie });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("Their secret deal");
    }
    const posts: [string, Record<string, string>][] = [
      [`/app/deals/${theirDeal}`, { name: "Taken", stage_id: String(their.stages[0]!.id) }],
      [`/app/deals/${theirDeal}/move`, { stage_id: String(their.stages[1]!.id) }],
      [`/app/deals/${theirDeal}/won`, {}],
      [`/app/deals/${theirDeal}/lost`, { reason_text: "Gone" }],
      [`/app/deals/${theirDeal}/reopen`, {}],
      [`/app/deals/${theirDeal}/notes`, { body: "Hello" }],
      [`/app/deals/${theirDeal}/delete`, {}],
      // My deal into their stage.
      [`/app/deals/${myDeal}/move`, { stage_id: String(their.stages[1]!.id) }],
    ];
    for (const [path, form] of posts) {
      const res = await post(path, mine.cookie, form);
      expect(res.status, path).toBe(404);
    }
    expect(await dealState(theirs.tenantId)).toEqual(before);
    expect((await dealRow(myDeal))!.stage_id).toBe(myStages.stages[0]!.id);
  });
});
