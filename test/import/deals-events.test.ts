/**
 * A deals import sends the webhook events the board and the deal page send for the same changes (docs/api.md):
 * a deal the file marks won is deal.won, one it moves is deal.stage_changed (with where it was), one whose company
 * it links is deal.updated naming company_id. Each once, even when the queue delivers a commit twice, and nothing
 * for a deal the file leaves as it is.
 */
import { describe, expect, it } from "vitest";
import { createCompanyThroughForm } from "../companies/helpers";
import { pipelinesOf } from "../deals/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { deliver, HeldQueue, jobEnv } from "../jobs/helpers";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { importFile, job, jobId, utf8 } from "./helpers";

const PIPEDRIVE =
  "Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Status,Deal - Lost reason,Deal - Expected close date,Deal - Organization,Deal - Contact person";

describe("deal imports send the deals' webhook events", () => {
  it("a Pipedrive file again: one deal.won, one deal.stage_changed, one deal.updated for the linked company", async () => {
    const owner = await newTenant();
    const first = await importFile(
      owner.cookie,
      [
        PIPEDRIVE,
        "Globex – Annual plan,46800.50,EUR,Lead,open,,2027-01-01,Globex,Søren Nakamura",
        "Initech – Pilot,52500.00,USD,Qualified,open,,2027-02-02,Initech,Grace Nowak",
        "Hooli – Expansion,76100.00,GBP,Negotiation,open,,2027-08-08,Hooli,Alan Ibáñez",
        "Umbrella – Renewal,41000.50,GBP,Proposal,open,,2027-07-07,Umbrella,Xiu Müller",
      ].join("\n"),
      { kind: "deals", name: "deals.csv" },
    );
    expect(first.result).toMatchObject({ status: "done", created_count: 4 });
    const hooli = await createCompanyThroughForm(owner.cookie, { name: "Hooli" });
    await addEndpoint(owner.cookie, receiverUrl("import-deal-events"), [
      "deal.created",
      "deal.updated",
      "deal.stage_changed",
      "deal.won",
      "deal.lost",
    ]);
    const stages = (await pipelinesOf(owner.tenantId))[0]!.stages;
    const stage = (name: string) => stages.find((s) => s.name === name)!.id;

    // The same export a week later, committed with every queue message delivered twice at once.
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const form = new FormData();
    form.set("kind", "deals");
    form.set("encoding", "auto");
    const csv = [
      PIPEDRIVE,
      "Globex – Annual plan,46800.50,EUR,Lead,won,,2027-01-01,Globex,Søren Nakamura",
      "Initech – Pilot,52500.00,USD,Proposal,open,,2027-02-02,Initech,Grace Nowak",
      "Hooli – Expansion,76100.00,GBP,Negotiation,open,,2027-08-08,Hooli,Alan Ibáñez",
      "Umbrella – Renewal,41000.50,GBP,Proposal,open,,2027-07-07,Umbrella,Xiu Müller",
    ].join("\n");
    form.set("file", new File([utf8(csv)], "deals.csv", { type: "text/csv" }));
    const id = jobId(await send("/app/import", { method: "POST", body: form, cookie: owner.cookie, env: bindings }));
    const twice = async () => {
      for (let m = q.takeOne(id); m; m = q.takeOne(id)) {
        if (m.type === "import.commit") await Promise.all([deliver(bindings, m), deliver(bindings, m)]);
        else await deliver(bindings, m);
      }
    };
    await twice();
    expect(await job(id)).toMatchObject({ status: "ready", update_count: 3, unchanged_count: 1 });
    await send(`/app/import/${id}/commit`, { method: "POST", cookie: owner.cookie, form: {}, env: bindings });
    await twice();
    expect(await job(id)).toMatchObject({ status: "done", updated_count: 3 });

    // eventsOf holds each payload to its schema, field by field.
    const events = await eventsOf(owner.tenantId);
    expect(events.map((e) => e.type).sort()).toEqual(["deal.stage_changed", "deal.updated", "deal.won"]);
    const data = (type: string) => JSON.parse(events.find((e) => e.type === type)!.payload);
    const won = data("deal.won");
    expect(won).toMatchObject({
      name: "Globex – Annual plan",
      status: "won",
      stage_id: stage("Lead"),
      stage: "Lead",
      lost_reason: null,
      amount_minor: 4680050,
      currency: "EUR",
    });
    expect(won.closed_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data("deal.stage_changed")).toMatchObject({
      name: "Initech – Pilot",
      status: "open",
      stage_id: stage("Proposal"),
      stage: "Proposal",
      previous_stage_id: stage("Qualified"),
      previous_stage: "Qualified",
    });
    expect(data("deal.updated")).toMatchObject({
      name: "Hooli – Expansion",
      company_id: hooli,
      stage: "Negotiation",
      changed: ["company_id"],
    });
  });
});
