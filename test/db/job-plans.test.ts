/**
 * The plans of background work, by the rules of test/db/query-plans.test.ts (test/helpers/query-plans.ts): a
 * bulk action on every match (a job over 5,000 contacts), an import from upload to undo (matching existing
 * records), the data export and a
 * run of the cron, each step delivered to the Worker's own queue consumer with every statement recorded.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { statementsProblems } from "../helpers/query-plans";
import { newTenant } from "../helpers/tenants";
import { CronClock, drain, HeldQueue, jobEnv, runCron } from "../jobs/helpers";
import { insertContacts, insertTag } from "../contacts/contact-helpers";
import { job, jobId, upload } from "../import/helpers";
import { workspace } from "../helpers/plans-workspace";

/** The bindings of a job run: the held queue, and a database recording what it is sent. */
function recorded() {
  const queue = new HeldQueue();
  const counting = countingDb();
  return { queue, counting, bindings: jobEnv(queue, { DB: counting.binding }) };
}

/** Problems of everything `run` sent, each once, labelled. */
async function problems(label: string, run: ReturnType<typeof recorded>): Promise<string[]> {
  expect(run.counting.bound.length, label).toBeGreaterThan(5);
  return statementsProblems(run.counting.bound, label);
}

describe("query plans without statistics, in background work", () => {
  it("read no workspace whole in a bulk action on every match, run as a job", async () => {
    const t = await newTenant("Plans Bulk Co");
    await insertContacts(t.tenantId, 5_001, { prefix: "Match" });
    const tag = await insertTag(t.tenantId, "VIP");
    const run = recorded();
    const form = { scope: "matching", action: "tag", tag_id: String(tag), match_query: "q=match" };
    const res = await send("/app/contacts/bulk", { cookie: t.cookie, form, env: run.bindings });
    expect(res.status).toBe(303);
    const id = res.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    expect(run.queue.of(id).length).toBeGreaterThan(0);
    await drain(run.queue, run.bindings, id);
    expect(await problems("bulk", run)).toEqual([]);
  }, 120_000);

  it("read no workspace whole in an import from upload to undo", async () => {
    // Into a workspace with records (Ada is there, with the Tier field): the preview finds an update to make.
    const t = await workspace();
    const run = recorded();
    const csv = [
      "Email,First name,Last name,Phone,Tags,Tier",
      "ada@plans.example,Ada,Plans,+44 20 7946 0000,Plans,gold",
      "grace@plans.example,Grace,Hopper,+44 20 7946 0001,Navy,silver",
    ].join("\n");
    const id = jobId(await upload(t.cookie, csv, { env: run.bindings }));
    await drain(run.queue, run.bindings, id);
    expect((await job(id)).status).toBe("ready");
    const commit = await send(`/app/import/${id}/commit`, { cookie: t.cookie, form: {}, env: run.bindings });
    expect(commit.status).toBe(303);
    await drain(run.queue, run.bindings, id);
    expect((await job(id)).status).toBe("done");
    const undo = await send(`/app/import/${id}/undo`, { cookie: t.cookie, form: {}, env: run.bindings });
    expect(undo.status).toBe(303);
    await drain(run.queue, run.bindings, id);
    expect((await job(id)).status).toBe("undone");
    expect(await problems("import", run)).toEqual([]);
  }, 120_000);

  it("read no workspace whole in the data export, nor in a run of the cron", async () => {
    const t = await newTenant("Plans Export Co");
    await insertContacts(t.tenantId, 30, { prefix: "Kept" });
    const run = recorded();
    const res = await send("/app/settings/privacy/export", { cookie: t.cookie, form: {}, env: run.bindings });
    expect(res.status).toBe(303);
    const [message] = run.queue.held;
    expect(message?.type).toBe("privacy.export");
    await drain(run.queue, run.bindings, (message as { exportId: string }).exportId);
    await runCron(run.bindings, new CronClock().next());
    expect(await problems("export and cron", run)).toEqual([]);
  }, 120_000);
});
