/**
 * The plans of erasing, by the rules of test/db/query-plans.test.ts (test/helpers/query-plans.ts): a contact
 * erased on request, then the workspace closed and erased by the cron after its grace period, every statement
 * recorded and explained. Isolated: the cron runs past the grace period, when it erases every workspace closed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { statementsProblems } from "../helpers/query-plans";
import { workspace } from "../helpers/plans-workspace";
import { markVerified } from "../team/team-helpers";
import { runCronUntilErased } from "../closure/helpers";

describe("query plans without statistics, in erasure", () => {
  it("read no other workspace whole in erasing a contact, nor a closed workspace", async () => {
    const w = await workspace();
    await markVerified(w.email);
    const counting = countingDb();
    const bindings = { DB: counting.binding };
    const erased = await send(`/app/contacts/${w.ids.contacts}/erase`, {
      cookie: w.cookie,
      form: { suppress: "1" },
      env: bindings,
    });
    expect(erased.status).toBe(303);
    const closed = await send("/app/settings/close", {
      cookie: w.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
      env: bindings,
    });
    expect(closed.status).toBe(200); // the page saying it is closed, and when it will be erased
    const { erase_after } = (await env.DB.prepare("SELECT erase_after FROM tenants WHERE id = ?")
      .bind(w.tenantId)
      .first<{ erase_after: number }>())!;
    await runCronUntilErased(w.tenantId, erase_after + 60_000, bindings);
    expect(counting.bound.length).toBeGreaterThan(50);
    expect(await statementsProblems(counting.bound, "erasure")).toEqual([]);
  }, 120_000);
});
