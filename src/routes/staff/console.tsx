/**
 * The console: the directory (a workspace by its exact id or owner's address), asking a workspace for
 * access, and break-glass with a second admin's approval.
 */
import { billingOf } from "../../services/staff/billing-of";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import type { SupportGrant } from "../../db/schema";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { isId } from "../../lib/ids";
import { requestMeta } from "../../lib/request";
import { parseForm } from "../../lib/validation";
import { requireStaff, staffOf } from "../../middleware/staff";
import { durationLabel, GRANT_DURATIONS, isLive } from "../../services/support-access/grants";
import {
  approveBreakGlass,
  BREAK_GLASS_DURATIONS,
  findWorkspaces,
  grantsForStaff,
  pendingBreakGlass,
  requestAccess,
  requestBreakGlass,
  usableGrant,
} from "../../services/support-access/staff-side";
import { refuseStaff, renderStaff } from "./page";
import { boundDatabases, isDatabaseName } from "../../services/shards/databases";
import {
  countsWhereTheyAre,
  MOVE_REFUSALS,
  moveStall,
  placementForStaff,
  startMoveAsStaff,
} from "../../services/shards/staff-view";
import { FindWorkspacePage, WorkspaceEntryPage, type DirectoryRow } from "../../../views/pages/staff/ConsolePages";
import { BreakGlassPage } from "../../../views/pages/staff/AdminPages";

export const staffConsoleRoutes = new Hono<AppEnv>();

const anyStaff = requireStaff("support", "billing", "admin");
const supportStaff = requireStaff("support", "admin");
const admins = requireStaff("admin");

const durations = Object.entries(GRANT_DURATIONS).map(([value, d]) => ({ value, label: d.label }));

const directoryRow = (
  e: Awaited<ReturnType<typeof findWorkspaces>>[number] & { database: string; moving: boolean },
): DirectoryRow => ({
  ...e,
  database: e.moving ? `${e.database} (moving)` : e.database,
  closed: e.closedAt !== null,
});

staffConsoleRoutes.get("/", anyStaff, async (c) => {
  const query = (c.req.query("q") ?? "").slice(0, 254);
  const found = query.trim() ? await findWorkspaces(c.get("db"), query) : null;
  const results = found ? (await countsWhereTheyAre(c.env, c.get("db"), found)).map(directoryRow) : null;
  return renderStaff(c, "Find a workspace", <FindWorkspacePage query={query} results={results} />);
});

function grantState(g: SupportGrant, now: number): string {
  if (isLive(g, now)) return "live";
  if (g.endedAt) return "ended";
  if (g.declinedAt) return "declined";
  if (g.startedAt === null) return g.kind === "break_glass" ? "waiting for a second admin" : "waiting for the owner";
  return "ran out";
}

async function entryPage(
  c: Context<AppEnv>,
  tenantId: string,
  extra: { errors?: Record<string, string>; notice?: string; moveError?: string } = {},
  status: 200 | 400 = 200,
) {
  const db = c.get("db");
  const who = staffOf(c);
  const [found] = isId(tenantId) ? await findWorkspaces(db, tenantId) : [];
  if (!found) return refuseStaff(c, 404, "No workspace has that id.");
  const [entry] = await countsWhereTheyAre(c.env, db, [found]);
  const placement = await placementForStaff(c.env, db, tenantId);
  const now = Date.now();
  const opensWorkspaces = who.role !== "billing";
  const grants = opensWorkspaces ? await grantsForStaff(db, tenantId, who.id) : [];
  const live = opensWorkspaces ? await usableGrant(db, tenantId, who.id, now) : null;
  const billing = who.role === "support" ? null : await billingOf(db, tenantId);
  return renderStaff(
    c,
    found.name,
    <WorkspaceEntryPage
      entry={directoryRow(entry!)}
      database={{
        database: placement.database,
        latest: placement.latest,
        stall: placement.latest ? moveStall(placement.latest, now) : null,
        targets: placement.targets,
        canMove: who.role === "admin",
        error: extra.moveError,
      }}
      billing={billing}
      grants={grants.map((g) => ({
        id: g.id,
        kind: g.kind === "grant" ? "given by the workspace" : g.kind === "request" ? "your request" : "break-glass",
        access: g.access === "read" ? "read-only" : "read and write",
        state: grantState(g, now),
        ticket: g.ticket,
        expiresAt: g.expiresAt,
      }))}
      live={live?.expiresAt ? { access: live.access, expiresAt: live.expiresAt } : null}
      canRequest={opensWorkspaces}
      canBreakGlass={who.role === "admin"}
      durations={durations}
      {...extra}
    />,
    status,
  );
}

staffConsoleRoutes.get("/workspaces/:id", anyStaff, (c) => entryPage(c, c.req.param("id")));

// Moving a workspace to another database (docs/operations.md, "Shards"): admins only, written to its audit trail.
staffConsoleRoutes.post("/workspaces/:id/move", admins, async (c) => {
  const tenantId = c.req.param("id");
  if (!isId(tenantId)) return refuseStaff(c, 404, "No workspace has that id.");
  const target = String((await c.req.parseBody()).target ?? "");
  if (!isDatabaseName(target) || !boundDatabases(c.env).includes(target))
    return entryPage(c, tenantId, { moveError: "Choose one of the databases listed." }, 400);
  const started = await startMoveAsStaff(c.env, c.get("db"), staffOf(c), tenantId, target, requestMeta(c));
  if (!started.ok) return entryPage(c, tenantId, { moveError: MOVE_REFUSALS[started.reason] }, 400);
  return entryPage(c, tenantId, { notice: `The move to ${target} has started.` });
});

const askSchema = z.object({
  access: z.enum(["read", "write"], { error: "Choose read-only or read and write." }),
  duration: z.enum(["1h", "24h", "7d"], { error: "Choose 1 hour, 24 hours or 7 days." }),
  ticket: z
    .string()
    .trim()
    .max(100, "At most 100 characters.")
    .transform((v) => v || null),
  message: z
    .string()
    .trim()
    .max(1000, "At most 1,000 characters.")
    .transform((v) => v || null),
});

staffConsoleRoutes.post("/workspaces/:id/requests", supportStaff, async (c) => {
  const tenantId = c.req.param("id");
  const parsed = parseForm(askSchema, { ticket: "", message: "", ...(await c.req.parseBody()) });
  if (!parsed.ok) return entryPage(c, tenantId, { errors: parsed.errors }, 400);
  const [entry] = isId(tenantId) ? await findWorkspaces(c.get("db"), tenantId) : [];
  if (!entry) return refuseStaff(c, 404, "No workspace has that id.");
  const result = await requestAccess(c.get("db"), staffOf(c), tenantId, parsed.data, appBaseUrl(c), requestMeta(c));
  if (!result.ok) return refuseStaff(c, 404, "This workspace has no owner to ask.");
  deliverSoon(c, result.mailIds);
  return entryPage(c, tenantId, { notice: "Request sent. The owner was emailed; nothing opens until they approve." });
});

const glassSchema = z.object({
  access: z.enum(["read", "write"], { error: "Choose read-only or read and write." }),
  duration: z.enum(BREAK_GLASS_DURATIONS as ["1h", "24h"], { error: "Choose 1 hour or 24 hours." }),
  reason: z
    .string()
    .trim()
    .min(20, "Write the reason down (at least 20 characters).")
    .max(1000, "At most 1,000 characters."),
});

staffConsoleRoutes.post("/workspaces/:id/break-glass", admins, async (c) => {
  const tenantId = c.req.param("id");
  const parsed = parseForm(glassSchema, { reason: "", ...(await c.req.parseBody()) });
  if (!parsed.ok) return entryPage(c, tenantId, { errors: parsed.errors }, 400);
  const [entry] = isId(tenantId) ? await findWorkspaces(c.get("db"), tenantId) : [];
  if (!entry) return refuseStaff(c, 404, "No workspace has that id.");
  await requestBreakGlass(c.get("db"), staffOf(c), tenantId, parsed.data, requestMeta(c));
  return entryPage(c, tenantId, { notice: "Asked. It opens when a second admin approves it under Break-glass." });
});

async function glassPage(
  c: Context<AppEnv>,
  extra: { notice?: string; error?: string } = {},
  status: 200 | 403 | 404 = 200,
) {
  const me = staffOf(c);
  const pending = await pendingBreakGlass(c.get("db"), Date.now());
  return renderStaff(
    c,
    "Break-glass requests",
    <BreakGlassPage
      pending={pending.map((g) => ({ ...g, duration: durationLabel(g.durationMs), mine: g.staffId === me.id }))}
      {...extra}
    />,
    status,
  );
}

staffConsoleRoutes.get("/break-glass", admins, (c) => glassPage(c));

staffConsoleRoutes.post("/break-glass/:id/approve", admins, async (c) => {
  const result = await approveBreakGlass(c.get("db"), staffOf(c), c.req.param("id"), appBaseUrl(c), requestMeta(c));
  if (!result.ok)
    return result.reason === "same_person"
      ? glassPage(c, { error: "A second admin must approve: you asked for this one." }, 403)
      : glassPage(c, { error: "That request is gone (approved, or more than a day old)." }, 404);
  deliverSoon(c, result.mailIds);
  return glassPage(c, { notice: "Approved. The workspace's owner was told, and it is in the workspace's trail." });
});
