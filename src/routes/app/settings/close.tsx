/** /app/settings/close: closing the workspace, by its owner only, with their password. */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { mirrorsPeople } from "../../../middleware/mirror-people";
import { clearSessionCookie, requireRole } from "../../../middleware/session";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { DAY_MS, retentionPeriods } from "../../../lib/retention-periods";
import { stripeFromEnv } from "../../../lib/stripe";
import { parseForm, requiredCheckbox } from "../../../lib/validation";
import { closureDeadline } from "../../../mail/closure-messages";
import { PAID_STATES } from "../../../services/billing/limits";
import { closeWorkspaceAsOwner } from "../../../services/privacy/closure";
import { listMembers } from "../../../services/team/members";
import { WorkspaceClosedDonePage } from "../../../../views/pages/closure/ClosurePages";
import { CloseWorkspacePage } from "../../../../views/pages/settings/CloseWorkspacePage";
import { forgetKeptAnswers } from "../../../services/api/idempotency";
import { actorOf, authOf, controlOf, tenantOf } from "../../context";

/** Mounted at /app/settings/close. */
export const closeWorkspaceRoutes = new Hono<AppEnv>();

// A closed workspace's shard copy must say so: its reminder sweep, agenda and digest stop there too.
closeWorkspaceRoutes.use("/", mirrorsPeople("workspace"));

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
  const auth = authOf(c);
  const periods = retentionPeriods(c.env);
  const members = await listMembers(controlOf(c));
  return render(
    c,
    "Close this workspace",
    <CloseWorkspacePage
      tenantName={auth.tenant.name}
      graceDays={periods.closureGraceDays}
      eraseOn={closureDeadline(Date.now() + periods.closureGraceDays * DAY_MS, auth.user)}
      paid={PAID_STATES.includes(auth.tenant.billingState) || auth.tenant.billingState === "past_due"}
      memberCount={members.length}
      ledgerYears={periods.billingLedgerYears}
      errors={errors}
      alert={alert}
    />,
    status,
  );
}

closeWorkspaceRoutes.get("/", requireRole("owner"), (c) => closePage(c));

closeWorkspaceRoutes.post("/", requireRole("owner"), async (c) => {
  const auth = authOf(c);
  const parsed = parseForm(closeSchema, await c.req.parseBody());
  if (!parsed.ok) return closePage(c, parsed.errors, null, 422);
  const result = await closeWorkspaceAsOwner(
    controlOf(c),
    stripeFromEnv(c.env),
    parsed.data.password,
    retentionPeriods(c.env).closureGraceDays,
    { ...actorOf(c), baseUrl: appBaseUrl(c) },
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
          "We could not reach Stripe to cancel the subscription, so nothing was changed. " +
            "Please try again in a few minutes.",
          503,
        );
      default:
        return closePage(c, {}, "This workspace is already closed.", 409);
    }
  }
  deliverSoon(c, result.mailIds);
  // Its shard forgets the API's kept answers (mirrorsPeople, above, tells it the workspace is closed).
  if (c.get("recordsDb")) await forgetKeptAnswers(tenantOf(c));
  // This session was one of those that ended with the closure.
  clearSessionCookie(c);
  c.set("auth", null);
  return render(
    c,
    "Workspace closed",
    <WorkspaceClosedDonePage
      tenantName={auth.tenant.name}
      email={auth.user.email}
      eraseOn={closureDeadline(result.eraseAfter, auth.user)}
    />,
  );
});
