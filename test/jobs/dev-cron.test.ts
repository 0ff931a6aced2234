/**
 * The development tick (POST /dev/cron): what `npm run dev` fires every minute instead of the Cron
 * Trigger wrangler dev cannot run. It exists only with the development flag outside production, runs
 * the cron's own code at the time it is given, and answers 500 with the failed parts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, signUp, uniqueEmail } from "../helpers/http";
import { deliveredTo, lastMail } from "../helpers/mail";
import { failingDatabase } from "../helpers/faults";
import { jobOf, HeldQueue, jobEnv } from "./helpers";

const DEV = { DEV_MAIL: "1", ENVIRONMENT: "development" };
const tick = (opts: { time?: number; env?: Partial<Cloudflare.Env> } = {}) =>
  send(`/dev/cron${opts.time === undefined ? "" : `?time=${opts.time}`}`, {
    method: "POST",
    env: { ...DEV, ...opts.env },
  });

describe("POST /dev/cron", () => {
  it("does not exist without the development flag, in production, or where the environment is not named", async () => {
    expect((await send("/dev/cron", { method: "POST" })).status).toBe(404);
    expect((await tick({ env: { DEV_MAIL: "0" } })).status).toBe(404);
    expect((await tick({ env: { ENVIRONMENT: "production" } })).status).toBe(404);
    expect((await tick({ env: { ENVIRONMENT: "" } })).status).toBe(404);
    // The mail viewer shares the guard.
    expect((await send("/dev/mail", { env: { ...DEV, ENVIRONMENT: "production" } })).status).toBe(404);
    expect((await send("/dev/mail", { env: DEV })).status).toBe(200);
  });

  it("runs the cron at the given time: a mail whose first delivery failed is delivered", async () => {
    const email = uniqueEmail("undeliverable");
    const start = Date.now();
    await signUp({ email });
    expect(await lastMail(email, "verify_email")).toMatchObject({ status: "pending", attempts: 1 });
    // The provider is back (the fake refuses only "undeliverable" addresses): fix the address as an operator would.
    const fixed = email.replace("undeliverable", "fixed");
    await env.DB.prepare("UPDATE email_outbox SET to_address = ? WHERE to_address = ?").bind(fixed, email).run();

    const early = await tick({ time: start + 1_000 });
    expect(early.status).toBe(200);
    expect(await early.json()).toMatchObject({ ok: true, time: start + 1_000, failures: [] });
    expect(await deliveredTo(fixed)).toHaveLength(0);

    const due = await tick({ time: start + 61_000 });
    expect(due.status).toBe(200);
    const report = (await due.json()) as { ok: boolean; did: { mail?: { sent: number } } };
    expect(report.ok).toBe(true);
    expect(report.did.mail!.sent).toBeGreaterThanOrEqual(1);
    expect(await deliveredTo(fixed)).toHaveLength(1);
    expect((await lastMail(fixed, "verify_email")).status).toBe("sent");
  });

  it("runs the job watchdog too", async () => {
    const owner = await signUp();
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const res = await send("/app/settings/privacy/export", { cookie: owner.cookie, form: {}, env: bindings });
    expect(res.status).toBe(303);
    const [lost] = q.held.splice(0);
    expect(lost!.type).toBe("privacy.export");
    const report = await (
      await send(`/dev/cron?time=${Date.now() + 3 * 60_000}`, { method: "POST", env: { ...bindings, ...DEV } })
    ).json();
    expect(report).toMatchObject({ ok: true, did: { jobs: { resent: expect.any(Number) } } });
    expect(q.held.map(jobOf)).toContain(jobOf(lost!));
  });

  it("answers 500 with every part that failed, having run the others", async () => {
    // APP_URL set, so the weekly digest runs too (it needs an origin for its links).
    const res = await tick({ env: { DB: failingDatabase(), APP_URL: "https://crm.example.test" } });
    expect(res.status).toBe(500);
    const report = (await res.json()) as { ok: boolean; failures: { part: string; error: string }[] };
    expect(report.ok).toBe(false);
    expect(report.failures.map((f) => f.part)).toEqual([
      "mail",
      "reminders",
      "agenda",
      "support",
      "retention",
      "data_export_purge",
      "digest",
      "jobs",
      "shards",
      "webhooks",
      "usage",
    ]);
    expect(report.failures[0]!.error).toContain("simulated outage");
  });

  it("refuses a time that is not a number of milliseconds", async () => {
    const res = await tick({ env: {}, time: undefined });
    expect(res.status).toBe(200);
    expect((await send("/dev/cron?time=soon", { method: "POST", env: DEV })).status).toBe(400);
    expect((await send("/dev/cron?time=-5", { method: "POST", env: DEV })).status).toBe(400);
  });
});
