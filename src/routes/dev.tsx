/**
 * Development-only routes: every one answers 404 unless devToolsEnabled (DEV_MAIL=1 outside
 * production, set by `npm run dev` and the browser tests).
 */
import { Hono } from "hono";
import { runCron } from "../cron";
import type { AppEnv } from "../env";
import { devToolsEnabled } from "../lib/dev-tools";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { getMail, listRecentMail } from "../services/mail/outbox";
import { DevMailPage } from "../../views/pages/dev/MailPage";

export const devRoutes = new Hono<AppEnv>();

devRoutes.use("*", async (c, next) => {
  if (!devToolsEnabled(c.env)) return errorResponse(c, 404);
  c.header("Cache-Control", "no-store");
  await next();
});

devRoutes.get("/mail", async (c) => {
  const mails = await listRecentMail(c.get("db"));
  return render(
    c,
    "Outbox",
    <DevMailPage
      mails={mails.map((m) => ({
        id: m.id,
        to: m.toAddress,
        kind: m.kind,
        essential: m.essential,
        subject: m.subject,
        text: m.textBody,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: m.createdAt,
      }))}
    />,
  );
});

// The HTML body as the mail client would get it, under a CSP that runs nothing and loads nothing
// but its own inline styles.
devRoutes.get("/mail/:id/html", async (c) => {
  const mail = await getMail(c.get("db"), c.req.param("id"));
  if (!mail) return errorResponse(c, 404);
  c.set(
    "cspOverride",
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  return c.html(mail.htmlBody);
});

/**
 * The development tick: wrangler dev fires no Cron Triggers (and with static assets its
 * /cdn-cgi/handler/scheduled answers 500 without running them), so `npm run dev` POSTs here every
 * minute. It runs exactly what the Cron Trigger runs, at `?time=` (ms) or now, and answers the
 * report: 500 when a part failed.
 */
devRoutes.post("/cron", async (c) => {
  const time = c.req.query("time");
  if (time !== undefined && !/^\d{1,15}$/.test(time))
    return c.json({ ok: false, error: "time must be a whole number of milliseconds" }, 400);
  const report = await runCron(c.env, time === undefined ? Date.now() : Number(time));
  return c.json({ ok: report.failures.length === 0, ...report }, report.failures.length === 0 ? 200 : 500);
});
