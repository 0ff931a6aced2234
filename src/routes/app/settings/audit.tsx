/** /app/settings/audit: the workspace's audit trail, for admins and owners, filtered by action and member. */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { requireRole } from "../../../middleware/session";
import { render } from "../../../lib/render";
import { describeDevice } from "../../../services/account/sessions";
import { AUDIT_ACTIONS, listAudit, parseAuditCursor, type AuditAction } from "../../../services/audit/audit";
import { listMembers } from "../../../services/team/members";
import { tenantOf } from "../../context";
import { settingsMenuOf } from "./settings-context";
import { AuditPage } from "../../../../views/pages/settings/AuditPage";

/** Mounted at /app/settings/audit. */
export const auditRoutes = new Hono<AppEnv>();

auditRoutes.get("/", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const actionParam = c.req.query("action");
  const action = actionParam && actionParam in AUDIT_ACTIONS ? (actionParam as AuditAction) : undefined;
  const actorParam = c.req.query("actor") || undefined;
  const before = parseAuditCursor(c.req.query("before"));
  const members = await listMembers(t);
  const actorUserId = members.some((m) => m.userId === actorParam) ? actorParam : undefined;
  const { entries, nextBefore } = await listAudit(t, { action, actorUserId, before });

  const query = new URLSearchParams();
  if (action) query.set("action", action);
  if (actorUserId) query.set("actor", actorUserId);
  if (nextBefore) query.set("before", nextBefore);
  return render(
    c,
    "Audit trail",
    <AuditPage
      entries={entries.map((e) => ({
        id: e.id,
        action: e.action,
        actionLabel: AUDIT_ACTIONS[e.action as AuditAction] ?? e.action,
        actor:
          e.actorEmail ??
          // A key's use: the key acted, not a member (src/services/api/auth.ts).
          (e.action === "api_key.used"
            ? "API key"
            : e.actorStaffName
              ? `Support · ${e.actorStaffName} (CustomerTrackr)`
              : ANONYMOUS_ACTIONS.has(e.action)
                ? "anonymous visitor"
                : "former member"),
        target: describeTarget(e.targetLabel, e.detail),
        ip: e.ip,
        device: describeDevice(e.userAgent),
        createdAt: e.createdAt,
      }))}
      actions={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }))}
      members={members.map((m) => ({ id: m.userId, email: m.email }))}
      filter={{ action, actor: actorUserId }}
      olderHref={nextBefore ? `/app/settings/audit?${query}` : null}
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
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
      // The staff member's name is already in "Who"; a support grant's id means nothing to a reader.
      for (const [k, v] of Object.entries(d)) if (k !== "staff" && k !== "grant") parts.push(`${k}: ${String(v)}`);
    } catch {
      // Entries are written by us as JSON; anything else is shown as nothing rather than raw.
    }
  }
  return parts.length ? parts.join(", ") : null;
}
