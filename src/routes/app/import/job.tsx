/** An import's page, and what a user does to it: change the columns, commit, undo, cancel, retry. */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { ImportJob } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import type { Actor } from "../../../lib/actor";
import { errorResponse } from "../../../lib/errors";
import { requireRole } from "../../../middleware/session";
import { recordAudit, type AuditAction } from "../../../services/audit/audit";
import {
  cancelImport,
  changeMapping,
  requestCommit,
  requestUndo,
  retryImport,
  type StopResult,
} from "../../../services/import/jobs";
import { ENCODING_CHOICES, type EncodingChoice } from "../../../services/import/upload";
import { actorOf, tenantOf } from "../../context";
import { formChoice, importServices, jobPage, loadJob } from "./job-page";

export const jobRoutes = new Hono<AppEnv>();

/** Records what a user did to an import in the audit trail. */
async function auditImport(
  c: Context<AppEnv>,
  actor: Actor,
  action: AuditAction,
  job: ImportJob,
  detail: Record<string, string | number>,
) {
  const t = tenantOf(c);
  await recordAudit(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action,
    targetType: "import",
    targetId: job.id,
    targetLabel: job.fileName,
    detail,
    ...actor,
  });
}

/** Another import of the workspace is running: this one waits for it. */
const busy = (what: string) => `Another import is running in this workspace. ${what} this one when it has finished.`;

jobRoutes.get("/:id", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  return job ? jobPage(c, job) : errorResponse(c, 404);
});

jobRoutes.post("/:id/mapping", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const body = await c.req.parseBody({ all: true });
  const headers = JSON.parse(job.headers ?? "[]") as string[];
  const mapping = headers.map((_, i) => {
    const v = body[`col_${i}`];
    return typeof v === "string" ? v : "";
  });
  const encoding = formChoice<EncodingChoice>(body.encoding, ENCODING_CHOICES);
  if (!encoding) return jobPage(c, job, { mappingError: "Choose the file's encoding, or leave it on “Detect”." }, 400);
  const result = await changeMapping(importServices(c), job.id, mapping, encoding, Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok && result.reason === "invalid")
    return jobPage(c, job, { mappingError: "Choose a field from the list for each column." }, 400);
  if (!result.ok)
    return jobPage(c, job, { alert: "The columns can only be changed before the import is committed." }, 409);
  return c.redirect(`/app/import/${job.id}`, 303);
});

/**
 * One of the job page's buttons: `run` asks the service; a job that is gone is a 404, a refusal shows
 * the page again with `refusal`'s message (409), and a success runs `after` (its audit entry) and goes
 * back to the job.
 */
function jobButton<Done extends { ok: true }>(
  run: (c: Context<AppEnv>, id: string, now: number) => Promise<Done | { ok: false; reason: string }>,
  refusal: (reason: string) => string,
  after?: (c: Context<AppEnv>, job: ImportJob, actor: Actor, done: Done) => Promise<void>,
) {
  return async (c: Context<AppEnv>) => {
    const job = await loadJob(c);
    if (!job) return errorResponse(c, 404);
    const actor = actorOf(c);
    const result = await run(c, job.id, actor.now);
    if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
    if (!result.ok) return jobPage(c, (await loadJob(c)) ?? job, { alert: refusal(result.reason) }, 409);
    await after?.(c, job, actor, result);
    return c.redirect(`/app/import/${job.id}`, 303);
  };
}

jobRoutes.post(
  "/:id/commit",
  requireRole("admin"),
  jobButton(
    (c, id, now) => requestCommit(importServices(c), id, now),
    (reason) => (reason === "busy" ? busy("Commit") : "This import cannot be committed now."),
    async (c, job, actor) => {
      if (job.status !== "ready") return;
      trackFeature(c, "import.committed");
      const detail = { kind: job.kind, new: job.newCount, updates: job.updateCount };
      await auditImport(c, actor, "data.imported", job, detail);
    },
  ),
);

jobRoutes.post(
  "/:id/undo",
  requireRole("admin"),
  jobButton(
    (c, id, now) => requestUndo(importServices(c), id, now),
    (reason) => (reason === "busy" ? busy("Undo") : "This import has nothing to undo."),
    async (c, job, actor) => {
      if (job.status === "undoing") return;
      const detail = { kind: job.kind, created: job.createdCount, updated: job.updatedCount };
      await auditImport(c, actor, "data.import_undone", job, detail);
    },
  ),
);

// Cancel a working import (see cancelImport for what stays), and retry one the watchdog gave up on.
jobRoutes.post(
  "/:id/cancel",
  requireRole("admin"),
  jobButton<Extract<StopResult, { ok: true }>>(
    (c, id, now) => cancelImport(importServices(c), id, now),
    () => "This import is not running, so there is nothing to cancel.",
    (c, job, actor, stopped) =>
      auditImport(c, actor, "data.import_cancelled", job, { kind: job.kind, during: stopped.status }),
  ),
);

jobRoutes.post(
  "/:id/retry",
  requireRole("admin"),
  jobButton(
    (c, id, now) => retryImport(importServices(c), id, now),
    (reason) => (reason === "busy" ? busy("Retry") : "This import cannot be retried."),
  ),
);
