/**
 * /app/settings/support, for admins and owners: give CustomerTrackr support access (read-only or read and
 * write, 1 hour to 7 days), answer support's requests, end access at once, and see what support saw.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import type { SupportGrant } from "../../../db/schema";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { formValues, parseForm } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import {
  approveRequest,
  declineRequest,
  durationLabel,
  endGrant,
  GRANT_DURATIONS,
  giveGrant,
  isLive,
  listGrants,
  REQUEST_OPEN_MS,
  SUPPORT_ACCESS_PAGE,
} from "../../../services/support-access/grants";
import { seenUnder } from "../../../services/support-access/history";
import { mailLink } from "../../../services/reminders/links";
import { actorOf, controlOf } from "../../context";
import { settingsMenuOf } from "./settings-context";
import {
  SupportAccessPage,
  type SupportAccessPageProps,
  type SupportGrantView,
} from "../../../../views/pages/settings/SupportAccessPage";

/** Mounted at /app/settings/support. */
export const supportAccessRoutes = new Hono<AppEnv>();
supportAccessRoutes.use("*", requireRole("admin"));

const durations = Object.entries(GRANT_DURATIONS).map(([value, d]) => ({ value, label: d.label }));

function stateOf(g: SupportGrant, now: number): SupportGrantView["state"] {
  if (isLive(g, now)) return "live";
  if (g.declinedAt) return "declined";
  if (g.endedAt) return "ended";
  if (g.startedAt !== null) return "ran out";
  // An emergency request is the console's until a second admin opens it; the workspace is told then.
  if (g.kind === "break_glass") return "waiting";
  return g.createdAt > now - REQUEST_OPEN_MS ? "pending" : "expired request";
}

function whoOf(g: SupportGrant): string {
  if (g.kind === "grant") return "CustomerTrackr support";
  const name = `${g.staffName ?? "A staff member"} (CustomerTrackr)`;
  return g.kind === "break_glass" ? `${name}, emergency access` : name;
}

async function supportPage(
  c: Context<AppEnv>,
  extra: Partial<SupportAccessPageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const t = controlOf(c);
  const grants = await listGrants(t);
  const seen = await seenUnder(
    t,
    grants.map((g) => g.id),
  );
  const now = Date.now();
  return render(
    c,
    "Support access",
    <SupportAccessPage
      grants={grants.map((g) => ({
        id: g.id,
        who: whoOf(g),
        access: g.access === "read" ? "read-only" : "read and write",
        duration: durationLabel(g.durationMs),
        ticket: g.ticket,
        reason: g.reason,
        state: stateOf(g, now),
        kind: g.kind,
        createdAt: g.createdAt,
        expiresAt: g.expiresAt,
        seen: seen
          .filter((s) => s.grantId === g.id)
          .map((s) => ({
            at: s.at,
            what:
              s.action === "support.viewed"
                ? `${s.staffName} viewed ${s.label ?? "a page"}`
                : `${s.staffName} tried to change ${s.label ?? "a page"}${s.status && s.status >= 400 ? " (refused)" : ""}`,
          })),
      }))}
      durations={durations}
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      {...extra}
    />,
    status,
  );
}

// The mail names this workspace: its owner may be working in another of theirs when they open it.
const link = (c: Context<AppEnv>) => mailLink(appBaseUrl(c), controlOf(c).tenantId, SUPPORT_ACCESS_PAGE);

supportAccessRoutes.get("/", (c) => supportPage(c));

const giveSchema = z.object({
  access: z.enum(["read", "write"], { error: "Choose read-only or read and write." }),
  duration: z.enum(["1h", "24h", "7d"], { error: "Choose 1 hour, 24 hours or 7 days." }),
  ticket: z
    .string()
    .trim()
    .max(100, "At most 100 characters.")
    .transform((v) => v || null),
});

supportAccessRoutes.post("/", async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(giveSchema, { ticket: "", ...body });
  if (!parsed.ok)
    return supportPage(c, { errors: parsed.errors, values: formValues(body, ["access", "duration", "ticket"]) }, 400);
  const mailIds = await giveGrant(controlOf(c), actorOf(c), parsed.data, link(c));
  deliverSoon(c, mailIds);
  return supportPage(c, { notice: "Support access given. The owner was emailed." });
});

supportAccessRoutes.post("/:id/end", async (c) => {
  const result = await endGrant(controlOf(c), actorOf(c), c.req.param("id"), link(c));
  if (!result.ok) return supportPage(c, { problem: "That access had already ended." }, 404);
  deliverSoon(c, result.mailIds);
  return supportPage(c, { notice: "Support access ended. Support can no longer open the workspace." });
});

supportAccessRoutes.post("/:id/approve", async (c) => {
  const result = await approveRequest(controlOf(c), actorOf(c), c.req.param("id"), link(c));
  if (!result.ok) return supportPage(c, { problem: "That request is no longer waiting." }, 404);
  deliverSoon(c, result.mailIds);
  return supportPage(c, { notice: "Approved: support has access now." });
});

supportAccessRoutes.post("/:id/decline", async (c) => {
  if (!(await declineRequest(controlOf(c), actorOf(c), c.req.param("id"))))
    return supportPage(c, { problem: "That request is no longer waiting." }, 404);
  return supportPage(c, { notice: "Declined. Support was not given access." });
});
