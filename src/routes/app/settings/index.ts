/** /app/settings itself: the settings start with the reader's own profile (the menu's "Settings" link goes there). */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { requireRole } from "../../../middleware/session";

/** Mounted at /app/settings. */
export const settingsIndexRoutes = new Hono<AppEnv>();

settingsIndexRoutes.get("/", requireRole("viewer"), (c) => c.redirect("/app/settings/profile", 302));
