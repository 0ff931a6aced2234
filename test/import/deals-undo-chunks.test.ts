/**
 * Undo of a deals import whose rows update one deal from two chunks (CHUNK_ROWS = 500 rows each): row 1 changes
 * its amount, stage and close date, row 600 links its company and marks it won. The deal comes back exactly as it
 * was, whichever chunk changed which field, with its stage spans and the stage totals as they were.
 */
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS } from "../../src/services/import/chunk";
import { createCompanyThroughForm } from "../companies/helpers";
import { dealState, expectTotalsExact } from "../deals/helpers";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { statementsProblems } from "../helpers/query-plans";
import { newTenant } from "../helpers/tenants";
import { drain, HeldQueue, jobEnv } from "../jobs/helpers";
import { importFile, job, jobId, upload } from "./helpers";

const importDeals = (cookie: string, csv: string[]) => importFile(cookie, csv.join("\n"), { kind: "deals" });

/** Rows 2 to 599 of a file: new deals in between, so row 1 is in the first chunk and row 600 in the second. */
const filler = Array.from({ length: 598 }, (_, i) => `Filler ${i + 2},10,USD,Lead,open,,`);

describe("undo of a deal two chunks of one import updated", () => {
  it("rows 1 and 600 both update Renewal, and undo gives back its amount, stage, close date, company and status", async () => {
    expect(CHUNK_ROWS).toBeLessThan(600);
    const owner = await newTenant();
    await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    // Imported before it had a company: row 600 (same name, at Acme) is the same deal, and links it.
    const first = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Stage,Close date",
      "Renewal,100,USD,Lead,2027-01-31",
    ]);
    expect(first.result).toMatchObject({ status: "done", created_count: 1 });
    const before = await dealState(owner.tenantId);

    // Run on the queue consumer with every statement recorded, so their plans are checked too.
    const queue = new HeldQueue();
    const counting = countingDb();
    const bindings = jobEnv(queue, { DB: counting.binding });
    const csv = [
      "Name,Amount,Currency,Stage,Status,Close date,Company",
      "Renewal,250,USD,Qualified,open,2027-03-31,",
      ...filler,
      "Renewal,,,Proposal,won,,Acme",
    ].join("\n");
    const id = jobId(await upload(owner.cookie, csv, { kind: "deals", env: bindings }));
    await drain(queue, bindings, id);
    expect(await job(id)).toMatchObject({ status: "ready", chunk_count: 2 });
    await send(`/app/import/${id}/commit`, { cookie: owner.cookie, form: {}, env: bindings });
    await drain(queue, bindings, id);
    expect(await job(id)).toMatchObject({ status: "done", created_count: 598, updated_count: 2 });
    const renewal = (await dealState(owner.tenantId)).deals.find((d) => d.name === "Renewal")!;
    expect(renewal).toMatchObject({ amount_minor: 25000, close_date: "2027-03-31", status: "won" });
    expect(renewal.company_id).not.toBeNull();

    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {}, env: bindings })).status).toBe(303);
    await drain(queue, bindings, id);
    const undone = await job(id);
    expect(undone).toMatchObject({ status: "undone", message: null });
    expect(JSON.parse(undone.undo_kept!)).toEqual({ total: 0, items: [] });
    // The deal, its contacts, tags, stage spans, the totals, the timeline and the counter: all as before.
    expect(await dealState(owner.tenantId)).toEqual(before);
    await expectTotalsExact(owner.tenantId);
    // No statement of the commit or the undo reads the workspace's deals, spans or records whole.
    expect(counting.bound.length).toBeGreaterThan(20);
    expect(await statementsProblems(counting.bound, "deals import and undo")).toEqual([]);
  }, 120_000);
});
