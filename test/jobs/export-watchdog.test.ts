/**
 * "Download my data" always finishes: a lost build message is sent again by the cron, two builds at
 * once keep one archive and send one email, a build that cannot run fails with a reason and can be
 * retried, and the requester can cancel a build and ask for a new one.
 */
import { env } from "cloudflare:workers";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { countingDb } from "../helpers/query-count";
import { memberOf, newTenant } from "../helpers/tenants";
import { runJobWatchdog } from "../../src/services/jobs/watchdog";
import { CronClock, deliver, HeldQueue, jobEnv, runCron, type JobEnv } from "./helpers";

interface ExportRow {
  id: string;
  status: string;
  message: string | null;
  object_key: string | null;
  user_id: string;
}

async function requestCopy(bindings: JobEnv, user: { cookie: string; email: string }): Promise<ExportRow> {
  const res = await send("/app/settings/privacy/export", { cookie: user.cookie, form: {}, env: bindings });
  expect(res.headers.get("Location")).toBe("/app/settings/privacy?notice=requested");
  return latest(user.email);
}

async function latest(email: string): Promise<ExportRow> {
  return (await env.DB.prepare(
    "SELECT d.* FROM data_exports d JOIN users u ON u.id = d.user_id WHERE u.email = ? ORDER BY d.created_at DESC, d.rowid DESC LIMIT 1",
  )
    .bind(email)
    .first<ExportRow>())!;
}

const row = async (id: string) =>
  (await env.DB.prepare("SELECT * FROM data_exports WHERE id = ?").bind(id).first<ExportRow>())!;
const readyMails = async (email: string) => (await mailTo(email)).filter((m) => m.kind === "data_export_ready");

/** The archives stored for a user in R2. */
async function archivesOf(tenantId: string, userId: string): Promise<string[]> {
  return (await env.FILES.list({ prefix: `exports/${tenantId}/${userId}/` })).objects.map((o) => o.key);
}

async function downloads(cookie: string, id: string): Promise<boolean> {
  const res = await send(`/app/settings/privacy/exports/${id}`, { cookie });
  if (res.status !== 200) return false;
  return "manifest.json" in unzipSync(new Uint8Array(await res.arrayBuffer()));
}

/**
 * A copy asked for by `t` through a queue that holds its messages for the test to deliver or lose;
 * `press` posts one of its buttons (cancel, retry), as `t` unless told.
 */
async function heldCopy(t: { cookie: string; email: string }) {
  const q = new HeldQueue();
  const bindings = jobEnv(q);
  const copy = await requestCopy(bindings, t);
  const press = (action: string, cookie = t.cookie) =>
    send(`/app/settings/privacy/exports/${copy.id}/${action}`, { cookie, form: {}, env: bindings });
  return { q, bindings, copy, press };
}

/** The copy is ready, with one archive stored and one email sent; returns its row. */
async function expectBuiltOnce(t: { tenantId: string; email: string }, id: string): Promise<ExportRow> {
  const ready = await row(id);
  expect(ready.status).toBe("ready");
  expect(await archivesOf(t.tenantId, ready.user_id)).toEqual([ready.object_key]);
  expect(await readyMails(t.email)).toHaveLength(1);
  return ready;
}

/** The copy is cancelled, and nothing was built, kept or mailed. */
async function expectCancelledWithNothingKept(t: { tenantId: string; email: string }, copy: ExportRow) {
  expect((await row(copy.id)).status).toBe("cancelled");
  expect(await archivesOf(t.tenantId, copy.user_id)).toEqual([]);
  expect(await readyMails(t.email)).toHaveLength(0);
}

describe("a data export", () => {
  it("whose message was lost is built once the cron has seen it silent for two minutes", async () => {
    const t = await newTenant("Lost Message Ltd");
    const { q, bindings, copy } = await heldCopy(t);
    expect(q.takeOne(copy.id)?.type).toBe("privacy.export"); // lost
    await runCron(bindings, Date.now() + 60_000);
    expect(q.of(copy.id)).toEqual([]);
    const page = await textOf("/app/settings/privacy", { cookie: t.cookie });
    expect(page).toContain("Being prepared");
    expect(page).toContain(`action="/app/settings/privacy/exports/${copy.id}/cancel"`);
    expect(page).not.toContain("No progress");
    // Seen again 50 s later (the heartbeat moved back, as the clock cannot be): the row says what happens next.
    await env.DB.prepare("UPDATE data_exports SET updated_at = updated_at - 50000 WHERE id = ?").bind(copy.id).run();
    expect(await textOf("/app/settings/privacy", { cookie: t.cookie })).toMatch(
      /No progress for 5\d seconds\. If its last step was lost, it is started again by itself/,
    );
    await env.DB.prepare("UPDATE data_exports SET updated_at = updated_at + 50000 WHERE id = ?").bind(copy.id).run();
    await runCron(bindings, Date.now() + 3 * 60_000);
    const [again] = q.of(copy.id);
    expect(again).toMatchObject({ type: "privacy.export", exportId: copy.id, baseUrl: "http://localhost" });
    expect(await deliver(bindings, q.takeOne(copy.id)!)).toBe(true);
    await expectBuiltOnce(t, copy.id);
    expect((await readyMails(t.email))[0]!.text_body).toContain(
      `http://localhost/app/workspaces/open/${t.tenantId}?to=${encodeURIComponent(`/app/settings/privacy/exports/${copy.id}`)}`,
    );
    expect(await downloads(t.cookie, copy.id)).toBe(true);
  });

  it("delivered twice at once keeps one archive and sends one email", async () => {
    const t = await newTenant("Twice Ltd");
    const { q, bindings, copy } = await heldCopy(t);
    const message = q.takeOne(copy.id)!;
    await Promise.all([deliver(bindings, message), deliver(bindings, message)]);
    const ready = await expectBuiltOnce(t, copy.id);
    expect(await downloads(t.cookie, copy.id)).toBe(true);
    // A late third delivery finds it ready and does nothing.
    await deliver(bindings, message);
    expect(await archivesOf(t.tenantId, ready.user_id)).toEqual([ready.object_key]);
    expect(await readyMails(t.email)).toHaveLength(1);
  });

  it("that cannot be built fails with a reason after five tries, and Retry builds it", async () => {
    const t = await newTenant("Give Up Ltd");
    const { q, bindings, copy, press } = await heldCopy(t);
    const clock = new CronClock();
    q.takeOne(copy.id);
    for (let i = 0; i < 5; i += 1) {
      await runCron(bindings, clock.next());
      expect(q.takeOne(copy.id)?.type).toBe("privacy.export"); // lost again
    }
    await runCron(bindings, clock.next());
    expect(q.of(copy.id)).toEqual([]);
    const failed = await row(copy.id);
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/did not start again after 5 tries/);
    const page = await textOf("/app/settings/privacy", { cookie: t.cookie });
    expect(page).toContain("did not start again after 5 tries");
    expect(page).toContain(`action="/app/settings/privacy/exports/${copy.id}/retry"`);
    // The download button is not held back by a failed copy.
    expect(page).not.toContain("Being prepared…");

    // Someone else, even in the same workspace, does not find it.
    const colleague = await memberOf(t.tenantId, "admin");
    expect((await press("retry", colleague.cookie)).status).toBe(404);
    expect((await press("cancel", colleague.cookie)).status).toBe(404);
    expect(q.of(copy.id)).toEqual([]);

    const retried = await press("retry");
    expect(retried.headers.get("Location")).toBe("/app/settings/privacy?notice=retried");
    expect(await deliver(bindings, q.takeOne(copy.id)!)).toBe(true);
    expect((await row(copy.id)).status).toBe("ready");
    expect(await readyMails(t.email)).toHaveLength(1);
    expect(await downloads(t.cookie, copy.id)).toBe(true);
  });

  it("can be cancelled while it is prepared; a build still running discards its archive; a new copy can be asked for", async () => {
    const t = await newTenant("Cancel Ltd");
    const { q, bindings, copy, press } = await heldCopy(t);
    const message = q.takeOne(copy.id)!;
    // Blocked while it is prepared.
    const second = await send("/app/settings/privacy/export", { cookie: t.cookie, form: {}, env: bindings });
    expect(second.headers.get("Location")).toBe("/app/settings/privacy?notice=pending");
    const cancelled = await press("cancel");
    expect(cancelled.headers.get("Location")).toBe("/app/settings/privacy?notice=cancelled");
    // The message arrives after all: nothing is built, kept or mailed.
    await deliver(bindings, message);
    await expectCancelledWithNothingKept(t, copy);
    await runCron(bindings, Date.now() + 10 * 60_000);
    expect(q.of(copy.id)).toEqual([]);
    // A cancelled copy cannot be retried; a new one can be asked for.
    expect((await press("retry")).headers.get("Location")).toBe("/app/settings/privacy?notice=unchanged");
    const next = await requestCopy(bindings, t);
    expect(next.id).not.toBe(copy.id);
    expect(await deliver(bindings, q.takeOne(next.id)!)).toBe(true);
    expect((await row(next.id)).status).toBe("ready");
  });

  it("cancelled while its archive is being written stops, and keeps nothing", async () => {
    const t = await newTenant("Cancel Midway Ltd");
    const { q, bindings, copy, press } = await heldCopy(t);
    const build = deliver(bindings, q.takeOne(copy.id)!);
    await press("cancel");
    await build;
    await expectCancelledWithNothingKept(t, copy);
  });

  it("asked for while the queue refuses messages is left to the cron, not failed", async () => {
    const t = await newTenant("Queue Down Ltd");
    const q = new HeldQueue();
    q.refuse = true;
    const bindings = jobEnv(q);
    const copy = await requestCopy(bindings, t);
    expect(copy.status).toBe("queued");
    q.refuse = false;
    await runCron(bindings, Date.now() + 3 * 60_000);
    expect(await deliver(bindings, q.takeOne(copy.id)!)).toBe(true);
    expect((await row(copy.id)).status).toBe("ready");
  });
});

describe("the watchdog's cost", () => {
  it("is six statements a run (two per job table), however many jobs are silent, and at most 25 re-sends per table", async () => {
    const t = await newTenant("Many Jobs Ltd");
    const userId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(t.email).first<{ id: string }>())!
      .id;
    const old = Date.now() - 60 * 60_000;
    const rows = Array.from({ length: 30 }, (_, i) =>
      env.DB.prepare(
        "INSERT INTO data_exports (id, tenant_id, user_id, includes_workspace, status, base_url, created_at, updated_at) VALUES (?, ?, ?, 1, 'queued', 'http://localhost', ?, ?)",
      ).bind(`manyjobs${i}`, t.tenantId, userId, old, old),
    );
    await env.DB.batch(rows);
    const q = new HeldQueue();
    const counting = countingDb();
    const report = await runJobWatchdog({ ...jobEnv(q), DB: counting.binding } as never, Date.now());
    expect(report.resent).toBeGreaterThanOrEqual(25);
    expect(q.held.filter((m) => m.type === "privacy.export" && m.exportId.startsWith("manyjobs"))).toHaveLength(25);
    expect(counting.roundTrips.count).toBe(6);
    // Each sweep walks its table's partial index of working jobs, never the whole table.
    for (const statement of counting.statements) {
      const params = Array.from({ length: (statement.match(/\?/g) ?? []).length }, () => 0);
      const plan = (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement}`)
          .bind(...params)
          .all<{ detail: string }>()
      ).results.map((r) => r.detail);
      expect(
        plan.some((d) => /USING (COVERING )?INDEX (import_jobs|data_exports|bulk_jobs)_working_idx/.test(d)),
        plan.join(" | "),
      ).toBe(true);
      expect(
        plan.filter((d) => /^SCAN (import_jobs|data_exports|bulk_jobs)\b/.test(d)),
        plan.join(" | "),
      ).toEqual([]);
    }
    // They are jobs nobody will build: cancel them so the file's other tests do not meet them.
    await env.DB.prepare("UPDATE data_exports SET status = 'cancelled' WHERE id LIKE 'manyjobs%'").run();
  });
});
