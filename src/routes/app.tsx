/**
 * The signed-in application under /app (src/app.ts requires a user for all of /app). Every route
 * declares its least role with requireRole.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requireRole } from "../middleware/session";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { getTenantOverview } from "../services/tenants";
import { DashboardPage } from "../../views/pages/app/DashboardPage";

export const appRoutes = new Hono<AppEnv>();

appRoutes.get("/", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const overview = await getTenantOverview(c.get("db"), auth.tenant.id);
  if (!overview) return errorResponse(c, 404);
  return render(
    c,
    "Dashboard",
    <DashboardPage tenantName={overview.name} email={auth.user.email} role={auth.role} memberCount={overview.memberCount} createdAt={overview.createdAt} />,
  );
});
