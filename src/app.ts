/** Builds the app: middleware in the order of docs/architecture.md, then the areas. */
import { Hono } from "hono";
import type { AppEnv } from "./env";
import { csrfProtection } from "./middleware/csrf";
import { database } from "./middleware/db";
import { formBody, guardBodyStream } from "./middleware/form-body";
import { requestLog } from "./middleware/request-log";
import { securityHeaders } from "./middleware/security-headers";
import { noStore, noStoreOnTokenPages } from "./middleware/security-headers";
import { requireUser, session } from "./middleware/session";
import { frozenWhileMoving } from "./middleware/moving-workspace";
import { pageWorkspace } from "./middleware/page-workspace";
import { openWorkspaceOnly } from "./middleware/closed-workspace";
import { theme } from "./middleware/theme";
import { refuseDevSwitchesInProduction } from "./lib/dev-tools";
import { handleError, handleNotFound } from "./lib/errors";
import { companiesRoutes } from "./routes/app/companies/index";
import { contactsRoutes } from "./routes/app/contacts/index";
import { dealsRoutes } from "./routes/app/deals/index";
import { dashboardRoutes } from "./routes/app/dashboard";
import { searchRoutes } from "./routes/app/search";
import { tasksRoutes } from "./routes/app/tasks/index";
import { reportsRoutes } from "./routes/app/reports/index";
import { interactionsRoutes } from "./routes/app/interactions";
import { notesRoutes } from "./routes/app/notes";
import { notificationsRoutes } from "./routes/app/notifications";
import { trashRoutes } from "./routes/app/trash";
import { fieldsRoutes } from "./routes/app/settings/fields";
import { tagsRoutes } from "./routes/app/settings/tags";
import { pipelinesRoutes } from "./routes/app/settings/pipelines";
import { webhooksRoutes } from "./routes/app/settings/webhooks";
import { authRoutes } from "./routes/auth";
import { billingRoutes } from "./routes/app/settings/billing";
import { closeWorkspaceRoutes } from "./routes/app/settings/close";
import { reopenRoutes } from "./routes/reopen";
import { benchRoutes } from "./routes/bench";
import { devRoutes } from "./routes/dev";
import { exportRoutes } from "./routes/app/export";
import { opsRoutes } from "./routes/ops";
import { auditRoutes } from "./routes/app/settings/audit";
import { profileRoutes } from "./routes/app/settings/profile";
import { settingsIndexRoutes } from "./routes/app/settings/index";
import { securityRoutes } from "./routes/app/settings/security";
import { teamRoutes } from "./routes/app/settings/team";
import { workspaceRoutes } from "./routes/app/settings/workspace";
import { importRoutes } from "./routes/app/import/index";
import { publicRoutes } from "./routes/public";
import { inviteRoutes } from "./routes/invite";
import { passwordRoutes } from "./routes/password";
import { verifyEmailRoutes } from "./routes/verify-email";
import { workspacesRoutes } from "./routes/app/workspaces";
import { contactRoutes } from "./routes/contact";
import { consentRoutes } from "./routes/consent";
import { privacyNoticeRoutes } from "./routes/app/privacy-notice";
import { webhookRoutes } from "./routes/webhooks";
import { privacySettingsRoutes } from "./routes/app/settings/privacy";
import { unsubscribeRoutes } from "./routes/unsubscribe";
import { calRoutes } from "./routes/cal";
import { supportAccessRoutes } from "./routes/app/settings/support";
import { staffRoutes } from "./routes/staff/index";
import { supportViewRoutes } from "./routes/staff/support-view";
import { supportViewDispatchesTo } from "./routes/staff/support-view";
import { staffSession } from "./middleware/staff";
import { usageRoutes } from "./routes/app/usage";
import { apiKeysRoutes } from "./routes/app/settings/api";
import { apiRoutes } from "./routes/api/index";
import { recordUsage } from "./middleware/usage";
import { registerPagePatterns } from "./lib/page-patterns";

export const app = new Hono<AppEnv>();

app.use("*", refuseDevSwitchesInProduction, requestLog, securityHeaders, noStoreOnTokenPages);
// Webhooks answer here, before CSRF, body limit, database and session: Stripe sends no Origin or
// cookie and proves itself with a signature over the raw body (src/routes/webhooks.ts).
app.use("/webhooks/*", guardBodyStream);
app.route("/webhooks", webhookRoutes);
// Private calendar feeds: a secret in the path, read by calendar apps with no cookie and no form, so
// they answer here with only a database handle, before CSRF, body parsing and the session.
app.use("/cal/*", database);
app.route("/cal", calRoutes);
// The JSON API answers here too: an API key in the Authorization header, never a cookie, so no CSRF
// check, bookmark or session; its own JSON body limit (src/routes/api/index.ts).
app.route("/api/v1", apiRoutes);
app.use("*", csrfProtection);
// Form bodies are read once here, within 256 KB; unreadable ones are a 400 with the form again, before
// any route (the import upload keeps its own limit on its route). src/middleware/form-body.tsx.
app.use("*", formBody(app));
app.use("*", database, session, theme);

// Everything under /app needs a signed-in member and is never cached; a closed workspace shows only
// its closed page (src/middleware/closed-workspace.tsx). "/app/*" matches "/app" too: registered once.
app.use("/app/*", noStore, requireUser, openWorkspaceOnly, frozenWhileMoving);
// A change sent from a page of another workspace than the session's now (another tab switched) is refused, 409:
// src/middleware/page-workspace.tsx. After the session, which names the workspace; "/app/*" matches "/app" too.
app.use("/app/*", pageWorkspace);
// First-party usage: page views and the features routes track, written after the response
// (src/middleware/usage.ts). After the guards, so only members' requests reach it; "/app/*" matches
// "/app" too, so it is registered once.
app.use("/app/*", recordUsage);

app.route("/", publicRoutes);
app.route("/contact", contactRoutes);
app.route("/consent", consentRoutes);
app.route("/app/privacy-notice", privacyNoticeRoutes);
app.route("/", authRoutes);
app.route("/verify-email", verifyEmailRoutes);
app.route("/password", passwordRoutes);
app.route("/app/settings", settingsIndexRoutes);
app.route("/app/settings/profile", profileRoutes);
app.route("/app/settings/security", securityRoutes);
app.route("/app/settings/audit", auditRoutes);
app.route("/app/settings/support", supportAccessRoutes);
app.route("/app/settings/billing", billingRoutes);
app.route("/app/settings/close", closeWorkspaceRoutes);
app.route("/reopen", reopenRoutes);
app.route("/app/settings/workspace", workspaceRoutes);
app.route("/app/settings/tags", tagsRoutes);
app.route("/app/settings/pipelines", pipelinesRoutes);
app.route("/app/settings/fields", fieldsRoutes);
app.route("/app/settings/webhooks", webhooksRoutes);
app.route("/dev", devRoutes);
app.route("/bench", benchRoutes);
app.route("/ops", opsRoutes);
app.route("/app/contacts", contactsRoutes);
app.route("/app/deals", dealsRoutes);
app.route("/app/search", searchRoutes);
app.route("/app/tasks", tasksRoutes);
app.route("/app/reports", reportsRoutes);
app.route("/app", dashboardRoutes);
app.route("/app/companies", companiesRoutes);
app.route("/app/export", exportRoutes);
app.route("/app/import", importRoutes);
app.route("/app/notes", notesRoutes);
app.route("/app/notifications", notificationsRoutes);
app.route("/app/trash", trashRoutes);
app.route("/app/interactions", interactionsRoutes);
app.route("/app/settings/team", teamRoutes);
app.route("/app/workspaces", workspacesRoutes);
app.route("/invite", inviteRoutes);
app.route("/app/settings/privacy", privacySettingsRoutes);
// Signed one-click unsubscribe links; the POST is exempt from the Origin check (src/middleware/csrf.ts).
app.route("/unsubscribe", unsubscribeRoutes);
// The staff console: its own cookie and guards (src/middleware/staff.tsx); the support view hands requests
// carrying a grant to the whole app (src/routes/staff/support-view.ts).
// "/staff/*" matches "/staff" itself too: one registration, one session check per request.
app.use("/staff/*", staffSession);
app.route("/staff/support", supportViewRoutes);
app.route("/staff", staffRoutes);
supportViewDispatchesTo(app);
app.route("/app/usage", usageRoutes);
app.route("/app/settings/api", apiKeysRoutes);

// The usage beacon accepts only the app's page patterns, read from the routes mounted above.
registerPagePatterns(app.routes);

app.onError(handleError);
app.notFound(handleNotFound);
