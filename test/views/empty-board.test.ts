/** The empty board's "Create the first one" opens the form for the pipeline the board shows, as its header button does. */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { pipelinesOf } from "../deals/helpers";

describe("an empty board", () => {
  it("links its first deal to the pipeline shown, the second pipeline's too", async () => {
    const t = await newTenant("Two Pipelines Co");
    const added = await send("/app/settings/pipelines", { cookie: t.cookie, form: { name: "Partnerships" } });
    expect(added.status).toBeLessThan(400);
    const [first, second] = await pipelinesOf(t.tenantId);
    expect(second, "the second pipeline").toBeDefined();
    for (const pipeline of [first!, second!]) {
      const board = await textOf(`/app/deals?pipeline=${pipeline.id}`, { cookie: t.cookie });
      expect(board).toContain(`<a href="/app/deals/new?pipeline=${pipeline.id}">Create the first one</a>`);
    }
  });
});
