// The development cron tick. `wrangler dev` fires no Cron Triggers, and with static assets its
// /cdn-cgi/handler/scheduled answers 500 without running scheduled() (workers-sdk #9882). So
// `npm run dev` POSTs /dev/cron every minute: the app runs exactly what its Cron Trigger runs
// (src/cron.ts) and answers a report. Failures are printed; success only when something was done.
// The browser tests fire the same tick (test/e2e/cron.e2e.mjs).

/** One line saying what a tick did, or "" when it did nothing. */
export function describeDid(did) {
  const parts = [];
  if (did.mail) parts.push(`mail ${did.mail.sent} sent, ${did.mail.retrying} to retry, ${did.mail.failed} given up`);
  if (did.reminders) parts.push(`reminders ${did.reminders.sent} sent (${did.reminders.mailed} by mail)`);
  if (did.agendasSent) parts.push(`${did.agendasSent} daily agenda(s) sent`);
  if (did.jobs) parts.push(`jobs ${did.jobs.resent} step(s) sent again, ${did.jobs.failed} failed`);
  if (did.retention) parts.push("retention deleted what was past its period");
  if (did.exportsPurged) parts.push(`${did.exportsPurged} expired data export(s) deleted`);
  if (did.digestsSent) parts.push(`${did.digestsSent} weekly digest(s) sent`);
  return parts.join("; ");
}

/**
 * Fires one tick at `url` (with `time`, ms, to move the clock as the Cron Trigger's scheduledTime
 * would). Returns { ok, status, report }; logs failures to `log.error` and what was done to `log.log`.
 */
export async function tick(url, { time, log = console } = {}) {
  const target = `${url}/dev/cron${time === undefined ? "" : `?time=${time}`}`;
  let res;
  try {
    // The app's CSRF check wants our own Origin on a POST.
    res = await fetch(target, { method: "POST", headers: { Origin: url }, signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    log.error(`✗ cron tick: the app did not answer (${err?.cause?.code ?? err?.message ?? err})`);
    return { ok: false, status: 0, report: null };
  }
  const report = await res.json().catch(() => null);
  if (res.status === 404) {
    log.error(
      "✗ cron tick: /dev/cron answered 404 (it needs DEV_MAIL=1 and ENVIRONMENT=development): the cron is not running",
    );
    return { ok: false, status: res.status, report };
  }
  if (!res.ok || !report?.ok) {
    const why = report?.failures?.map((f) => `${f.part}: ${f.error}`).join("; ") ?? `HTTP ${res.status}`;
    log.error(`✗ cron tick failed: ${why}`);
    return { ok: false, status: res.status, report };
  }
  const did = describeDid(report.did ?? {});
  if (did) log.log(`· cron tick: ${did}`);
  return { ok: true, status: res.status, report };
}
