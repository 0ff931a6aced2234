/**
 * /app/settings/privacy: "Download my data" (every role, for their own account; owners and admins
 * also get the workspace's records), its download links, and the workspace's suppression list
 * (admins and owners). The archive is built by a Queue consumer (src/services/privacy/archive.ts).
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv, AuthContext } from "../env";
import { errorResponse } from "../lib/errors";
import { appBaseUrl } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { roleAtLeast } from "../lib/roles";
import { email, formValue, parseForm } from "../lib/validation";
import { requireRole } from "../middleware/session";
import {
  cancelDataExport,
  dataExportFileName,
  EXPORT_LINK_MS,
  EXPORT_REQUESTS_PER_DAY,
  exportState,
  listDataExports,
  openDataExport,
  recordExportDownload,
  requestDataExport,
  retryDataExport,
  type DataExportMessage,
} from "../services/privacy/archive";
import { auditInsert } from "../services/audit/audit";
import { countSuppressions, unsuppressEmail } from "../services/privacy/suppression";
import { DataExportUnavailablePage, PrivacyPage, type PrivacyPageProps } from "../../views/pages/settings/PrivacyPage";

/** Mounted at /app/settings. */
export const privacySettingsRoutes = new Hono<AppEnv>();

const LINK_HOURS = EXPORT_LINK_MS / 3_600_000;
const who = (auth: AuthContext) => ({ userId: auth.user.id, tenantId: auth.tenant.id, role: auth.role });

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

async function privacyPage(
  c: Context<AppEnv>,
  opts: {
    notice?: PrivacyPageProps["notice"];
    suppressionError?: string;
    suppressionValue?: string;
    status?: 200 | 422;
  } = {},
) {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const isAdmin = roleAtLeast(auth.role, "admin");
  const now = Date.now();
  const [rows, count] = await Promise.all([
    listDataExports(db, auth.tenant.id, auth.user.id),
    isAdmin && c.env.SUPPRESSION_KEY ? countSuppressions(db, auth.tenant.id) : Promise.resolve(0),
  ]);
  return render(
    c,
    "Privacy",
    <PrivacyPage
      canSeeAudit={isAdmin}
      canSeeBilling={auth.role === "owner"}
      isAdmin={isAdmin}
      exports={rows.map((r) => ({
        id: r.id,
        state: exportState(r, now),
        includesWorkspace: r.includesWorkspace,
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
        size: r.size,
        message: r.status === "failed" ? r.message : null,
      }))}
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

privacySettingsRoutes.get("/privacy", requireRole("viewer"), (c) =>
  privacyPage(c, { notice: NOTICES[c.req.query("notice") ?? ""] }),
);

privacySettingsRoutes.post("/privacy/export", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const result = await requestDataExport(c.get("db"), c.env.JOBS as Queue<DataExportMessage>, who(auth), {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "requested" : result.reason}`, 303);
});

// Cancel a copy being prepared, or build a failed one again: the requester only, like the download.
privacySettingsRoutes.post("/privacy/exports/:id/cancel", requireRole("viewer"), async (c) => {
  const result = await cancelDataExport(c.get("db"), who(c.get("auth")!), c.req.param("id"), Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "cancelled" : "unchanged"}`, 303);
});

privacySettingsRoutes.post("/privacy/exports/:id/retry", requireRole("viewer"), async (c) => {
  const jobs = c.env.JOBS as Queue<DataExportMessage>;
  const result = await retryDataExport(
    c.get("db"),
    jobs,
    who(c.get("auth")!),
    c.req.param("id"),
    appBaseUrl(c),
    Date.now(),
  );
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  return c.redirect(`/app/settings/privacy?notice=${result.ok ? "retried" : "unchanged"}`, 303);
});

// The requester only: another user's or another workspace's id is simply not found.
privacySettingsRoutes.get("/privacy/exports/:id", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const meta = requestMeta(c);
  const opened = await openDataExport(db, c.env.FILES, who(auth), c.req.param("id"), meta.now);
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
  await recordExportDownload(db, who(auth), opened.row.id, meta);
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

privacySettingsRoutes.post("/privacy/suppressions/remove", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
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
  const db = c.get("db");
  const removed = await unsuppressEmail(db, auth.tenant.id, key, parsed.data.email);
  if (!removed)
    return privacyPage(c, {
      suppressionError: "That address is not on the suppression list.",
      suppressionValue: parsed.data.email,
      status: 422,
    });
  const meta = requestMeta(c);
  // The entry never names the address: the list exists so that it is not kept.
  await auditInsert(db, {
    tenantId: auth.tenant.id,
    actorUserId: auth.user.id,
    action: "suppression.removed",
    targetType: "suppression",
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return c.redirect("/app/settings/privacy?notice=removed", 303);
});
