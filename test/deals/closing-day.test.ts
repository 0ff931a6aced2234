/**
 * "Today" on deals is the reader's day, not UTC's: a deal marked won without a date closes on the day it is
 * where the user is (the reports count it in that day's period), "overdue" turns where they are, and a deal
 * closed through the API takes the workspace's day. The zone is chosen so its date differs from UTC's now.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dateInZone } from "../../src/lib/zoned-time";
import { api, makeKey } from "../api/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createDeal, dealRow, pipelinesOf, post } from "./helpers";

/** A zone whose date is not UTC's at this moment (UTC+14 from 10:00 UTC, UTC-11 before 11:00), and which way. */
function zoneOffToday(): { zone: string; ahead: boolean; zoneToday: string; utcToday: string } {
  const now = Date.now();
  const utcToday = dateInZone(now, "UTC");
  const ahead = dateInZone(now, "Pacific/Kiritimati") !== utcToday;
  const zone = ahead ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
  return { zone, ahead, zoneToday: dateInZone(now, zone), utcToday };
}

describe("the day a deal closes on, and overdue", () => {
  it("a blank closing date is today where the user is; overdue on the board follows their day", async () => {
    const owner = await newTenant("Closing Day");
    const { zone, ahead, zoneToday, utcToday } = zoneOffToday();
    expect(zoneToday).not.toBe(utcToday);
    await env.DB.prepare("UPDATE users SET time_zone = ? WHERE email = ?").bind(zone, owner.email).run();
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;

    const won = await createDeal(owner.cookie, { name: "Won today", amount: "5", stage_id: String(stage.id) });
    expect((await post(`/app/deals/${won}/won`, owner.cookie, { closed_on: "" })).status).toBe(303);
    expect(await dealRow(won)).toMatchObject({ status: "won", closed_on: zoneToday });

    // Due on the day that is today in UTC (ahead: yesterday where the user is) or where the user is (behind:
    // yesterday in UTC): overdue only where the user's day has passed it.
    const due = ahead ? utcToday : zoneToday;
    await createDeal(owner.cookie, { name: "Due", amount: "5", stage_id: String(stage.id), close_date: due });
    const res = await send("/app/deals", { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const board = await res.text();
    expect(board).toContain(">Due<");
    const card = board.slice(board.indexOf(">Due<"), board.indexOf(">Due<") + 400);
    expect(card.includes("overdue"), card).toBe(ahead);
  });

  it("the API's won without closed_on takes the workspace's day", async () => {
    const owner = await newTenant("Closing Day API");
    const { zone, zoneToday } = zoneOffToday();
    await env.DB.prepare("UPDATE tenants SET time_zone = ? WHERE id = ?").bind(zone, owner.tenantId).run();
    const key = await makeKey(owner.cookie);
    const made = await api("/deals", { key, method: "POST", json: { name: "By API", amount_minor: 500 } });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const res = await api(`/deals/${id}`, { key, method: "PATCH", json: { status: "won" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "won", closed_on: zoneToday });
  });
});
