/**
 * The retention job, rule by rule, through the Worker's scheduled handler with the clock moved to
 * just before and just after each period: what a user, an operator or the privacy page would see.
 * Each rule is also run twice at the same time, to show that a second run changes nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS, LONGEST_WINDOW_MS } from "../../src/auth/rate-limit";
import { RETENTION } from "../../src/lib/legal";
import { STATEMENTS_PER_RUN } from "../../src/services/privacy/retention";
import { countingDb } from "../helpers/query-count";
import { cookieHeader, logIn, randomIp, send, signUp, uniqueEmail, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { DAY, r2Keys, runCron } from "../closure/helpers";
import { MINUTE, count, one, twiceIsOnce } from "./helpers";

/** The row of `table` is kept a minute before `due` and gone a minute after (the cron run twice then). */
async function expectRowKeptUntil(due: number, table: string, id: string | number) {
  const row = () => one(`SELECT 1 AS x FROM ${table} WHERE id = ?`, id);
  await runCron(due - MINUTE);
  expect(await row(), `${table} ${id} before its time`).not.toBeNull();
  await twiceIsOnce(due + MINUTE);
  expect(await row(), `${table} ${id} after its time`).toBeNull();
}

/** The row of `table` found by `where` (one bound value) is kept `days` after it was created, then deleted. */
async function expectKeptDaysAfterCreation(days: number, table: string, where: string, value: unknown) {
  const row = (await one<{ id: string | number; created_at: number }>(
    `SELECT id, created_at FROM ${table} WHERE ${where}`,
    value,
  ))!;
  await expectRowKeptUntil(row.created_at + days * DAY, table, row.id);
}

describe("the audit trail", () => {
  it(`keeps entries ${RETENTION.auditLogDays} days, then deletes them; a second run changes nothing`, async () => {
    const t = await newTenant("Audit Age Co");
    const signUpEntry = "tenant_id = ? AND action = 'auth.sign_up'";
    await expectKeptDaysAfterCreation(RETENTION.auditLogDays, "audit_log", signUpEntry, t.tenantId);
  });

  it("takes its period from RETENTION_AUDIT_LOG_DAYS, and the privacy page says so", async () => {
    const t = await newTenant("Audit Config Co");
    const entry = (await one<{ id: number; created_at: number }>(
      "SELECT id, created_at FROM audit_log WHERE tenant_id = ?",
      t.tenantId,
    ))!;
    await runCron(entry.created_at + 89 * DAY, { RETENTION_AUDIT_LOG_DAYS: "90" });
    expect(await one("SELECT 1 AS x FROM audit_log WHERE id = ?", entry.id)).not.toBeNull();
    await runCron(entry.created_at + 90 * DAY + MINUTE, { RETENTION_AUDIT_LOG_DAYS: "90" });
    expect(await one("SELECT 1 AS x FROM audit_log WHERE id = ?", entry.id)).toBeNull();
    expect(await textOf("/privacy", { env: { RETENTION_AUDIT_LOG_DAYS: "90" } })).toContain("the audit trail: 90 days");
  });

  it("is still append-only for everyone else: a recent entry cannot be deleted or changed", async () => {
    const t = await newTenant("Append Only Co");
    await runCron(Date.now()); // the horizon is now a year ago
    const entry = (await one<{ id: number }>("SELECT id FROM audit_log WHERE tenant_id = ?", t.tenantId))!;
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE id = ?").bind(entry.id).run()).rejects.toThrow(
      /append-only/,
    );
    await expect(
      env.DB.prepare("UPDATE audit_log SET action = 'record.deleted' WHERE id = ?").bind(entry.id).run(),
    ).rejects.toThrow(/append-only/);
    // Even with no horizon at all, nothing of an open workspace can be deleted.
    await env.DB.prepare("UPDATE retention_state SET horizon = 0 WHERE name = 'audit_log'").run();
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE tenant_id = ?").bind(t.tenantId).run()).rejects.toThrow(
      /append-only/,
    );
    // A workspace that is closed but not yet being erased keeps its trail too.
    await env.DB.prepare("UPDATE tenants SET closed_at = ?1, erase_after = ?1 + 1000000 WHERE id = ?2")
      .bind(Date.now(), t.tenantId)
      .run();
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE tenant_id = ?").bind(t.tenantId).run()).rejects.toThrow(
      /append-only/,
    );
    expect(await count("SELECT 1 FROM audit_log WHERE tenant_id = ?", t.tenantId)).toBeGreaterThan(0);
  });
});

describe("copies of sent mail", () => {
  it(`keep mail ${RETENTION.mailBodyDays} days after sending; then the whole row goes, the recipient's address with it`, async () => {
    const { email } = await signUp();
    const mail = await lastMail(email, "verify_email");
    expect(mail.status).toBe("sent");
    const created = (await one<{ created_at: number }>("SELECT created_at FROM email_outbox WHERE id = ?", mail.id))!
      .created_at;
    // A contact-page acknowledgement: mail with neither workspace nor user, to someone without an account.
    const sender = uniqueEmail("sender");
    expect(
      (await send("/contact", { form: { name: "Sender", email: sender, message: "A question about my data." } }))
        .status,
    ).toBe(303);
    // Mail still waiting for a retry when the period ends goes too, unsent; mail written since stays.
    const pendingId = `pending-${crypto.randomUUID()}`;
    await env.DB.prepare(
      "INSERT INTO email_outbox (id, to_address, kind, essential, subject, text_body, html_body, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?1, 'waiting@example.com', 'verify_email', 1, 'Waiting', 'body', '<p>body</p>', 'pending', 1, ?2, ?3, ?3)",
    )
      .bind(pendingId, created + 400 * DAY, created)
      .run();
    const recentId = `recent-${crypto.randomUUID()}`;
    await env.DB.prepare(
      "INSERT INTO email_outbox (id, to_address, kind, essential, subject, text_body, html_body, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?1, 'recent@example.com', 'verify_email', 1, 'Recent', 'body', '<p>body</p>', 'retrying', 2, ?2, ?3, ?3)",
    )
      .bind(recentId, created + 400 * DAY, created + DAY)
      .run();
    // A row an earlier version of the job only emptied, keeping its address.
    const emptiedId = `emptied-${crypto.randomUUID()}`;
    await env.DB.prepare(
      "INSERT INTO email_outbox (id, to_address, kind, essential, subject, text_body, html_body, status, attempts, next_attempt_at, created_at, updated_at, sent_at, body_cleared_at) VALUES (?1, 'emptied@example.com', 'verify_email', 1, '', '', '', 'sent', 1, ?2, ?2, ?2, ?2, ?2)",
    )
      .bind(emptiedId, created - 40 * DAY)
      .run();

    const due = created + RETENTION.mailBodyDays * DAY;
    await runCron(due - MINUTE);
    expect((await lastMail(email, "verify_email")).text_body).toContain("/verify-email/");
    expect(await one("SELECT count(*) AS n FROM email_outbox WHERE to_address = ?", sender)).toEqual({ n: 1 });
    await twiceIsOnce(due + 5 * MINUTE);
    for (const address of [email, sender, "emptied@example.com", "waiting@example.com"]) {
      expect(await one("SELECT count(*) AS n FROM email_outbox WHERE to_address = ?", address), address).toEqual({
        n: 0,
      });
    }
    expect(await one("SELECT subject, status FROM email_outbox WHERE id = ?", recentId)).toEqual({
      subject: "Recent",
      status: "retrying",
    });
    const privacy = (await textOf("/privacy")).replace(/\s+/g, " ");
    expect(privacy).toContain(
      `copies of the emails we sent, and of emails we could not deliver: ${RETENTION.mailBodyDays} days after they were written; then the whole record of the email goes, including the address it was sent to (an email still waiting for a retry by then is never sent)`,
    );
  });
});

describe("import files", () => {
  it(`are said on /privacy to keep an erased contact's row until the file goes, ${RETENTION.importFileDays} days after upload`, async () => {
    const text = (html: string) =>
      html
        .replace(/<[^>]+>/g, " ")
        .replace(/&#39;|&#x27;|&apos;/g, "'")
        .replace(/\s+/g, " ");
    const page = text(await textOf("/privacy"));
    expect(page).toContain(
      `uploaded import files and their error reports and previews: ${RETENTION.importFileDays} days after the upload, then deleted. A contact you erase stays in the file that imported them, and in its error report and preview, until then, and goes with it`,
    );
    expect(page).toContain(
      `An erased contact's row in an uploaded import file, or in its error report or preview, is deleted with that file, ${RETENTION.importFileDays} days after the upload.`,
    );
    const configured = text(await textOf("/privacy", { env: { RETENTION_IMPORT_FILE_DAYS: "3" } }));
    expect(configured).toContain("is deleted with that file, 3 days after the upload.");
  });

  it(`stay in R2 ${RETENTION.importFileDays} days; then the upload, chunks and error file go and the job is marked`, async () => {
    const t = await newTenant("Import Files Co");
    const now = Date.now();
    const job = async (id: string, createdAt: number) => {
      await env.DB.prepare(
        "INSERT INTO import_jobs (id, tenant_id, kind, status, file_name, file_size, file_key, chunk_count, update_count, created_at, updated_at) VALUES (?1, ?2, 'contacts', 'done', 'a.csv', 5, ?3, 1, 1, ?4, ?4)",
      )
        .bind(id, t.tenantId, `imports/${t.tenantId}/${id}`, createdAt)
        .run();
      // The upload, what the analysis and the preview derived from it (import-review.ts), the error file.
      const keys = ["upload", "chunk-0.json", "chunk-1.json", "errors.csv", "samples.json", "review-head.json"];
      for (const key of keys) await env.FILES.put(`imports/${t.tenantId}/${id}/${key}`, "a,b");
      await env.FILES.put(
        `imports/${t.tenantId}/${id}/review-0.json`,
        JSON.stringify({ updates: [], duplicates: [], conflicts: [] }),
      );
    };
    await job("old-import", now);
    await job("new-import", now + 5 * DAY);
    const due = now + RETENTION.importFileDays * DAY;

    expect((await send("/app/import/old-import/review.csv", { cookie: t.cookie })).status).toBe(200);
    await runCron(due - MINUTE);
    expect(await r2Keys(`imports/${t.tenantId}/old-import/`)).toHaveLength(7);
    await twiceIsOnce(due + MINUTE);
    expect(await r2Keys(`imports/${t.tenantId}/old-import/`)).toEqual([]);
    expect(await r2Keys(`imports/${t.tenantId}/new-import/`)).toHaveLength(7);
    expect(await one("SELECT status, files_deleted_at FROM import_jobs WHERE id = 'old-import'")).toEqual({
      status: "done",
      files_deleted_at: due + MINUTE,
    });
    expect(await one("SELECT files_deleted_at FROM import_jobs WHERE id = 'new-import'")).toEqual({
      files_deleted_at: null,
    });
    // The errors file is gone for the user too (signing in again: the job also ended the month-old session).
    const again = await logIn(t.email);
    expect((await send("/app/import/old-import/errors.csv", { cookie: again.cookie })).status).toBe(404);
    expect((await send("/app/import/old-import/review.csv", { cookie: again.cookie })).status).toBe(404);
  });
});

describe("messages to support and cookie choices", () => {
  it(`keep contact-page messages ${RETENTION.supportMessageDays} days`, async () => {
    const email = uniqueEmail("writer");
    expect(
      (await send("/contact", { form: { name: "Writer", email, message: "A question about retention periods." } }))
        .status,
    ).toBe(303);
    await expectKeptDaysAfterCreation(RETENTION.supportMessageDays, "support_messages", "email = ?", email);
  });

  it(`keep the record of a cookie choice ${RETENTION.consentRecordDays} days, as the privacy page says`, async () => {
    const res = await send("/consent", { form: { analytics: "reject", back: "/" }, ip: randomIp() });
    expect(res.status).toBe(303);
    const id = decodeURIComponent(cookieHeader(res).match(/__Host-consent=([^.;]+)/)![1]!);
    await expectKeptDaysAfterCreation(RETENTION.consentRecordDays, "consent_records", "consent_id = ?", id);
    expect(await textOf("/privacy")).toContain(
      `the record of each cookie choice (our proof of your consent or refusal): ${RETENTION.consentRecordDays} days`,
    );
  });
});

describe("expired sign-in state", () => {
  it("deletes a session after 7 idle days: until then it works, afterwards it is gone", async () => {
    const { cookie, email } = await signUp();
    const session = (await one<{ id: string; last_active_at: number }>(
      "SELECT s.id, s.last_active_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ?",
      email,
    ))!;
    const due = session.last_active_at + 7 * DAY;
    await runCron(due - MINUTE);
    expect((await send("/app", { cookie })).status).toBe(200);
    await twiceIsOnce(due + MINUTE);
    expect(await one("SELECT 1 AS x FROM sessions WHERE id = ?", session.id)).toBeNull();
    expect((await send("/app", { cookie })).headers.get("Location")).toMatch(/^\/login/);
  });

  it("deletes an emailed link when it expires", async () => {
    const { email } = await signUp();
    expect((await send("/password/forgot", { form: { email } })).status).toBe(200);
    const link = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    const token = (await one<{ expires_at: number; token_hash: string }>(
      "SELECT t.expires_at, t.token_hash FROM auth_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ? AND t.kind = 'password_reset'",
      email,
    ))!;
    await runCron(token.expires_at - MINUTE);
    expect((await send(link)).status).toBe(200);
    await twiceIsOnce(token.expires_at + MINUTE);
    expect(await one("SELECT 1 AS x FROM auth_tokens WHERE token_hash = ?", token.token_hash)).toBeNull();
    expect((await send(link)).status).toBe(404);
  });

  it("deletes rate-limit windows a day after they started, the longest any limit uses", async () => {
    for (const limit of Object.values(LIMITS))
      expect(limit.windowMs, limit.name).toBeLessThanOrEqual(LONGEST_WINDOW_MS);
    const ip = randomIp();
    const started = Date.now();
    await logIn(uniqueEmail("nobody"), "wrong password here", { ip });
    const windows = await count("SELECT 1 FROM rate_limits WHERE window_start >= ?", started);
    expect(windows).toBeGreaterThan(0);
    await runCron(started + LONGEST_WINDOW_MS - MINUTE);
    expect(await count("SELECT 1 FROM rate_limits WHERE window_start >= ?", started)).toBe(windows);
    await twiceIsOnce(Date.now() + LONGEST_WINDOW_MS + MINUTE);
    expect(await count("SELECT 1 FROM rate_limits WHERE window_start >= ?", started)).toBe(0);
  });
});

describe("the ledger of erased workspaces", () => {
  it(`is kept ${RETENTION.billingLedgerYears} years after the erasure, then deleted`, async () => {
    const erasedAt = Date.now();
    const keepUntil = new Date(erasedAt);
    keepUntil.setUTCFullYear(keepUntil.getUTCFullYear() + RETENTION.billingLedgerYears);
    await env.DB.prepare(
      "INSERT INTO closed_tenant_ledger (tenant_id, closed_at, closed_by, erase_after, erased_at, keep_until, invoices, created_at) VALUES ('ledger-only', ?1, 'owner', ?1, ?1, ?2, '[]', ?1)",
    )
      .bind(erasedAt, keepUntil.getTime())
      .run();
    await runCron(keepUntil.getTime() - MINUTE);
    expect(await one("SELECT 1 AS x FROM closed_tenant_ledger WHERE tenant_id = 'ledger-only'")).not.toBeNull();
    await twiceIsOnce(keepUntil.getTime() + MINUTE);
    expect(await one("SELECT 1 AS x FROM closed_tenant_ledger WHERE tenant_id = 'ledger-only'")).toBeNull();
  });
});

describe("the privacy page", () => {
  it("lists every period the job keeps to, with the values configured", async () => {
    const html = (await textOf("/privacy")).replace(/\s+/g, " ");
    for (const line of [
      `${RETENTION.closureGraceDays} days in which it can be reopened`,
      `for ${RETENTION.billingLedgerYears} years`,
      `messages sent through the contact page: ${RETENTION.supportMessageDays} days`,
      `the audit trail: ${RETENTION.auditLogDays} days`,
      `emails we could not deliver: ${RETENTION.mailBodyDays} days after they were written; then the whole record of the email goes`,
      `uploaded import files and their error reports and previews: ${RETENTION.importFileDays} days`,
      `so that it can be undone): ${RETENTION.importUndoDays} days after the import`,
      `(the week and how far the sending got; no content): ${RETENTION.digestRunDays} days`,
      `(our proof of your consent or refusal): ${RETENTION.consentRecordDays} days`,
      "sign-in sessions: deleted after 7 days without use",
    ]) {
      expect(html).toContain(line);
    }
    const configured = await textOf("/privacy", {
      env: {
        CLOSURE_GRACE_DAYS: "14",
        RETENTION_BILLING_LEDGER_YEARS: "10",
        RETENTION_SUPPORT_MESSAGE_DAYS: "180",
        RETENTION_MAIL_BODY_DAYS: "7",
        RETENTION_IMPORT_FILE_DAYS: "3",
        RETENTION_IMPORT_UNDO_DAYS: "5",
        RETENTION_CONSENT_RECORD_DAYS: "400",
      },
    });
    for (const line of [
      "14 days in which it can be reopened",
      "for 10 years",
      "messages sent through the contact page: 180 days",
      "emails we could not deliver: 7 days",
      "uploaded import files and their error reports and previews: 3 days",
      "so that it can be undone): 5 days after the import",
      "(our proof of your consent or refusal): 400 days",
    ]) {
      expect(configured).toContain(line);
    }
    expect(await textOf("/terms", { env: { CLOSURE_GRACE_DAYS: "14" } })).toContain("It can be reopened for 14 days");
  });
});

describe("bounded work", () => {
  it("makes at most a fixed number of statements per run, and finishes a backlog over several runs", async () => {
    const old = Date.now() - 400 * DAY;
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1000)
       INSERT INTO audit_log (tenant_id, action, created_at) SELECT 'backlog', 'auth.sign_in', ?1 + i FROM seq`,
    )
      .bind(old)
      .run();
    let runs = 0;
    let maxStatements = 0;
    while ((await count("SELECT 1 FROM audit_log WHERE tenant_id = 'backlog'")) > 0) {
      const counting = countingDb();
      await runCron(Date.now(), { DB: counting.binding, RETENTION_CHUNK_ROWS: "100" });
      maxStatements = Math.max(maxStatements, counting.statements.length);
      runs += 1;
      expect(runs).toBeLessThan(10);
    }
    // 1,000 entries, 100 per statement, 4 statements per sweep and run: three runs.
    expect(runs).toBe(3);
    // The mail sweep's few queries plus the job's, well under D1's 1,000 per invocation.
    expect(maxStatements).toBeLessThanOrEqual(STATEMENTS_PER_RUN + 10);
    console.log(
      JSON.stringify({
        type: "retention_figures",
        backlog: 1000,
        chunkRows: 100,
        runs,
        maxStatementsPerRun: maxStatements,
      }),
    );
  });
});
