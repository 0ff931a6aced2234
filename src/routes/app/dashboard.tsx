/**
 * The dashboard at /app, and the beacon that records recently viewed records (src/app.ts requires a
 * user for all of /app). Every route declares its least role.
 */
import { Hono } from "hono";
import { parseSessionToken } from "../../auth/session";
import type { TenantDb } from "../../db/scoped";
import { requestZone } from "../../lib/time-zone";
import { SUBJECT_TYPES, type SubjectType } from "../../db/schema";
import type { AppEnv } from "../../env";
import { errorResponse } from "../../lib/errors";
import { render } from "../../lib/render";
import { deferSessionCheck, requireRole, roleAtLeast, withSessionBatch } from "../../middleware/session";
import {
  dashboardData,
  dashboardFromResults,
  dashboardStatements,
  recordView,
} from "../../services/dashboard/dashboard";
import { dateInZone } from "../../lib/zoned-time";
import { authOf, tenantOf } from "../context";
import { chartFormats } from "./reports/formats";
import { parseRecordId } from "../record-helpers";
import { DashboardPage } from "../../../views/pages/app/DashboardPage";

/** Mounted at /app. */
export const dashboardRoutes = new Hono<AppEnv>();

// The dashboard reads with the session check in one batch (deferSessionCheck): the reader is the session's user
// in SQL, their role read from their membership, "today" from the request's zone; read again only when the
// reader's own zone makes another day.
dashboardRoutes.get("/", deferSessionCheck, async (c) => {
  const deferred = c.get("deferredSession");
  const sessionId = deferred ? parseSessionToken(deferred.token)?.id : undefined;
  const early = c.get("auth");
  const guessedZone = early ? early.user.timeZone : requestZone(c.req.raw);
  const guessedToday = dateInZone(Date.now(), guessedZone);
  // Reads that find the reader through `sessions` only where that table is: a shard has none (it holds
  // records), so there the page reads after the check, for the user it found.
  let builtFor: TenantDb | null = null;
  const batch = await withSessionBatch(c, async (t) => {
    if (!early && t.db !== c.get("db")) return [];
    builtFor = t;
    return dashboardStatements(
      t,
      early
        ? { userId: early.user.id, role: early.role, today: guessedToday, zone: guessedZone }
        : { sessionId: sessionId ?? "", role: null, today: guessedToday, zone: guessedZone },
    );
  });
  if (!batch.ok) return batch.response;
  const auth = authOf(c);
  const reader = {
    userId: auth.user.id,
    role: auth.role,
    locale: auth.user.locale,
    today: dateInZone(Date.now(), auth.user.timeZone),
    zone: auth.user.timeZone,
  };
  const data =
    builtFor === batch.t && reader.today === guessedToday && reader.zone === guessedZone
      ? dashboardFromResults(batch.results, reader)
      : await dashboardData(batch.t, reader);
  if (!data) return errorResponse(c, 404);
  const { currency } = data.tenant;
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
      deals={data.deals}
      activity={data.activity}
      recent={data.recent}
      canWrite={roleAtLeast(auth.role, "member")}
      charts={{
        ...data.charts,
        currency,
        ...chartFormats(currency, reader.locale),
        ownOnly: data.tenant.reportScope === "own" && !roleAtLeast(auth.role, "admin"),
        teamTasks: roleAtLeast(auth.role, "admin"),
      }}
    />,
  );
});

// GET pages never write; record pages carry a RecentBeacon that app.js posts here (sendBeacon) once they load.
dashboardRoutes.post("/recent", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const type =
    typeof body.type === "string" && (SUBJECT_TYPES as readonly string[]).includes(body.type)
      ? (body.type as SubjectType)
      : null;
  const id = parseRecordId(body.id);
  if (!type || id === null || !(await recordView(tenantOf(c), authOf(c).user.id, type, id, Date.now())))
    return errorResponse(c, 404);
  return c.body(null, 204);
});
