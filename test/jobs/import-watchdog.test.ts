/**
 * Imports that always finish: every step's message lost (as when `wrangler dev` is stopped mid-job),
 * delivered twice at once, or refused by the queue, and the every-minute cron brings the job to its
 * end with the right counts and nothing written twice. A job that cannot move is failed with a
 * reason and can be retried; a working job can be cancelled.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { JobMessage } from "../../src/jobs";
import { countRows } from "../helpers/db";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { job, jobId, utf8 } from "../import/helpers";
import { CronClock, deliver, drain, HeldQueue, jobEnv, runCron, type JobEnv } from "./helpers";

const WORKING = ["analysing", "committing", "undoing"];
/** Rows per chunk: lowered from 500 (IMPORT_CHUNK_ROWS) so three chunks are 250 rows, not 1,200. */
const CHUNK = 100;
const ROWS = 250; // three chunks (100, 100, 50); an undo page is 200

/** 250 people and, last, a row repeating the first one's email. */
function peopleCsv(): string {
  const lines = ["Email,First name,Last name"];
  for (let i = 0; i < ROWS; i += 1) lines.push(`person${i}@example.com,Person,Number ${i}`);
  // The same person again (the same address and name): a duplicate inside the file.
  lines.push("person0@example.com,Person,Number 0");
  return lines.join("\n");
}

async function uploadWith(bindings: JobEnv, cookie: string, csv: string): Promise<string> {
  const form = new FormData();
  form.set("kind", "contacts");
  form.set("encoding", "auto");
  form.set("file", new File([utf8(csv)], "people.csv", { type: "text/csv" }));
  return jobId(await send("/app/import", { method: "POST", body: form, cookie, env: bindings }));
}

/**
 * A job of the owner's, uploaded through a queue that holds every message for the test to deliver or
 * lose; `press` posts one of its buttons (commit, undo, cancel, retry), as the owner unless told.
 */
async function heldJob(owner: { cookie: string }, csv = peopleCsv()) {
  const q = new HeldQueue();
  const bindings = jobEnv(q, { IMPORT_CHUNK_ROWS: String(CHUNK) });
  const id = await uploadWith(bindings, owner.cookie, csv);
  const press = (action: string, cookie = owner.cookie) =>
    send(`/app/import/${id}/${action}`, { method: "POST", cookie, form: {}, env: bindings });
  return { q, bindings, id, press };
}

/** A lost-message picker: the `nth` message of `type` (counted over the whole test) never arrives. */
function lose(type: JobMessage["type"], nth: number) {
  let count = 0;
  return (m: JobMessage) => m.type === type && ++count === nth;
}

/** Delivers the job's messages and runs the cron whenever it has gone quiet, until it stops working. */
async function runUntilSettled(
  q: HeldQueue,
  bindings: JobEnv,
  id: string,
  clock: CronClock,
  drop?: (m: JobMessage) => boolean,
) {
  let crons = 0;
  for (;;) {
    await drain(q, bindings, id, drop);
    const row = await job(id);
    if (!WORKING.includes(row.status)) return { row, crons };
    if (crons === 8) throw new Error(`import ${id} is still ${row.status} after ${crons} cron runs`);
    await runCron(bindings, clock.next());
    crons += 1;
  }
}

/** What a 3-chunk file leaves in R2 once previewed: the upload, its chunks, error file, preview lists and samples. */
const PREPARED = [
  "chunk-0.json",
  "chunk-1.json",
  "chunk-2.json",
  "errors.csv",
  "review-0.json",
  "review-1.json",
  "review-2.json",
  "review-head.json",
  "samples.json",
  "upload",
];

async function objectsOf(id: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT file_key FROM import_jobs WHERE id = ?")
    .bind(id)
    .first<{ file_key: string }>();
  const list = await env.FILES.list({ prefix: `${row!.file_key}/` });
  return list.objects.map((o) => o.key.slice(row!.file_key.length + 1)).sort();
}

/** Upload, preview, commit, undo, with `drop` losing messages on the way; checks every count at each stage. */
async function wholeImport(drop: (m: JobMessage) => boolean) {
  const owner = await newTenant();
  const { q, bindings, id, press } = await heldJob(owner);
  const clock = new CronClock();

  const preview = await runUntilSettled(q, bindings, id, clock, drop);
  expect(preview.row).toMatchObject({
    status: "ready",
    total_rows: ROWS + 1,
    new_count: ROWS,
    update_count: 0,
    duplicate_count: 1,
    invalid_count: 0,
    chunk_count: 3,
    chunks_done: 3,
  });
  expect(await objectsOf(id)).toEqual(PREPARED);

  expect((await press("commit")).status).toBe(303);
  const committed = await runUntilSettled(q, bindings, id, clock, drop);
  expect(committed.row).toMatchObject({ status: "done", created_count: ROWS, updated_count: 0, chunks_done: 3 });
  expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
  expect(await countRows("contact_emails", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
  expect(await countRows("import_records", "import_id = ?", id)).toBe(ROWS);
  expect(await countRows("import_chunks", "import_id = ? AND phase = 'commit'", id)).toBe(3);
  expect(await countRows("activities", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
  const counters = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
    .bind(owner.tenantId)
    .first<{ contacts: number }>();
  expect(counters!.contacts).toBe(ROWS);

  expect((await press("undo")).status).toBe(303);
  const undone = await runUntilSettled(q, bindings, id, clock, drop);
  expect(undone.row.status).toBe("undone");
  expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);
  expect(await countRows("import_records", "import_id = ?", id)).toBe(0);
  const after = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
    .bind(owner.tenantId)
    .first<{ contacts: number }>();
  expect(after!.contacts).toBe(0);
  return { crons: preview.crons + committed.crons + undone.crons };
}

describe("a lost step message", () => {
  // The analysis is one message; the others are one per chunk or page here, so losing the second
  // one loses the job in the middle of its work.
  for (const [type, nth] of [
    ["import.analyse", 1],
    ["import.match", 2],
    ["import.commit", 2],
    ["import.undo", 2],
  ] as const) {
    it(`${type} (message ${nth}): the cron sends the step again and the import finishes with the right counts`, async () => {
      const dropped: JobMessage[] = [];
      const pick = lose(type, nth);
      const { crons } = await wholeImport((m) => {
        if (!pick(m)) return false;
        dropped.push(m);
        return true;
      });
      expect(dropped.map((m) => m.type)).toEqual([type]);
      expect(crons).toBe(1);
    }, 90_000);
  }

  it("is not sent again while the job is within its two quiet minutes", async () => {
    const owner = await newTenant();
    const { q, bindings, id } = await heldJob(owner, "Email\nana@example.com\n");
    expect(q.takeOne(id)?.type).toBe("import.analyse"); // lost
    await runCron(bindings, Date.now() + 60_000);
    expect(q.of(id)).toEqual([]);
    await runCron(bindings, Date.now() + 2 * 60_000 + 1_000);
    expect(q.of(id).map((m) => m.type)).toEqual(["import.analyse"]);
    // Sent again, not yet delivered: the next minute does not send a third copy.
    await runCron(bindings, Date.now() + 3 * 60_000);
    expect(q.of(id)).toHaveLength(1);
  });

  it("while it waits, its page says so and what happens next, instead of a still bar", async () => {
    const owner = await newTenant();
    const { q, bindings, id } = await heldJob(owner, "Email\nana@example.com\n");
    const lost = q.takeOne(id)!;
    const status = async () =>
      (await send(`/app/import/${id}?part=status`, { cookie: owner.cookie, headers: { "HX-Request": "true" } })).text();
    expect(await status()).not.toContain("No progress");
    // 70 s without progress (the heartbeat moved back, as the clock cannot be).
    await env.DB.prepare("UPDATE import_jobs SET updated_at = updated_at - 70000 WHERE id = ?").bind(id).run();
    const quiet = await status();
    expect(quiet).toContain("Reading the file");
    expect(quiet).toContain("No progress for 1 minute. If its last step was lost, it is started again by itself");
    expect(await deliver(bindings, lost)).toBe(true);
    await drain(q, bindings, id);
    const ready = await status();
    expect(ready).toContain("Preview ready");
    expect(ready).not.toContain("No progress");
  });

  it("an analysis that died after writing some of its chunks is run again whole", async () => {
    const owner = await newTenant();
    const { q, bindings, id } = await heldJob(owner);
    // R2 fails on the analysis's second write: chunk 0 is stored, then the step dies (its retry is lost too).
    let puts = 0;
    const flaky = new Proxy(env.FILES, {
      get(target, prop) {
        if (prop === "put")
          return (...args: Parameters<R2Bucket["put"]>) => {
            puts += 1;
            if (puts === 2) throw new Error("R2 unavailable (test fault injection)");
            return target.put(...args);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(await deliver(jobEnv(q, { FILES: flaky, IMPORT_CHUNK_ROWS: String(CHUNK) }), q.takeOne(id)!)).toBe(false);
    expect(await job(id)).toMatchObject({ status: "analysing", chunk_count: 0 });
    const { row, crons } = await runUntilSettled(q, bindings, id, new CronClock());
    expect(crons).toBe(1);
    expect(row).toMatchObject({ status: "ready", new_count: ROWS, duplicate_count: 1, chunk_count: 3 });
    expect(await objectsOf(id)).toEqual(PREPARED);
  });

  it("a queue that refuses the first message leaves the job to the cron, not stranded", async () => {
    const owner = await newTenant();
    const q = new HeldQueue();
    q.refuse = true;
    const bindings = jobEnv(q);
    const id = await uploadWith(bindings, owner.cookie, "Email\nana@example.com\nbob@example.com\n");
    expect(await job(id)).toMatchObject({ status: "analysing" });
    q.refuse = false;
    const { row } = await runUntilSettled(q, bindings, id, new CronClock());
    expect(row).toMatchObject({ status: "ready", new_count: 2 });
  });
});

describe("a step delivered twice at once", () => {
  for (const type of ["import.analyse", "import.match", "import.commit", "import.undo"] as const) {
    it(`${type}: writes nothing twice`, async () => {
      const owner = await newTenant();
      const { q, bindings, id, press } = await heldJob(owner);
      // Every message of this type reaches two consumers at the same time (a re-sent step racing a late original).
      const twice = async () => {
        for (let m = q.takeOne(id); m; m = q.takeOne(id)) {
          if (m.type === type) await Promise.all([deliver(bindings, m), deliver(bindings, m)]);
          else await deliver(bindings, m);
          if (type === "import.analyse" && m.type === type)
            expect(q.of(id).map((x) => x.type)).toEqual(["import.match"]);
        }
      };
      await twice();
      expect(await job(id)).toMatchObject({ status: "ready", new_count: ROWS, duplicate_count: 1, chunk_count: 3 });
      expect(await objectsOf(id)).toEqual(PREPARED);
      await press("commit");
      await twice();
      expect(await job(id)).toMatchObject({ status: "done", created_count: ROWS });
      expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
      expect(await countRows("contact_emails", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
      expect(await countRows("import_records", "import_id = ?", id)).toBe(ROWS);
      await press("undo");
      await twice();
      expect((await job(id)).status).toBe("undone");
      expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);
      const counters = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .first<{ contacts: number }>();
      expect(counters!.contacts).toBe(0);
    }, 90_000);
  }
});

describe("a job that cannot move", () => {
  it("is failed with a plain reason after five tries, and Retry takes it on from where it stopped", async () => {
    const owner = await newTenant();
    const { q, bindings, id, press } = await heldJob(owner);
    const clock = new CronClock();
    await drain(q, bindings, id);
    await press("commit");
    await deliver(bindings, q.takeOne(id)!); // the first chunk lands; every message after it is lost
    expect(q.takeOne(id)?.type).toBe("import.commit");
    for (let i = 0; i < 5; i += 1) {
      await runCron(bindings, clock.next());
      expect(q.takeOne(id)?.type).toBe("import.commit");
      expect((await job(id)).status).toBe("committing");
    }
    await runCron(bindings, clock.next());
    expect(q.of(id)).toEqual([]);
    const failed = await job(id);
    expect(failed).toMatchObject({ status: "failed", chunks_done: 1, created_count: CHUNK });
    expect(failed.message).toMatch(/did not start again after 5 tries/);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("did not start again after 5 tries");
    expect(page).toContain(`action="/app/import/${id}/retry"`);
    expect(page).not.toContain(`action="/app/import/${id}/cancel"`);

    // Another workspace's admin does not find it; a member may not retry.
    const stranger = await newTenant();
    expect((await press("retry", stranger.cookie)).status).toBe(404);
    const member = await memberOf(owner.tenantId, "member");
    expect((await press("retry", member.cookie)).status).toBe(403);
    expect(q.of(id)).toEqual([]);

    expect((await press("retry")).status).toBe(303);
    expect(await job(id)).toMatchObject({ status: "committing", message: null });
    const { row } = await runUntilSettled(q, bindings, id, clock);
    expect(row).toMatchObject({ status: "done", created_count: ROWS, chunks_done: 3 });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(ROWS);
    // Retrying a job that has not failed changes nothing.
    expect((await press("retry")).status).toBe(409);
  }, 90_000);

  it("a failed analysis is retried from its chunks, and the preview's counts are not added twice", async () => {
    const owner = await newTenant();
    const { q, bindings, id, press } = await heldJob(owner);
    const clock = new CronClock();
    await deliver(bindings, q.takeOne(id)!); // analysed
    await deliver(bindings, q.takeOne(id)!); // first chunk matched; the rest is lost
    for (let i = 0; i < 6; i += 1) {
      await runCron(bindings, clock.next());
      q.takeOne(id);
    }
    expect(await job(id)).toMatchObject({ status: "failed", chunks_done: 1, new_count: CHUNK });
    expect((await press("retry")).status).toBe(303);
    expect(q.of(id).map((m) => m.type)).toEqual(["import.match"]);
    const { row } = await runUntilSettled(q, bindings, id, clock);
    expect(row).toMatchObject({ status: "ready", new_count: ROWS, duplicate_count: 1, chunks_done: 3 });
  }, 60_000);
});

describe("cancelling", () => {
  it("an analysis leaves no chunks, even when the step is still writing them", async () => {
    const owner = await newTenant();
    const { q, bindings, id, press } = await heldJob(owner);
    const analyse = q.takeOne(id)!;
    const [, cancel] = await Promise.all([deliver(bindings, analyse), press("cancel")]);
    expect(cancel.status).toBe(303);
    await drain(q, bindings, id);
    expect(await job(id)).toMatchObject({ status: "cancelled" });
    expect(await objectsOf(id)).toEqual([]);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Cancelled before anything was imported");
    // Nothing for the cron to pick up.
    await runCron(bindings, Date.now() + 10 * 60_000);
    expect(q.of(id)).toEqual([]);
    expect(await countRows("audit_log", "tenant_id = ? AND action = 'data.import_cancelled'", owner.tenantId)).toBe(1);
  });

  it("a commit between chunks keeps the chunks written, says so, and undo still takes them back", async () => {
    const owner = await newTenant();
    const { q, bindings, id, press } = await heldJob(owner);
    await drain(q, bindings, id);
    await press("commit");
    await deliver(bindings, q.takeOne(id)!);
    const working = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(working).toContain(`action="/app/import/${id}/cancel"`);
    // A viewer cannot cancel; another workspace does not find the job.
    const viewer = await memberOf(owner.tenantId, "viewer");
    expect((await send(`/app/import/${id}/cancel`, { method: "POST", cookie: viewer.cookie, form: {} })).status).toBe(
      403,
    );
    expect(
      (await send(`/app/import/${id}/cancel`, { method: "POST", cookie: (await newTenant()).cookie, form: {} })).status,
    ).toBe(404);

    expect((await press("cancel")).status).toBe(303);
    await drain(q, bindings, id); // the next chunk's message arrives after the cancellation: it writes nothing
    expect(await job(id)).toMatchObject({ status: "cancelled", chunks_done: 1, created_count: CHUNK });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(CHUNK);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain(
      `Cancelled while importing: ${CHUNK} contacts created and 0 updated before it stopped are kept`,
    );
    expect(page).toContain(`action="/app/import/${id}/undo"`);
    expect((await press("cancel")).status).toBe(409);

    expect((await press("undo")).status).toBe(303);
    await drain(q, bindings, id);
    expect((await job(id)).status).toBe("undone");
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);
  }, 60_000);

  it("an undo stops between pages, and Undo goes on with the rest", async () => {
    const owner = await newTenant();
    const { q, bindings, id, press } = await heldJob(owner);
    await drain(q, bindings, id);
    await press("commit");
    await drain(q, bindings, id);
    await press("undo");
    await deliver(bindings, q.takeOne(id)!); // one page of 200 undone
    expect((await press("cancel")).status).toBe(303);
    await drain(q, bindings, id);
    expect(await job(id)).toMatchObject({ status: "cancelled", chunks_done: 1 });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(ROWS - 200);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Undo the rest");
    expect((await press("undo")).status).toBe(303);
    await drain(q, bindings, id);
    expect((await job(id)).status).toBe("undone");
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);
  }, 60_000);
});
