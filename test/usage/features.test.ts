/**
 * Feature events: each lands once, by name only, for the action that happened; a failed action records
 * none; and every event the definitions name is tracked by some route (none is dead).
 */
import { describe, expect, it } from "vitest";
import { repoText } from "../helpers/repo";
import { FEATURE_EVENT_NAMES } from "../../src/services/usage/definitions";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createContact, post } from "../contacts/contact-helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { usageOf } from "./helpers";

const featureNames = async (tenantId: string, from = 0) =>
  (await usageOf(tenantId, "feature")).slice(from).map((p) => p.name);

describe("feature events", () => {
  it("a created contact lands once, with no trace of what was typed", async () => {
    const t = await newTenant("Feature Contact Co");
    await createContact(t.cookie, { first_name: "Grace", last_name: "Hopper" });
    const features = await usageOf(t.tenantId, "feature");
    expect(features.map((p) => p.name)).toEqual(["contact.created"]);
    expect(JSON.stringify(features)).not.toContain("Hopper");
  });

  it("a form that fails validation records nothing", async () => {
    const t = await newTenant("Feature Invalid Co");
    const res = await post("/app/contacts", t.cookie, { first_name: "", last_name: "", email: "not-an-address" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await featureNames(t.tenantId)).toEqual([]);
  });

  it("deal created, moved and won; search used; report viewed; export downloaded", async () => {
    const t = await newTenant("Feature Deals Co");
    const [pipeline] = await pipelinesOf(t.tenantId);
    const stages = pipeline!.stages;
    const id = await createDeal(t.cookie, { name: "Big one", amount: "100", stage_id: String(stages[0]!.id) });
    expect((await post(`/app/deals/${id}/move`, t.cookie, { stage_id: String(stages[1]!.id) })).status).toBe(303);
    expect((await post(`/app/deals/${id}/won`, t.cookie, { closed_on: "" })).status).toBe(303);
    expect((await send("/app/search?q=big", { cookie: t.cookie })).status).toBe(200);
    expect((await send("/app/reports", { cookie: t.cookie })).status).toBe(200);
    expect((await send("/app/export/contacts.csv", { cookie: t.cookie })).status).toBe(200);
    expect(await featureNames(t.tenantId)).toEqual([
      "deal.created",
      "deal.moved",
      "deal.won",
      "search.used",
      "report.viewed",
      "export.downloaded",
    ]);
  });

  it("a search counts once, when submitted: not for each pause in typing in the box or the palette", async () => {
    const t = await newTenant("Feature Search Co");
    const box = { "HX-Request": "true", "HX-Target": "global-results", "HX-Trigger": "global-q" };
    for (const q of ["a", "ac", "acm"])
      expect((await send(`/app/search?q=${q}`, { cookie: t.cookie, headers: box })).status).toBe(200);
    expect((await send("/app/search?format=json&q=acme", { cookie: t.cookie })).status).toBe(200);
    expect(await featureNames(t.tenantId)).toEqual([]);
    // Enter in the box: the form's boosted submission, a full results page.
    const submitted = await send("/app/search?q=acme", {
      cookie: t.cookie,
      headers: { "HX-Request": "true", "HX-Boosted": "true" },
    });
    expect(submitted.status).toBe(200);
    expect(await featureNames(t.tenantId)).toEqual(["search.used"]);
  });

  it("every defined event is tracked by some route", async () => {
    const sources = Object.values(await repoText("routeSources")).join("\n");
    const tracked = new Set([...sources.matchAll(/trackFeature\(\s*\w+\s*,\s*"([^"]+)"\s*\)/g)].map((m) => m[1]));
    expect(FEATURE_EVENT_NAMES.filter((name) => !tracked.has(name))).toEqual([]);
    // And nothing is tracked that the definitions (and so the privacy page) do not name.
    expect([...tracked].filter((name) => !FEATURE_EVENT_NAMES.includes(name as never))).toEqual([]);
  });
});
