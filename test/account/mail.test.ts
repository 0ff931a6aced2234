import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { httpSender, type Sender } from "../../src/mail/senders";
import { deliverDue, MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../../src/services/mail/outbox";
import { runCron } from "../helpers/cron";
import { countRows } from "../helpers/db";
import { failingStatements } from "../helpers/faults";
import { send, signUp, uniqueEmail, statusOf } from "../helpers/http";
import { deliveredTo, lastMail, mailTo } from "../helpers/mail";

const OPS_TOKEN = "ops-token-for-tests-0123456789abcdef0123";

describe("email delivery", () => {
  it("queues the verification email in the sign-up batch and delivers it through the provider", async () => {
    const { email } = await signUp();
    const mail = await lastMail(email, "verify_email");
    expect(mail.essential).toBe(1);
    expect(mail.status).toBe("sent");
    expect(mail.html_body).toContain("Confirm my email");
    expect(mail.text_body).toMatch(/http:\/\/localhost\/verify-email\/[a-z2-7]+/);
    const delivered = await deliveredTo(email);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.headers.authorization).toBe("Bearer test-mail-token");
    expect(delivered[0]!.message.subject).toBe(mail.subject);
    expect(delivered[0]!.message.text).toBe(mail.text_body);
    expect(delivered[0]!.message.html).toBe(mail.html_body);
  });

  it("writes no email when the change that would cause it fails", async () => {
    const { email } = await signUp();
    const before = (await mailTo(email)).length;
    await send("/signup", {
      form: {
        email,
        password: "another long passphrase",
        company_name: "Dup",
        age_confirmed: "on",
        accept_terms: "on",
      },
    });
    expect((await mailTo(email)).length).toBe(before);
  });

  it("keeps mail pending when no sender is configured, and the cron sweep delivers it later", async () => {
    const email = uniqueEmail("later");
    await signUp({ email }, { env: { MAIL_PROVIDER: "http", MAIL_HTTP_URL: "" } });
    expect((await lastMail(email, "verify_email")).status).toBe("pending");
    expect(await deliveredTo(email)).toHaveLength(0);
    await runCron(Date.now() + 1000);
    expect((await lastMail(email, "verify_email")).status).toBe("sent");
    expect(await deliveredTo(email)).toHaveLength(1);
  });

  it("retries a failing delivery with backoff, then marks it failed and shows it to operators, never dropping it", async () => {
    const email = uniqueEmail("undeliverable");
    const start = Date.now();
    await signUp({ email });
    let mail = await lastMail(email, "verify_email");
    expect(mail).toMatchObject({ status: "pending", attempts: 1 });
    expect(mail.last_error).toContain("503");

    // Not due yet: a sweep before the backoff has passed does nothing.
    await runCron(start + 1000);
    expect((await lastMail(email, "verify_email")).attempts).toBe(1);

    let clock = start;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock += RETRY_DELAYS_MS[attempt - 2]! + 5_000;
      await runCron(clock);
      mail = await lastMail(email, "verify_email");
      expect(mail.attempts).toBe(attempt);
    }
    expect(mail.status).toBe("failed");
    expect(await deliveredTo(email)).toHaveLength(MAX_ATTEMPTS);

    // Further sweeps leave it alone.
    await runCron(clock + 24 * 3_600_000);
    expect((await lastMail(email, "verify_email")).attempts).toBe(MAX_ATTEMPTS);

    const ops = await send("/ops/mail/failed", {
      headers: { Authorization: `Bearer ${OPS_TOKEN}` },
      env: { OPS_TOKEN },
    });
    expect(ops.status).toBe(200);
    const { failed } = (await ops.json()) as {
      failed: { id: string; to: string; kind: string; attempts: number; lastError: string }[];
    };
    expect(failed.find((f) => f.id === mail.id)).toMatchObject({
      to: email,
      kind: "verify_email",
      attempts: MAX_ATTEMPTS,
    });
  });

  it("delivers the ids it is given however many (a digest run passes up to 100, past D1's 100 parameters)", async () => {
    const db = createDb(env.DB);
    const sender = httpSender(env.MAIL_HTTP_URL!, env.MAIL_HTTP_TOKEN!, "test@example.com");
    const email = uniqueEmail("many-ids");
    await signUp({ email }, { env: { MAIL_PROVIDER: "http", MAIL_HTTP_URL: "" } });
    const [mail] = await mailTo(email);
    const ids = [...Array.from({ length: 149 }, (_, i) => `no-such-mail-${i}`), mail!.id];
    const report = await deliverDue(db, sender, Date.now() + 1000, { ids });
    expect(report.sent).toBe(1);
    expect(await deliveredTo(email)).toHaveLength(1);
  });

  it("gives up on a provider that does not answer, and retries the mail later", async () => {
    const email = uniqueEmail("unresponsive");
    await signUp({ email }, { env: { MAIL_PROVIDER: "http", MAIL_HTTP_URL: "" } });
    const db = createDb(env.DB);
    const sender = httpSender(env.MAIL_HTTP_URL!, env.MAIL_HTTP_TOKEN!, "test@example.com", 300);
    const started = Date.now();
    const report = await deliverDue(db, sender, Date.now() + 1000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(report.sent).toBe(0);
    const [mail] = await mailTo(email);
    expect(mail).toMatchObject({ status: "pending", attempts: 1 });
    // Every file's cron shares this outbox: left there, the mail would hold each of their sweeps for 10 s.
    await env.DB.prepare("DELETE FROM email_outbox WHERE to_address = ?").bind(email).run();
  });

  it("sends each message once even when two sweeps run at the same time", async () => {
    const email = uniqueEmail("once");
    await signUp({ email }, { env: { MAIL_PROVIDER: "http", MAIL_HTTP_URL: "" } });
    const db = createDb(env.DB);
    const sender = httpSender(env.MAIL_HTTP_URL!, env.MAIL_HTTP_TOKEN!, "test@example.com");
    const now = Date.now() + 1000;
    await Promise.all([deliverDue(db, sender, now), deliverDue(db, sender, now), deliverDue(db, sender, now)]);
    expect(await deliveredTo(email)).toHaveLength(1);
  });
});

describe("each mail once, even when a step after the provider fails", () => {
  /** A verification mail left pending (no provider at sign-up), and the provider the test delivers it with. */
  async function pendingMail(prefix: string) {
    const email = uniqueEmail(prefix);
    await signUp({ email }, { env: { MAIL_PROVIDER: "http", MAIL_HTTP_URL: "" } });
    const [mail] = await mailTo(email);
    return { email, mail: mail!, sender: httpSender(env.MAIL_HTTP_URL!, env.MAIL_HTTP_TOKEN!, "test@example.com") };
  }

  it("gives the provider the outbox row's id as the Idempotency-Key", async () => {
    const { email, mail, sender } = await pendingMail("idempotent");
    await deliverDue(createDb(env.DB), sender, Date.now() + 1000, { ids: [mail.id] });
    const [delivered] = await deliveredTo(email);
    expect(delivered!.headers["idempotency-key"]).toBe(mail.id);
  });

  it("never puts a mail the provider took back in line when marking it sent fails", async () => {
    const { email, mail, sender } = await pendingMail("unrecorded");
    // The provider answers 200; the UPDATE that marks the row sent then times out.
    const flaky = createDb(failingStatements(env.DB, /^update "email_outbox" set .*"sent_at" = \?/));
    const t0 = Date.now() + 1000;
    expect((await deliverDue(flaky, sender, t0, { ids: [mail.id] })).sent).toBe(1);
    expect(await deliveredTo(email)).toHaveLength(1);
    const [row] = await mailTo(email);
    expect(row).toMatchObject({ status: "sending", attempts: 1, last_error: null });
    // Every sweep past the first retry's delay and within the lease leaves it alone.
    for (const at of [t0 + RETRY_DELAYS_MS[0] + 5_000, t0 + 4 * 60_000])
      await deliverDue(createDb(env.DB), sender, at, { ids: [mail.id] });
    expect(await deliveredTo(email)).toHaveLength(1);
    // After the lease it goes again under the same key, which a provider keeping keys for a day sends nothing for.
    await deliverDue(createDb(env.DB), sender, t0 + 6 * 60_000, { ids: [mail.id] });
    expect((await deliveredTo(email)).map((d) => d.headers["idempotency-key"])).toEqual([mail.id, mail.id]);
  });

  it("holds a mail for a whole lease from its claim, even when the sweep claims it late", async () => {
    const { email, mail, sender } = await pendingMail("late-claim");
    const db = createDb(env.DB);
    const scheduled = Date.now() - 290_000; // a cron run that got to the outbox 4 min 50 s after its minute
    await env.DB.prepare("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ?")
      .bind(scheduled - 1000, mail.id)
      .run();
    let nextRun: Promise<unknown> = Promise.resolve();
    // While the provider is taking the mail, the next minute's run sweeps the outbox.
    const slow: Sender = {
      name: "slow",
      async send(m) {
        await sender.send(m);
        nextRun = deliverDue(db, sender, scheduled + 300_000 + 5_000, { ids: [mail.id] });
        await nextRun;
      },
    };
    await deliverDue(db, slow, scheduled, { ids: [mail.id] });
    await nextRun;
    expect(await deliveredTo(email)).toHaveLength(1);
    expect((await mailTo(email))[0]!.status).toBe("sent");
  });
});

describe("operator endpoint", () => {
  it("answers 401 without the token, with a wrong one, and when none is configured", async () => {
    expect((await send("/ops/mail/failed", { env: { OPS_TOKEN } })).status).toBe(401);
    expect(
      await statusOf("/ops/mail/failed", {
        headers: { Authorization: `Bearer ${OPS_TOKEN.slice(0, -1)}x` },
        env: { OPS_TOKEN },
      }),
    ).toBe(401);
    expect((await send("/ops/mail/failed", { headers: { Authorization: "Bearer " } })).status).toBe(401);
    expect((await send("/ops/mail/failed", { headers: { Authorization: `Bearer ${OPS_TOKEN}` } })).status).toBe(401);
  });
});

describe("/dev/mail", () => {
  it("does not exist unless DEV_MAIL=1", async () => {
    expect((await send("/dev/mail")).status).toBe(404);
    expect((await send("/dev/mail", { env: { DEV_MAIL: "0" } })).status).toBe(404);
  });

  it("lists the outbox with rendered bodies in development", async () => {
    const { email } = await signUp();
    const res = await send("/dev/mail", { env: { DEV_MAIL: "1" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(email);
    expect(html).toContain("Confirm your email address");
    const mail = await lastMail(email, "verify_email");
    const body = await send(`/dev/mail/${mail.id}/html`, { env: { DEV_MAIL: "1" } });
    expect(await body.text()).toBe(mail.html_body);
    expect(body.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect((await send(`/dev/mail/${mail.id}/html`)).status).toBe(404);
  });

  it("counts every queued mail as a row (nothing is sent outside the outbox)", async () => {
    const { email } = await signUp();
    expect(await countRows("email_outbox", "to_address = ?", email)).toBe((await deliveredTo(email)).length);
  });
});
