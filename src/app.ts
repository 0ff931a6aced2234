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
import { openWorkspaceOnly } from "./middleware/closed-workspace";
import { theme } from "./middleware/theme";
import { refuseDevSwitchesInProduction } from "./lib/dev-tools";
import { handleError, handleNotFound } from "./lib/errors";
import { appRoutes } from "./routes/app";
import { accountRoutes } from "./routes/account";
import { authRoutes } from "./routes/auth";
import { contactsRoutes } from "./routes/contacts";
import { billingRoutes } from "./routes/billing";
import { closureRoutes, reopenRoutes } from "./routes/closure";
import { companyRoutes } from "./routes/companies";
import { benchRoutes } from "./routes/bench";
import { devRoutes } from "./routes/dev";
import { exportRoutes } from "./routes/export";
import { noteRoutes } from "./routes/notes";
import { opsRoutes } from "./routes/ops";
import { settingsRoutes } from "./routes/settings";
import { workspaceSettingsRoutes } from "./routes/workspace-settings";
import { importRoutes } from "./routes/app/import";
import { publicRoutes } from "./routes/public";
import { privacyRoutes } from "./routes/privacy";
import { invitationRoutes, teamRoutes } from "./routes/team";
import { workspacesRoutes } from "./routes/workspaces";
import { webhookRoutes } from "./routes/webhooks";
import { privacySettingsRoutes } from "./routes/privacy-settings";
import { unsubscribeRoutes } from "./routes/unsubscribe";

export const app = new Hono<AppEnv>();

app.use("*", refuseDevSwitchesInProduction, requestLog, securityHeaders, noStoreOnTokenPages);
// Webhooks answer here, before CSRF, body limit, database and session: Stripe sends no Origin or
// cookie and proves itself with a signature over the raw body (src/routes/webhooks.ts).
app.use("/webhooks/*", guardBodyStream);
app.route("/webhooks", webhookRoutes);
app.use("*", csrfProtection);
// Form bodies are read once here, within 64 KB; unreadable ones are a 400 with the form again, before
// any route (the import upload keeps its own limit on its route). src/middleware/form-body.tsx.
app.use("*", formBody(app));
app.use("*", database, session, theme);

// Everything under /app needs a signed-in member and is never cached; a closed workspace shows only
// its closed page (src/middleware/closed-workspace.tsx).
app.use("/app", noStore, requireUser, openWorkspaceOnly);
app.use("/app/*", noStore, requireUser, openWorkspaceOnly);

app.route("/", publicRoutes);
app.route("/", privacyRoutes);
app.route("/", authRoutes);
app.route("/", accountRoutes);
app.route("/app/settings", settingsRoutes);
app.route("/app/settings/billing", billingRoutes);
app.route("/app/settings", closureRoutes);
app.route("/", reopenRoutes);
app.route("/app/settings", workspaceSettingsRoutes);
app.route("/dev", devRoutes);
app.route("/bench", benchRoutes);
app.route("/ops", opsRoutes);
app.route("/app/contacts", contactsRoutes);
app.route("/app", appRoutes);
app.route("/app/companies", companyRoutes);
app.route("/app/export", exportRoutes);
app.route("/app/import", importRoutes);
app.route("/app", noteRoutes);
app.route("/app", teamRoutes);
app.route("/app/workspaces", workspacesRoutes);
app.route("/", invitationRoutes);
app.route("/app/settings", privacySettingsRoutes);
// Signed one-click unsubscribe links; the POST is exempt from the Origin check (src/middleware/csrf.ts).
app.route("/", unsubscribeRoutes);

app.onError(handleError);
app.notFound(handleNotFound);
