/**
 * Closing a workspace (/app/settings/close, the owner only, with their password) and reopening it
 * from the emailed link (/reopen/:tenantId/:token, no session needed: everyone was signed out).
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { noStore } from "../middleware/security-headers";
import { clearSessionCookie, requireRole } from "../middleware/session";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { DAY_MS, retentionPeriods } from "../lib/retention-periods";
import { stripeFromEnv } from "../lib/stripe";
import { parseForm, requiredCheckbox } from "../lib/validation";
import { closureDate } from "../mail/closure-messages";
import { PAID_STATES } from "../services/billing/billing";
import { closeWorkspaceAsOwner, findReopenable, reopenWorkspace } from "../services/privacy/closure";
import { listMembers } from "../services/team/members";
import { tenantOf } from "./context";
import { InvalidLinkPage } from "../../views/pages/account/AccountPages";
import { ReopenedPage, ReopenPage, WorkspaceClosedDonePage } from "../../views/pages/closure/ClosurePages";
import { CloseWorkspacePage } from "../../views/pages/settings/CloseWorkspacePage";

/** Mounted at /app/settings. */
export const closureRoutes = new Hono<AppEnv>();
/** Mounted at /: the reopen link. */
export const reopenRoutes = new Hono<AppEnv>();

const closeSchema = z.object({
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(1024),
  confirm_close: requiredCheckbox("Tick the box to confirm that you want to close the workspace."),
});

async function closePage(
  c: Context<AppEnv>,
  errors: Record<string, string> = {},
  alert: string | null = null,
  status: ContentfulStatusCode = 200,
) {
  const auth = c.get("auth")!;
  const periods = retentionPeriods(c.env);
  const members = await listMembers(tenantOf(c));
  return render(
    c,
    "Close this workspace",
    <CloseWorkspacePage
      tenantName={auth.tenant.name}
      graceDays={periods.closureGraceDays}
      eraseOn={closureDate(Date.now() + periods.closureGraceDays * DAY_MS)}
      paid={PAID_STATES.includes(auth.tenant.billingState) || auth.tenant.billingState === "past_due"}
      memberCount={members.length}
      ledgerYears={periods.billingLedgerYears}
      errors={errors}
      alert={alert}
    />,
    status,
  );
}

closureRoutes.get("/close", requireRole("owner"), (c) => closePage(c));

closureRoutes.post("/close", requireRole("owner"), async (c) => {
  const auth = c.get("auth")!;
  const parsed = parseForm(closeSchema, await c.req.parseBody());
  if (!parsed.ok) return closePage(c, parsed.errors, null, 422);
  const result = await closeWorkspaceAsOwner(
    c.get("db"),
    stripeFromEnv(c.env),
    { userId: auth.user.id, tenantId: auth.tenant.id },
    parsed.data.password,
    retentionPeriods(c.env).closureGraceDays,
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok) {
    switch (result.reason) {
      case "wrong_password":
        return closePage(c, { password: "That is not your password." }, null, 422);
      case "rate_limited":
        c.header("Retry-After", String(result.retryAfter));
        return closePage(
          c,
          {},
          `Too many wrong passwords. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`,
          429,
        );
      case "stripe_unavailable":
        return closePage(
          c,
          {},
          "We could not reach Stripe to cancel the subscription, so nothing was changed. Please try again in a few minutes.",
          503,
        );
      default:
        return closePage(c, {}, "This workspace is already closed.", 409);
    }
  }
  deliverSoon(c, result.mailIds);
  // This session was one of those that ended with the closure.
  clearSessionCookie(c);
  c.set("auth", null);
  return render(
    c,
    "Workspace closed",
    <WorkspaceClosedDonePage
      tenantName={auth.tenant.name}
      email={auth.user.email}
      eraseOn={closureDate(result.eraseAfter)}
    />,
  );
});

// ---- /reopen/:tenantId/:token ---------------------------------------------------------------------

reopenRoutes.use("/reopen/*", noStore);

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN = /^[a-z2-7]{20,64}$/;

const invalidLink = (c: Context<AppEnv>) =>
  render(
    c,
    "Link expired",
    <InvalidLinkPage what="reopen" retryHref="/contact" retryLabel="Write to us if you need help" />,
    404,
  );

reopenRoutes.get("/reopen/:tenantId/:token", async (c) => {
  const { tenantId, token } = c.req.param();
  const live =
    ID.test(tenantId) && TOKEN.test(token) ? await findReopenable(c.get("db"), tenantId, token, Date.now()) : null;
  if (!live) return invalidLink(c);
  return render(
    c,
    "Reopen the workspace",
    <ReopenPage
      action={`/reopen/${tenantId}/${token}`}
      tenantName={live.name}
      eraseOn={closureDate(live.eraseAfter)}
    />,
  );
});

reopenRoutes.post("/reopen/:tenantId/:token", async (c) => {
  const { tenantId, token } = c.req.param();
  const result =
    ID.test(tenantId) && TOKEN.test(token)
      ? await reopenWorkspace(c.get("db"), tenantId, token, requestMeta(c))
      : { ok: false as const };
  if (!result.ok) return invalidLink(c);
  return render(c, "Workspace reopened", <ReopenedPage tenantName={result.name} />);
});
