/**
 * The staff console under /staff: its own sign-in and cookie (staffSession, src/middleware/staff.tsx, on /staff/*), the directory,
 * grants and break-glass (console.tsx), staff management (team.tsx), the account actions a person asks for by
 * mail (accounts.tsx) and the support view (support-view.ts).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { staffAccountRoutes } from "./accounts";
import { staffConsoleRoutes } from "./console";
import { staffSignInRoutes } from "./sign-in";
import { staffTeamRoutes } from "./team";
import { staffUsageRoutes } from "./usage";

/** Mounted at /staff (the support view at /staff/support, its own mount). */
export const staffRoutes = new Hono<AppEnv>()
  .route("/", staffSignInRoutes)
  .route("/team", staffTeamRoutes)
  .route("/usage", staffUsageRoutes)
  .route("/accounts", staffAccountRoutes)
  .route("/", staffConsoleRoutes);
