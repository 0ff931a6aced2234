/**
 * A deals import whose stage an admin removes between the preview and the commit: the commit stops at once,
 * failed with a message naming the stage (never a batch retried forever while every other import answers
 * "busy"), and writes nothing of the chunk that names it. Chunks are all-or-nothing: those written before
 * it stay, and Undo takes them back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { expectTotalsExact, pipelinesOf } from "../deals/helpers";
import { deliver, drain, HeldQueue, jobEnv } from "../jobs/helpers";
import { importFile, job, jobId, utf8 } from "./helpers";

async function dealNames(tenantId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT name FROM deals WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Uploads a deals file on the held queue and delivers its steps until the preview is ready. */
async function preview(cookie: string, csv: string[], bindings: ReturnType<typeof jobEnv>, q: HeldQueue) {
  const form = new FormData();
  form.set("kind", "deals");
  form.set("encoding", "auto");
  form.set("file", new File([utf8(csv.join("\n"))], "deals.csv", { type: "text/csv" }));
  const id = jobId(await send("/app/import", { method: "POST", body: form, cookie, env: bindings }));
  await drain(q, bindings, id);
  expect((await job(id)).status).toBe("ready");
  return id;
}

/** Settings → Pipelines: removes the stage, moving its deals to another. */
async function removeStage(cookie: string, tenantId: string, name: string, moveTo: string) {
  const stages = (await pipelinesOf(tenantId))[0]!.stages;
  const res = await send(`/app/settings/pipelines/stages/${stages.find((s) => s.name === name)!.id}/delete`, {
    cookie,
    form: { target_stage_id: String(stages.find((s) => s.name === moveTo)!.id) },
  });
  expect(res.status).toBe(303);
}

describe("deal imports: a stage removed after the preview", () => {
  it("the commit fails at once, naming the stage; no deal of the file is written and the next import runs", async () => {
    const owner = await newTenant();
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const id = await preview(
      owner.cookie,
      ["Name,Amount,Currency,Stage", "First,10,USD,Qualified", "Second,20,USD,Lead"],
      bindings,
      q,
    );
    await removeStage(owner.cookie, owner.tenantId, "Lead", "Qualified");

    const commit = await send(`/app/import/${id}/commit`, { cookie: owner.cookie, form: {}, env: bindings });
    expect(commit.status).toBe(303);
    const message = q.takeOne(id)!;
    expect(message.type).toBe("import.commit");
    // Acknowledged: the step ended the job instead of throwing for the queue to retry.
    expect(await deliver(bindings, message)).toBe(true);
    expect(q.of(id)).toEqual([]);
    const failed = await job(id);
    expect(failed).toMatchObject({ status: "failed", created_count: 0, chunks_done: 0 });
    expect(failed.message).toBe(
      "The stage “Lead” was removed after the file was read, so the import stopped. Upload the file again.",
    );
    expect(await dealNames(owner.tenantId)).toEqual([]);
    const totals = await env.DB.prepare("SELECT count(*) AS n FROM deal_stage_totals WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(totals!.n).toBe(0);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("The stage “Lead” was removed after the file was read");

    // The workspace is not held "busy" by it: the next import commits.
    const next = await importFile(owner.cookie, "Name,Amount,Currency,Stage\nThird,5,USD,Qualified", { kind: "deals" });
    expect(next.result.status).toBe("done");
    expect(await dealNames(owner.tenantId)).toEqual(["Third"]);
  });

  it("in a file of several chunks, those before the stage's are written whole and Undo takes them back", async () => {
    const owner = await newTenant();
    const q = new HeldQueue();
    const bindings = jobEnv(q, { IMPORT_CHUNK_ROWS: "2" });
    const id = await preview(
      owner.cookie,
      ["Name,Amount,Currency,Stage", "A,1,USD,Qualified", "B,2,USD,Proposal", "C,3,USD,Lead", "D,4,USD,Qualified"],
      bindings,
      q,
    );
    expect((await job(id)).chunk_count).toBe(2);
    await removeStage(owner.cookie, owner.tenantId, "Lead", "Qualified");

    await send(`/app/import/${id}/commit`, { cookie: owner.cookie, form: {}, env: bindings });
    await drain(q, bindings, id);
    const failed = await job(id);
    expect(failed).toMatchObject({ status: "failed", created_count: 2, chunks_done: 1 });
    expect(failed.message).toBe(
      "The stage “Lead” was removed after the file was read, so the import stopped. Upload the file again. " +
        "The rows before row 3 were imported; Undo takes them back.",
    );
    // Chunk 1 (C and D) wrote nothing, D included: a chunk lands whole or not at all.
    expect(await dealNames(owner.tenantId)).toEqual(["A", "B"]);
    await expectTotalsExact(owner.tenantId);

    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {}, env: bindings })).status).toBe(303);
    await drain(q, bindings, id);
    expect((await job(id)).status).toBe("undone");
    expect(await dealNames(owner.tenantId)).toEqual([]);
    await expectTotalsExact(owner.tenantId);
  });
});
