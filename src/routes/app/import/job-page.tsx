/** What the import pages share: the job's services, the job from the URL, a form choice, and the job's page. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ImportJob } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { inReaderZone, render, wantsFragment } from "../../../lib/render";
import { DAY_MS, retentionPeriods } from "../../../lib/retention-periods";
import { firstProblems } from "../../../services/import/files";
import { canUndo, getImport, hasReview, type ImportServices } from "../../../services/import/jobs";
import { jobStall } from "../../../services/jobs/stall";
import { TARGET_LABELS, targetsOf } from "../../../services/import/mapping";
import { readSamples, reviewHead } from "../../../services/import/review";
import type { KeptList } from "../../../services/import/undo";
import { importFields } from "../../../services/import/fields";
import { ImportJobPage, ImportJobStatus } from "../../../../views/pages/import/ImportJobPage";
import { billingConfig } from "../../../lib/stripe";
import { getBillingOverview } from "../../../services/billing/overview";
import type { PlanRoomView } from "../../../../views/pages/import/PlanRoomWarning";
import { authOf, tenantOf } from "../../context";

export function importServices(c: Context<AppEnv>): ImportServices {
  return { t: tenantOf(c), files: c.env.FILES, jobs: c.env.JOBS };
}

/** A form value when it is one of `choices`, else null. */
export function formChoice<T extends string>(value: unknown, choices: readonly T[]): T | null {
  return typeof value === "string" && (choices as readonly string[]).includes(value) ? (value as T) : null;
}

/** The job the URL names, in the signed-in workspace (another workspace's is not found). */
export function loadJob(c: Context<AppEnv>): Promise<ImportJob | null> {
  return getImport(tenantOf(c), c.req.param("id") ?? "");
}

/** A job as the import list shows it. */
export function jobSummary(job: ImportJob) {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    fileName: job.fileName,
    createdAt: job.createdAt,
    createdCount: job.createdCount,
    updatedCount: job.updatedCount,
    totalRows: job.totalRows,
  };
}

/** The job's page, or only its status part when its htmx poll asks for that. */
export async function jobPage(
  c: Context<AppEnv>,
  job: ImportJob,
  extra: { alert?: string; mappingError?: string } = {},
  status: ContentfulStatusCode = 200,
) {
  const t = tenantOf(c);
  const ready = job.status === "ready";
  const listed = (ready || job.status === "done") && hasReview(job);
  const [fields, problems, samples, review, planRoom] = await Promise.all([
    ready ? importFields(t, job.kind) : Promise.resolve([]),
    ready || job.status === "done" ? firstProblems(c.env.FILES, job) : Promise.resolve([]),
    ready && job.filesDeletedAt === null ? readSamples(c.env.FILES, job) : Promise.resolve([]),
    listed ? reviewHead(c.env.FILES, job, job.chunkCount) : Promise.resolve(null),
    ready ? planRoomOf(c, job) : Promise.resolve(null),
  ]);
  const targets = [
    { value: "", label: "Do not import" },
    ...targetsOf(job.kind).map((target) => ({
      value: target,
      label: TARGET_LABELS[target] ?? target,
    })),
    ...fields.map((f) => ({ value: `cf:${f.id}`, label: `Custom field: ${f.name}` })),
  ];
  const props = {
    job: {
      ...jobSummary(job),
      encoding: job.encoding,
      encodingChoice: job.encodingChoice,
      delimiter: job.delimiter,
      newCount: job.newCount,
      updateCount: job.updateCount,
      unchangedCount: job.unchangedCount,
      duplicateCount: job.duplicateCount,
      invalidCount: job.invalidCount,
      emptyCount: job.emptyCount,
      conflictCount: job.conflictCount,
      possibleDuplicateCount: job.possibleDuplicateCount,
      chunkCount: job.chunkCount,
      chunksDone: job.chunksDone,
      message: job.message,
      finishedAt: job.finishedAt,
      undoneAt: job.undoneAt,
      filesDeletedAt: job.filesDeletedAt,
      recordsDeletedAt: job.recordsDeletedAt,
      undoUntil: job.createdAt + retentionPeriods(c.env).importUndoDays * DAY_MS,
      canUndo: canUndo(job),
      stoppedDuring: job.stoppedDuring,
      kept: job.undoKept ? (JSON.parse(job.undoKept) as KeptList) : null,
      stall: jobStall(job, Date.now()),
    },
    problems,
    headers: JSON.parse(job.headers ?? "[]") as string[],
    mapping: JSON.parse(job.mapping ?? "[]") as string[],
    samples,
    review,
    targets,
    planRoom,
    ...extra,
  };
  // While the job works, the status part polls itself; htmx asks for just that part.
  if (wantsFragment(c) && c.req.query("part") === "status")
    return c.html(inReaderZone(c, <ImportJobStatus {...props} />), status);
  return render(c, `Import: ${job.fileName}`, <ImportJobPage {...props} />, status);
}

/**
 * A contacts preview in a workspace held to a contact limit: the limit and its count now, for the warning that the
 * import would stop part-way (the commit checks the limit chunk by chunk). Null when nothing can stop it.
 */
async function planRoomOf(c: Context<AppEnv>, job: ImportJob): Promise<PlanRoomView | null> {
  const config = billingConfig(c.env);
  const limit = config.limits?.contacts ?? null;
  if (job.kind !== "contacts" || limit === null || job.newCount === 0) return null;
  const overview = await getBillingOverview(tenantOf(c), config, Date.now());
  if (!overview?.limited) return null;
  return { limit, contacts: overview.usage.contacts, isOwner: authOf(c).role === "owner" };
}
