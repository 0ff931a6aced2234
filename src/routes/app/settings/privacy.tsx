/**
 * /app/settings/privacy: "Download my data" (every role, for their own account; owners and admins
 * also get the workspace's records), its download links, and the workspace's suppression list
 * (admins and owners). The archive is built by a Queue consumer (src/services/privacy/archive-build.ts).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv, AuthContext } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl } from "../../../lib/mail";
import { inReaderZone, render, wantsFragment } from "../../../lib/render";
import { requestMeta } from "../../../lib/request";
import { roleAtLeast } from "../../../lib/roles";
import { email, formValue, parseForm } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import { auditInsert } from "../../../services/audit/audit";
import {
  cancelDataExport,
  type DataExportMessage,
  dataExportFileName,
  EXPORT_LINK_MS,
  EXPORT_REQUESTS_PER_DAY,
  type ExportRequester,
  exportState,
  listDataExports,
  openDataExport,
  recordExportDownload,
  requestDataExport,
  retryDataExport,
} from "../../../services/privacy/archive-requests";
import { countSuppressions, unsuppressEmail } from "../../../services/privacy/suppression";
import {
  type DataExportRow,
  DataExports,
  DataExportUnavailablePage,
  PrivacyPage,
  type PrivacyPageProps,
} from "../../../../views/pages/settings/PrivacyPage";
import { actorOf, authOf, tenantOf } from "../../context";
import { jobStall } from "../../../services/jobs/stall";

/** Mounted at /app/settings/privacy. */
export const privacySettingsRoutes = new Hono<AppEnv>();

const LINK_HOURS = EXPORT_LINK_MS / 3_600_000;
const who = (auth: AuthContext): ExportRequester => ({ userId: auth.user.id, role: auth.role });
const jobsOf = (c: Context<AppEnv>) => c.env.JOBS as Queue<DataExportMessage>;

const NOTICES: Record<string, PrivacyPageProps["notice"]> = {
  requested: {
    kind: "ok",
    text: "We are preparing your copy. We will email you a link when it is ready; it will also appear below.",
  },
  pending: { kind: "warn", text: "A copy is already being prepared. We will email you when it is ready." },
  limit: {
    kind: "warn",
    text: `You have asked for ${EXPORT_REQUESTS_PER_DAY} copies in the last 24 hours. Please try again tomorrow.`,
  },
  removed: { kind: "ok", text: "That address is no longer on the suppression list." },
  cancelled: { kind: "ok", text: "Cancelled. You can ask for a new copy whenever you like." },
  retried: { kind: "ok", text: "We are preparing your copy again. We will email you a link when it is ready." },
  unchanged: { kind: "warn", text: "That request is no longer being prepared or has not failed, so nothing changed." },
};

/** The member's recent copies in this workspace, as the page and its polling part show them. */
async function exportRows(c: Context<AppEnv>): Promise<DataExportRow[]> {
  const now = Date.now();
  const rows = await listDataExports(tenantOf(c), authOf(c).user.id);
  return rows.map((r) => ({
    id: r.id,
    state: exportState(r, now),
    stall: jobStall(r, now),
    includesWorkspace: r.includesWorkspace,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    size: r.size,
    message: r.status === "failed" ? r.message : null,
  }));
}

async function privacyPage(
  c: Context<AppEnv>,
  opts: {
    notice?: PrivacyPageProps["notice"];
    suppressionError?: string;
    suppressionValue?: string;
    status?: 200 | 422;
  } = {},
) {
  const auth = authOf(c);
  const isAdmin = roleAtLeast(auth.role, "admin");
  const [rows, count] = await Promise.all([
    exportRows(c),
    isAdmin && c.env.SUPPRESSION_KEY ? countSuppressions(tenantOf(c)) : Promise.resolve(0),
  ]);
  return render(
    c,
    "Privacy",
    <PrivacyPage
      canSeeAudit={isAdmin}
      canSeeBilling={auth.role === "owner"}
      isAdmin={isAdmin}
      exports={rows}
      linkHours={LINK_HOURS}
      perDay={EXPORT_REQUESTS_PER_DAY}
      notice={opts.notice}
      suppression={
        isAdmin
          ? { available: !!c.env.SUPPRESSION_KEY, count, error: opts.suppressionError, value: opts.suppressionValue }
          : null
      }
    />,
    opts.status ?? 200,
  );
}

privacySettingsRoutes.get("/", requireRole("viewer"), async (c) => {
  // The part the page polls while a copy is being prepared.
  if (wantsFragment(c) && c.req.query("part") === "exports")
    return c.html(inReaderZone(c, <DataExports exports={await exportRows(c)} perDay={EXPORT_REQUESTS_PER_DAY} />));
  return privacyPage(c, { notice: NOTICES[c.req.query("notice") ?? ""] });
});

privacySettingsRoutes.post("/export", requireRole("viewer"), async (c) => {
  const result = await requestDataExport(tenantOf(c), jobsOf(c), who(authOf(c)), {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "requested" : result.reason}`, 303);
});

// Cancel a copy being prepared, or build a failed one again: the requester only, like the download.
privacySettingsRoutes.post("/exports/:id/cancel", requireRole("viewer"), async (c) => {
  const result = await cancelDataExport(tenantOf(c), who(authOf(c)), c.req.param("id"), Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "cancelled" : "unchanged"}`, 303);
});

privacySettingsRoutes.post("/exports/:id/retry", requireRole("viewer"), async (c) => {
  const id = c.req.param("id");
  const result = await retryDataExport(tenantOf(c), jobsOf(c), who(authOf(c)), id, appBaseUrl(c), Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "retried" : "unchanged"}`, 303);
});

// The requester only: another user's or another workspace's id is simply not found.
privacySettingsRoutes.get("/exports/:id", requireRole("viewer"), async (c) => {
  const t = tenantOf(c);
  const requester = who(authOf(c));
  const meta = requestMeta(c);
  const opened = await openDataExport(t, c.env.FILES, requester, c.req.param("id"), meta.now);
  if (!opened.ok) {
    if (opened.reason === "not_found") return errorResponse(c, 404);
    const status = opened.reason === "expired" ? 410 : opened.reason === "role" ? 403 : 409;
    return render(
      c,
      "Download my data",
      <DataExportUnavailablePage reason={opened.reason} linkHours={LINK_HOURS} />,
      status,
    );
  }
  await recordExportDownload(t, requester, opened.row.id, meta);
  return new Response(opened.object.body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(opened.object.size),
      "Content-Disposition": `attachment; filename="${dataExportFileName(opened.row.readyAt ?? meta.now)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

privacySettingsRoutes.post("/suppressions/remove", requireRole("admin"), async (c) => {
  const key = c.env.SUPPRESSION_KEY;
  if (!key) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const parsed = parseForm(z.object({ email: email("Enter the email address to take off the list.") }), body);
  if (!parsed.ok)
    return privacyPage(c, {
      suppressionError: parsed.errors.email,
      suppressionValue: formValue(body, "email"),
      status: 422,
    });
  const t = tenantOf(c);
  const removed = await unsuppressEmail(t, key, parsed.data.email);
  if (!removed)
    return privacyPage(c, {
      suppressionError: "That address is not on the suppression list.",
      suppressionValue: parsed.data.email,
      status: 422,
    });
  const actor = actorOf(c);
  // The entry never names the address: the list exists so that it is not kept.
  await auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "suppression.removed",
    targetType: "suppression",
    ...actor,
  });
  return c.redirect("/app/settings/privacy?notice=removed", 303);
});
