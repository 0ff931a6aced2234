/**
 * "Download my data" as its requester sees it: asking for an archive, the list of their archives,
 * cancelling or retrying a build, and opening a ready one (the requester only, for 24 hours).
 *
 *   POST /app/settings/privacy/export → requestDataExport: a data_exports row (queued), an audit
 *                                       entry, a "privacy.export" message (built by archive-build.ts)
 *   GET …/exports/:id                 → openDataExport, recordExportDownload
 *   POST …/exports/:id/cancel, /retry → cancelDataExport, retryDataExport
 */
import { desc, eq, gt } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { dataExports, type DataExport, type Role } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { newId } from "../../lib/ids";
import { RETENTION } from "../../lib/legal";
import { roleAtLeast } from "../../lib/roles";
import type { BaseUrl } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { isoTime } from "../export/serialise";
import { enqueue } from "../jobs/enqueue";

const send = (jobs: Queue<DataExportMessage>, message: DataExportMessage) => enqueue(jobs, message, message.exportId);

export type DataExportMessage = {
  type: "privacy.export";
  exportId: string;
  tenantId: string;
  userId: string;
  baseUrl: string;
};

/** How long a download link works once the archive is ready (the privacy page states it). */
export const EXPORT_LINK_MS = RETENTION.exportArchiveHours * 3_600_000;
/** Requests per user and workspace per 24 hours: each one reads the whole workspace. */
export const EXPORT_REQUESTS_PER_DAY = 5;

/** The signed-in user asking, in the workspace of the TenantDb they come with. */
export interface ExportRequester {
  userId: string;
  role: Role;
}

export type RequestExportResult = { ok: true; id: string } | { ok: false; reason: "pending" | "limit" };

/** Starts a build for the requester; the workspace's records are included for owners and admins. */
export async function requestDataExport(
  t: TenantDb,
  jobs: Queue<DataExportMessage>,
  who: ExportRequester,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<RequestExportResult> {
  const { db } = t;
  const recent = await db
    .select({ status: dataExports.status, createdAt: dataExports.createdAt })
    .from(dataExports)
    .where(t.where(dataExports, eq(dataExports.userId, who.userId), gt(dataExports.createdAt, meta.now - 86_400_000)));
  if (recent.some((r) => r.status === "queued")) return { ok: false, reason: "pending" };
  if (recent.length >= EXPORT_REQUESTS_PER_DAY) return { ok: false, reason: "limit" };
  const id = newId();
  const includesWorkspace = roleAtLeast(who.role, "admin");
  await db.batch([
    t.insert(dataExports, {
      id,
      userId: who.userId,
      includesWorkspace,
      status: "queued",
      baseUrl: meta.baseUrl,
      createdAt: meta.now,
      updatedAt: meta.now,
    }),
    auditInsert(db, {
      tenantId: t.tenantId,
      actorUserId: who.userId,
      action: "privacy.export_requested",
      targetType: "user",
      targetId: who.userId,
      detail: { workspace_records: includesWorkspace },
      ...meta,
    }),
  ]);
  await send(jobs, {
    type: "privacy.export",
    exportId: id,
    tenantId: t.tenantId,
    userId: who.userId,
    baseUrl: meta.baseUrl,
  });
  return { ok: true, id };
}

/** The message that builds an archive (the watchdog and Retry send it again); old rows lack their origin. */
export function dataExportMessage(
  row: Pick<DataExport, "id" | "tenantId" | "userId" | "baseUrl">,
  fallbackBaseUrl: string | undefined,
): DataExportMessage {
  return {
    type: "privacy.export",
    exportId: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    baseUrl: row.baseUrl ?? fallbackBaseUrl ?? "",
  };
}

export type ExportActionResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" };

/** The requester's own row, or null: another user's or another workspace's id is not found. */
async function ownExport(t: TenantDb, who: ExportRequester, id: string): Promise<DataExport | null> {
  if (!/^[a-z0-9]{1,40}$/.test(id)) return null;
  const [row] = await t.db
    .select()
    .from(dataExports)
    .where(t.where(dataExports, eq(dataExports.id, id), eq(dataExports.userId, who.userId)))
    .limit(1);
  return row ?? null;
}

/** Stops a build being prepared; a build still running sees it at its next heartbeat and discards its archive. */
export async function cancelDataExport(
  t: TenantDb,
  who: ExportRequester,
  id: string,
  now: number,
): Promise<ExportActionResult> {
  if (!(await ownExport(t, who, id))) return { ok: false, reason: "not_found" };
  const [cancelled] = await t
    .update(
      dataExports,
      { status: "cancelled", message: null, updatedAt: now },
      eq(dataExports.id, id),
      eq(dataExports.userId, who.userId),
      eq(dataExports.status, "queued"),
    )
    .returning({ id: dataExports.id });
  return cancelled ? { ok: true } : { ok: false, reason: "conflict" };
}

/** Builds a failed request again (the same request: it does not count against the day's limit again). */
export async function retryDataExport(
  t: TenantDb,
  jobs: Queue<DataExportMessage>,
  who: ExportRequester,
  id: string,
  fallbackBaseUrl: string,
  now: number,
): Promise<ExportActionResult> {
  const row = await ownExport(t, who, id);
  if (!row) return { ok: false, reason: "not_found" };
  const [retried] = await t
    .update(
      dataExports,
      { status: "queued", message: null, watchdogAt: null, watchdogSeenAt: null, watchdogTries: 0, updatedAt: now },
      eq(dataExports.id, id),
      eq(dataExports.userId, who.userId),
      eq(dataExports.status, "failed"),
    )
    .returning({ id: dataExports.id });
  if (!retried) return { ok: false, reason: "conflict" };
  await send(jobs, dataExportMessage(row, fallbackBaseUrl));
  return { ok: true };
}

/** How a row looks to its requester now: a ready archive past its link's time has expired. */
export function exportState(row: Pick<DataExport, "status" | "expiresAt">, now: number): DataExport["status"] {
  if (row.status === "ready" && (row.expiresAt ?? 0) <= now) return "expired";
  return row.status;
}

/** The requester's recent exports in this workspace, newest first. */
export async function listDataExports(t: TenantDb, userId: string, limit = 10): Promise<DataExport[]> {
  return t.db
    .select()
    .from(dataExports)
    .where(t.where(dataExports, eq(dataExports.userId, userId)))
    .orderBy(desc(dataExports.createdAt))
    .limit(limit);
}

export type OpenExportResult =
  | { ok: true; row: DataExport; object: R2ObjectBody }
  | { ok: false; reason: "not_found" | "expired" | "not_ready" | "failed" | "role" };

/**
 * The archive, for its requester only: another user's or another workspace's id is not found. A
 * link past its 24 hours is refused (and its archive may already be gone). An archive holding the
 * workspace's records is refused to a requester who is no longer an owner or admin.
 */
export async function openDataExport(
  t: TenantDb,
  files: R2Bucket,
  who: ExportRequester,
  id: string,
  now: number,
): Promise<OpenExportResult> {
  const row = await ownExport(t, who, id);
  if (!row) return { ok: false, reason: "not_found" };
  const state = exportState(row, now);
  if (state === "expired") return { ok: false, reason: "expired" };
  if (state === "failed" || state === "cancelled") return { ok: false, reason: "failed" };
  if (state !== "ready" || !row.objectKey) return { ok: false, reason: "not_ready" };
  if (row.includesWorkspace && !roleAtLeast(who.role, "admin")) return { ok: false, reason: "role" };
  const object = await files.get(row.objectKey);
  if (!object) return { ok: false, reason: "expired" };
  return { ok: true, row, object };
}

/** The audit entry of a download. */
export async function recordExportDownload(
  t: TenantDb,
  who: ExportRequester,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: who.userId,
    action: "privacy.export_downloaded",
    targetType: "data_export",
    targetId: id,
    ...meta,
  });
}

/** The archive's file name: no tenant or user text in it. */
export function dataExportFileName(readyAt: number): string {
  return `customertrackr-my-data-${isoTime(readyAt).slice(0, 10)}.zip`;
}
