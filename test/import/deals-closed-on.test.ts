/**
 * A deals file that says a deal is won or lost but not when: the deal closes on the day of the import in
 * the workspace's time zone (as a deal closed through the API without a date), so it shows among the
 * board's recently won and lost deals. The zone is chosen so its date differs from UTC's now.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dateInZone } from "../../src/lib/zoned-time";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "./helpers";

const importDeals = (cookie: string, csv: string[]) => importFile(cookie, csv.join("\n"), { kind: "deals" });

/** A zone whose date is not UTC's at this moment (UTC+14 from 10:00 UTC, UTC-11 before 11:00). */
function zoneOffUtc(): { zone: string; today: string } {
  const now = Date.now();
  const zone =
    dateInZone(now, "Pacific/Kiritimati") !== dateInZone(now, "UTC") ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
  return { zone, today: dateInZone(now, zone) };
}

async function closedOn(tenantId: string) {
  const { results } = await env.DB.prepare("SELECT name, status, closed_on FROM deals WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all<{ name: string; status: string; closed_on: string | null }>();
  return results;
}

/** The board's Won (or Lost) area: the names of the deals it shows. */
async function closedArea(cookie: string, which: "won" | "lost") {
  const board = await textOf("/app/deals", { cookie });
  const from = board.indexOf(`id="${which}-area"`);
  expect(from).toBeGreaterThan(0);
  return board.slice(from, board.indexOf("</details>", from));
}

describe("deal imports: won and lost without a date", () => {
  it("close on the import's day in the workspace's zone and show in the board's Won and Lost areas", async () => {
    const owner = await newTenant();
    const { zone, today } = zoneOffUtc();
    const saved = await send("/app/settings/workspace", {
      cookie: owner.cookie,
      form: { company_name: "Tenant Co", default_region: "US", time_zone: zone },
    });
    expect(saved.status).toBe(303);

    const { result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Stage,Status",
      "Imported win,100,USD,Proposal,won",
      "Imported loss,50,USD,Lead,lost",
      "Still open,10,USD,Lead,open",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 3 });
    expect(await closedOn(owner.tenantId)).toEqual([
      { name: "Imported win", status: "won", closed_on: today },
      { name: "Imported loss", status: "lost", closed_on: today },
      { name: "Still open", status: "open", closed_on: null },
    ]);
    expect(await closedArea(owner.cookie, "won")).toContain("Imported win");
    expect(await closedArea(owner.cookie, "lost")).toContain("Imported loss");

    // A matched open deal a later file marks won closes that day too.
    const again = await importDeals(owner.cookie, ["Name,Status", "Still open,won"]);
    expect(again.result).toMatchObject({ status: "done", updated_count: 1 });
    expect((await closedOn(owner.tenantId))[2]).toEqual({ name: "Still open", status: "won", closed_on: today });
    expect(await closedArea(owner.cookie, "won")).toContain("Still open");
  });
});
