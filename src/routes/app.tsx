/**
 * The signed-in application under /app (src/app.ts requires a user for all of /app): the dashboard,
 * and the beacon that records recently viewed records. Every route declares its least role.
 */
import { Hono } from "hono";
import { SUBJECT_TYPES, type SubjectType } from "../db/schema";
import type { AppEnv } from "../env";
import { requireRole, roleAtLeast } from "../middleware/session";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { dashboardData, recordView } from "../services/dashboard/dashboard";
import { parseRecordId } from "./record-helpers";
import { DashboardPage } from "../../views/pages/app/DashboardPage";

export const appRoutes = new Hono<AppEnv>();

appRoutes.get("/", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const data = await dashboardData(c.get("db"), auth.tenant.id, auth.user.id);
  if (!data) return errorResponse(c, 404);
  return render(
    c,
    "Dashboard",
    <DashboardPage
      tenantName={data.tenant.name}
      email={auth.user.email}
      role={auth.role}
      memberCount={data.tenant.memberCount}
      createdAt={data.tenant.createdAt}
      counts={data.counts}
      activity={data.activity}
      recent={data.recent}
      canWrite={roleAtLeast(auth.role, "member")}
    />,
  );
});

// GET pages never write; record pages carry a RecentBeacon that posts here once they load.
appRoutes.post("/recent", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const type =
    typeof body.type === "string" && (SUBJECT_TYPES as readonly string[]).includes(body.type)
      ? (body.type as SubjectType)
      : null;
  const id = parseRecordId(body.id);
  if (!type || id === null || !(await recordView(c.get("db"), auth.tenant.id, auth.user.id, type, id, Date.now())))
    return errorResponse(c, 404);
  return c.body(null, 204);
});
