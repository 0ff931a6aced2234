/** The user's own settings (profile, security) and the workspace's audit trail. */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv, AuthContext } from "../env";
import { passwordProblem } from "../auth/password";
import { clearSessionCookie, forgetDevice, requireRole, roleAtLeast } from "../middleware/session";
import { errorResponse } from "../lib/errors";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { stripeFromEnv } from "../lib/stripe";
import { email, formValue, parseForm, requiredCheckbox, text } from "../lib/validation";
import { deleteOwnUser } from "../services/account/deletion";
import { syncStripeCustomers } from "../services/billing/customers";
import { changePassword, requestEmailChange } from "../services/account/security";
import { AUDIT_ACTIONS, listAudit, type AuditAction } from "../services/audit/audit";
import { setEmailPreferences } from "../services/account/email-preferences";
import { loadProfile, NAME_MAX, updateName } from "../services/account/profile";
import { getWorkspaceSettings, updateWorkspaceSettings } from "../services/team/workspace-settings";
import { describeDevice, listUserSessions, revokeOtherSessions, revokeSession } from "../services/account/sessions";
import { listMembers } from "../services/team/tenants";
import { AuditPage } from "../../views/pages/settings/AuditPage";
import { ProfilePage } from "../../views/pages/settings/ProfilePage";
import { SecurityPage } from "../../views/pages/settings/SecurityPage";

export const settingsRoutes = new Hono<AppEnv>();

const actorOf = (auth: AuthContext) => ({
  userId: auth.user.id,
  email: auth.user.email,
  tenantId: auth.tenant.id,
  sessionId: auth.sessionId,
});
const canSeeAudit = (auth: AuthContext) => roleAtLeast(auth.role, "admin");
const canSeeBilling = (auth: AuthContext) => auth.role === "owner";

// ---- Profile ---------------------------------------------------------------------------------

type ProfileValues = { email?: string; name?: string; company_name?: string };

async function profilePage(
  c: Context<AppEnv>,
  opts: { values?: ProfileValues; errors?: Record<string, string>; notice?: string; status?: 200 | 422 },
) {
  const auth = c.get("auth")!;
  const data = await loadProfile(c.get("db"), auth.user.id, auth.sessionId, Date.now());
  if (!data) return errorResponse(c, 404);
  return render(
    c,
    "Profile",
    <ProfilePage
      email={auth.user.email}
      verified={auth.user.emailVerifiedAt !== null}
      canSeeAudit={canSeeAudit(auth)}
      canSeeBilling={canSeeBilling(auth)}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={opts.notice}
      userId={auth.user.id}
      profile={data}
      workspace={{ name: auth.tenant.name, role: auth.role }}
    />,
    opts.status ?? 200,
  );
}

settingsRoutes.get("/profile", requireRole("viewer"), (c) => {
  const saved = c.req.query("saved");
  const notice =
    saved === "name"
      ? "Your name has been saved."
      : saved === "company"
        ? "The company name has been saved."
        : saved === "email_preferences"
          ? "Your email preferences have been saved."
          : undefined;
  return profilePage(c, { notice });
});

settingsRoutes.post("/profile/name", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const parsed = parseForm(z.object({ name: z.preprocess((v) => v ?? "", text("Name", { max: NAME_MAX })) }), body);
  if (!parsed.ok)
    return profilePage(c, { values: { name: formValue(body, "name") }, errors: parsed.errors, status: 422 });
  await updateName(c.get("db"), { userId: auth.user.id, tenantId: auth.tenant.id }, parsed.data.name, requestMeta(c));
  return c.redirect("/app/settings/profile?saved=name", 303);
});

// The owner corrects the company name here too (the workspace settings page has the same field).
settingsRoutes.post("/profile/company", requireRole("owner"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z.object({ company_name: z.preprocess((v) => v ?? "", text("Company name", { min: 1, max: 100 })) }),
    body,
  );
  if (!parsed.ok)
    return profilePage(c, {
      values: { company_name: formValue(body, "company_name") },
      errors: parsed.errors,
      status: 422,
    });
  const current = await getWorkspaceSettings(db, auth.tenant.id);
  if (!current) return errorResponse(c, 404);
  const meta = requestMeta(c);
  const changed = await updateWorkspaceSettings(
    db,
    auth.tenant.id,
    { userId: auth.user.id, ip: meta.ip, userAgent: meta.userAgent, now: meta.now },
    { defaultRegion: current.defaultRegion, name: parsed.data.company_name },
  );
  if (changed.includes("name")) await syncStripeCustomers(db, stripeFromEnv(c.env), { tenantId: auth.tenant.id });
  return c.redirect("/app/settings/profile?saved=company", 303);
});

// Non-essential email. Checkboxes: an unticked box is simply absent from the form.
settingsRoutes.post("/profile/email-preferences", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  await setEmailPreferences(
    c.get("db"),
    auth.user.id,
    { digest: body.digest === "on", news: body.news === "on" },
    Date.now(),
  );
  return c.redirect("/app/settings/profile?saved=email_preferences#email-preferences", 303);
});

settingsRoutes.post("/profile/email", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z.object({
      email: email(),
      password: z
        .string({ error: "Enter your current password." })
        .min(1, { error: "Enter your current password." })
        .max(1024),
    }),
    body,
  );
  if (!parsed.ok)
    return profilePage(c, { values: { email: formValue(body, "email") }, errors: parsed.errors, status: 422 });
  const result = await requestEmailChange(
    c.get("db"),
    actorOf(auth),
    { newEmail: parsed.data.email, password: parsed.data.password },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok)
    return profilePage(c, {
      values: { email: parsed.data.email },
      errors: { [result.field]: result.message },
      status: 422,
    });
  deliverSoon(c, result.mailIds);
  return profilePage(c, {
    notice: `We have sent a confirmation link to ${parsed.data.email}. Your address changes when you open it.`,
  });
});

settingsRoutes.post("/profile/delete", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z.object({
      delete_password: z
        .string({ error: "Enter your current password." })
        .min(1, { error: "Enter your current password." })
        .max(1024),
      confirm_delete: requiredCheckbox("Tick the box to confirm."),
    }),
    body,
  );
  if (!parsed.ok) return profilePage(c, { errors: parsed.errors, status: 422 });
  const result = await deleteOwnUser(c.get("db"), auth.user.id, parsed.data.delete_password, requestMeta(c));
  if (!result.ok) return profilePage(c, { errors: { [`delete_${result.field}`]: result.message }, status: 422 });
  clearSessionCookie(c);
  forgetDevice(c);
  c.set("auth", null);
  return c.redirect("/?account_deleted=1", 303);
});

// ---- Security: password and sessions -----------------------------------------------------------

async function securityPage(
  c: Context<AppEnv>,
  opts: { errors?: Record<string, string>; notice?: string; status?: 200 | 422 },
) {
  const auth = c.get("auth")!;
  const sessions = await listUserSessions(c.get("db"), auth.user.id, auth.sessionId, Date.now());
  return render(
    c,
    "Security",
    <SecurityPage
      sessions={sessions}
      errors={opts.errors ?? {}}
      notice={opts.notice}
      canSeeAudit={canSeeAudit(auth)}
      canSeeBilling={canSeeBilling(auth)}
    />,
    opts.status ?? 200,
  );
}

settingsRoutes.get("/security", requireRole("viewer"), (c) => securityPage(c, {}));

settingsRoutes.post("/security/password", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
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
        const problem = passwordProblem(v.new_password, { email: auth.user.email });
        if (problem) ctx.addIssue({ code: "custom", path: ["new_password"], message: problem });
      }),
    body,
  );
  if (!parsed.ok) return securityPage(c, { errors: parsed.errors, status: 422 });
  const result = await changePassword(
    c.get("db"),
    actorOf(auth),
    { currentPassword: parsed.data.current_password, newPassword: parsed.data.new_password },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok) return securityPage(c, { errors: { [result.field]: result.message }, status: 422 });
  deliverSoon(c, result.mailIds);
  return securityPage(c, { notice: "Your password has been changed, and your other sessions were signed out." });
});

settingsRoutes.post("/security/sessions/revoke-others", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const ended = await revokeOtherSessions(c.get("db"), actorOf(auth), requestMeta(c));
  return securityPage(c, {
    notice: ended === 1 ? "1 other session was signed out." : `${ended} other sessions were signed out.`,
  });
});

settingsRoutes.post("/security/sessions/:id/revoke", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const id = c.req.param("id");
  // Someone else's session (or an unknown id) is simply not found.
  if (id === auth.sessionId || !(await revokeSession(c.get("db"), actorOf(auth), id, requestMeta(c))))
    return errorResponse(c, 404);
  return securityPage(c, { notice: "That session was signed out." });
});

// ---- Audit trail (admins and owners) --------------------------------------------------------------

settingsRoutes.get("/audit", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const actionParam = c.req.query("action");
  const action = actionParam && actionParam in AUDIT_ACTIONS ? (actionParam as AuditAction) : undefined;
  const actorParam = c.req.query("actor") || undefined;
  const beforeParam = Number(c.req.query("before"));
  const before = Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined;
  const members = await listMembers(db, auth.tenant.id);
  const actorUserId = members.some((m) => m.userId === actorParam) ? actorParam : undefined;
  const { entries, nextBefore } = await listAudit(db, auth.tenant.id, { action, actorUserId, before });

  const query = new URLSearchParams();
  if (action) query.set("action", action);
  if (actorUserId) query.set("actor", actorUserId);
  if (nextBefore) query.set("before", String(nextBefore));
  return render(
    c,
    "Audit trail",
    <AuditPage
      entries={entries.map((e) => ({
        id: e.id,
        action: e.action,
        actionLabel: AUDIT_ACTIONS[e.action as AuditAction] ?? e.action,
        actor: e.actorEmail ?? (ANONYMOUS_ACTIONS.has(e.action) ? "anonymous visitor" : "former member"),
        target: describeTarget(e.targetLabel, e.detail),
        ip: e.ip,
        device: describeDevice(e.userAgent),
        createdAt: e.createdAt,
      }))}
      actions={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }))}
      members={members.map((m) => ({ id: m.userId, email: m.email }))}
      filter={{ action, actor: actorUserId }}
      olderHref={nextBefore ? `/app/settings/audit?${query}` : null}
      canSeeBilling={canSeeBilling(auth)}
    />,
  );
});

/** Actions taken by someone not signed in; any other entry without an actor is a former member's. */
const ANONYMOUS_ACTIONS = new Set(["auth.sign_in_failed", "password.reset_requested"]);

/** A short human description of what an entry was about. */
function describeTarget(label: string | null, detail: string | null): string | null {
  const parts: string[] = [];
  if (label) parts.push(label);
  if (detail) {
    try {
      const d = JSON.parse(detail) as Record<string, unknown>;
      for (const [k, v] of Object.entries(d)) parts.push(`${k}: ${String(v)}`);
    } catch {
      // Entries are written by us as JSON; anything else is shown as nothing rather than raw.
    }
  }
  return parts.length ? parts.join(", ") : null;
}
