/** /app/settings/security: the user's password, and their sessions (ending one, or all the others). */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { passwordProblem } from "../../../auth/password";
import { requireRole } from "../../../middleware/session";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { requestMeta } from "../../../lib/request";
import { parseForm } from "../../../lib/validation";
import { changePassword } from "../../../services/account/passwords";
import { listUserSessions, revokeOtherSessions, revokeSession } from "../../../services/account/sessions";
import { authOf } from "../../context";
import { accountHolderOf, settingsMenuOf } from "./settings-context";
import { SecurityPage } from "../../../../views/pages/settings/SecurityPage";

/** Mounted at /app/settings/security. */
export const securityRoutes = new Hono<AppEnv>();

async function securityPage(
  c: Context<AppEnv>,
  opts: { errors?: Record<string, string>; notice?: string; status?: 200 | 422 },
) {
  const auth = authOf(c);
  const sessions = await listUserSessions(c.get("db"), auth.user.id, auth.sessionId, Date.now());
  const menu = settingsMenuOf(c);
  return render(
    c,
    "Security",
    <SecurityPage
      sessions={sessions}
      errors={opts.errors ?? {}}
      notice={opts.notice}
      canSeeAudit={menu.canSeeAudit}
      canSeeBilling={menu.canSeeBilling}
    />,
    opts.status ?? 200,
  );
}

securityRoutes.get("/", requireRole("viewer"), (c) => securityPage(c, {}));

securityRoutes.post("/password", requireRole("viewer"), async (c) => {
  const holder = accountHolderOf(c);
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z
      .object({
        current_password: z
          .string({ error: "Enter your current password." })
          .min(1, { error: "Enter your current password." })
          .max(1024),
        new_password: z.string({ error: "Enter a new password." }),
      })
      .superRefine((v, ctx) => {
        const problem = passwordProblem(v.new_password, { email: holder.email });
        if (problem) ctx.addIssue({ code: "custom", path: ["new_password"], message: problem });
      }),
    body,
  );
  if (!parsed.ok) return securityPage(c, { errors: parsed.errors, status: 422 });
  const result = await changePassword(
    c.get("db"),
    holder,
    { currentPassword: parsed.data.current_password, newPassword: parsed.data.new_password },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok) return securityPage(c, { errors: { [result.field]: result.message }, status: 422 });
  deliverSoon(c, result.mailIds);
  return securityPage(c, {
    notice:
      "Your password has been changed: your other sessions were signed out and calendar feed addresses stopped " +
      "working (turn a feed on again under Profile for a new address).",
  });
});

securityRoutes.post("/sessions/revoke-others", requireRole("viewer"), async (c) => {
  const ended = await revokeOtherSessions(c.get("db"), accountHolderOf(c), requestMeta(c));
  return securityPage(c, {
    notice: ended === 1 ? "1 other session was signed out." : `${ended} other sessions were signed out.`,
  });
});

securityRoutes.post("/sessions/:id/revoke", requireRole("viewer"), async (c) => {
  const holder = accountHolderOf(c);
  const id = c.req.param("id");
  // Someone else's session (or an unknown id) is simply not found.
  if (id === holder.sessionId || !(await revokeSession(c.get("db"), holder, id, requestMeta(c))))
    return errorResponse(c, 404);
  return securityPage(c, { notice: "That session was signed out." });
});
