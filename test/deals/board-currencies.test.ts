/**
 * The board's amount filter reads "From 1,000" as 1,000 in each deal's own currency, as the deal list does: in a
 * USD workspace a ¥50,000 deal is from 1,000 (yen have no minor unit) and a $500 one is not.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createDeal, pipelinesOf } from "./helpers";
import { listedDealIds } from "./list-helpers";

/** The open deals' cards of the board, in the order shown. */
async function boardDeals(cookie: string, query: string): Promise<number[]> {
  const res = await send(`/app/deals?${query}`, { cookie });
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBe(200);
  return [...html.matchAll(/<li><a href="\/app\/deals\/(\d+)">/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

async function listDeals(cookie: string, query: string): Promise<number[]> {
  const res = await send(`/app/deals/list?${query}`, { cookie });
  expect(res.status).toBe(200);
  return listedDealIds(await res.text()).sort((a, b) => a - b);
}

describe("the board's amount filter in a workspace of one currency, with deals in others", () => {
  it("shows a ¥50,000 deal and not a $500 one from 1,000, as the deal list does", async () => {
    const t = await newTenant("Yen Board Co");
    const stage = String((await pipelinesOf(t.tenantId))[0]!.stages[0]!.id);
    const deal = (name: string, amount: string, currency: string) =>
      createDeal(t.cookie, { name, amount, currency, stage_id: stage, close_date: "2030-01-15" });
    const yen = await deal("Tokyo office", "50,000", "JPY");
    const dollars = await deal("Small renewal", "500", "USD");
    // Three decimals: 200 dinars are 200000 minor units, more than $1,000's 100000 but not 1,000 of anything.
    const dinars = await deal("Manama pilot", "200", "BHD");
    const big = await deal("Large renewal", "2,500", "USD");

    expect(await boardDeals(t.cookie, "min=1%2C000")).toEqual([yen, big]);
    expect(await boardDeals(t.cookie, "max=1%2C000")).toEqual([dollars, dinars]);
    expect(await boardDeals(t.cookie, "min=300&max=1%2C000")).toEqual([dollars]);
    // The list, filtered the same, agrees.
    expect(await listDeals(t.cookie, "amount_min=1%2C000")).toEqual([yen, big]);
    expect(await listDeals(t.cookie, "amount_max=1%2C000")).toEqual([dollars, dinars]);
    expect(await listDeals(t.cookie, "amount_min=300&amount_max=1%2C000")).toEqual([dollars]);
  });
});
