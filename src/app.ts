/** Builds the app: middleware in the order of docs/architecture.md, then the areas. */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env";
import { csrfProtection } from "./middleware/csrf";
import { database } from "./middleware/db";
import { requestLog } from "./middleware/request-log";
import { securityHeaders } from "./middleware/security-headers";
import { session } from "./middleware/session";
import { theme } from "./middleware/theme";
import { errorResponse, handleError, handleNotFound } from "./lib/errors";
import { appRoutes } from "./routes/app";
import { authRoutes } from "./routes/auth";
import { publicRoutes } from "./routes/public";

/** Forms are small; larger uploads (imports) will get their own, larger limit on their route. */
const MAX_BODY_BYTES = 64 * 1024;

export const app = new Hono<AppEnv>();

app.use("*", requestLog, securityHeaders);
// (/webhooks/* mounts here: no session, no CSRF check; a signature instead.)
app.use("*", csrfProtection);
app.use("*", bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c as Context<AppEnv>, 413) }));
app.use("*", database, session, theme);

app.route("/", publicRoutes);
app.route("/", authRoutes);
app.route("/app", appRoutes);

app.onError(handleError);
app.notFound(handleNotFound);
