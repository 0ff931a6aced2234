/** Development-only pages: 404 unless DEV_MAIL=1 outside production (`npm run dev` sets both). */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { devToolsEnabled } from "../lib/dev-tools";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { getMail, listRecentMail } from "../services/outbox";
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
  c.set("cspOverride", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  return c.html(mail.htmlBody);
});
