/**
 * /app/import: upload a CSV, check the preview, commit, watch the progress, download the error file,
 * undo. Admins and owners only. GETs only read the job; every change is a POST.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { IMPORT_KINDS, type ImportJob, type ImportKind } from "../db/schema";
import { scoped } from "../db/scoped";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { render, wantsFragment } from "../lib/render";
import { requestMeta } from "../lib/request";
import { DAY_MS, retentionPeriods } from "../lib/retention-periods";
import { requireRole } from "../middleware/session";
import { recordAudit } from "../services/audit/audit";
import { listCustomFields } from "../services/records/custom-fields";
import {
  canUndo,
  cancelImport,
  changeMapping,
  createImport,
  errorFile,
  firstProblems,
  getImport,
  hasReview,
  listImports,
  requestCommit,
  requestUndo,
  retryImport,
  type ImportServices,
} from "../services/import/jobs";
import {
  COMPANY_TARGETS,
  CONTACT_TARGETS,
  decodeUpload,
  ENCODING_CHOICES,
  IMPORT_MAX_BYTES,
  TARGET_LABELS,
  type EncodingChoice,
} from "../services/import/parse";
import { readSamples, reviewCsv, reviewHead } from "../services/import/review";
import type { KeptList } from "../services/import/undo";
import { ImportJobPage, ImportJobStatus } from "../../views/pages/import/ImportJobPage";
import { ImportPage, type ImportFormErrors } from "../../views/pages/import/ImportPage";

/** Mounted at /app/import (src/app.ts exempts POST /app/import from the 64 KB form limit). */
export const importRoutes = new Hono<AppEnv>();

const MB = 1024 * 1024;

function services(c: Context<AppEnv>): ImportServices {
  return { db: c.get("db"), files: c.env.FILES, jobs: c.env.JOBS };
}

async function importPage(
  c: Context<AppEnv>,
  form: { kind?: string; encoding?: string; errors?: ImportFormErrors } = {},
  status: ContentfulStatusCode = 200,
) {
  const auth = c.get("auth")!;
  const jobs = await listImports(c.get("db"), auth.tenant.id);
  return render(
    c,
    "Import",
    <ImportPage
      jobs={jobs.map(jobSummary)}
      kind={form.kind ?? "contacts"}
      encoding={form.encoding ?? "auto"}
      errors={form.errors ?? {}}
      maxMb={IMPORT_MAX_BYTES / MB}
    />,
    status,
  );
}

function jobSummary(job: ImportJob) {
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

importRoutes.get("/", requireRole("admin"), (c) => importPage(c));

// The upload: up to 20 MB (plus the form's other fields). Beyond that, the form again with the reason.
importRoutes.post(
  "/",
  requireRole("admin"),
  bodyLimit({
    maxSize: IMPORT_MAX_BYTES + 64 * 1024,
    onError: (c) =>
      importPage(
        c as Context<AppEnv>,
        { errors: { file: `The file is larger than ${IMPORT_MAX_BYTES / MB} MB. Split it into smaller files.` } },
        413,
      ),
  }),
  async (c) => {
    const auth = c.get("auth")!;
    let body: Record<string, string | File | (string | File)[]>;
    try {
      body = await c.req.parseBody();
    } catch {
      return importPage(c, { errors: { file: "Choose a CSV file to upload." } }, 400);
    }
    const kind =
      typeof body.kind === "string" && (IMPORT_KINDS as readonly string[]).includes(body.kind)
        ? (body.kind as ImportKind)
        : null;
    const encoding =
      typeof body.encoding === "string" && (ENCODING_CHOICES as readonly string[]).includes(body.encoding)
        ? (body.encoding as EncodingChoice)
        : null;
    const file = body.file;
    const errors: ImportFormErrors = {};
    if (!kind) errors.kind = "Choose what the file holds: contacts or companies.";
    if (!encoding) errors.encoding = "Choose the file's encoding, or leave it on “Detect”.";
    if (!(file instanceof File) || file.name === "") errors.file = "Choose a CSV file to upload.";
    else if (file.size === 0) errors.file = "The file is empty.";
    else if (file.size > IMPORT_MAX_BYTES)
      errors.file = `The file is larger than ${IMPORT_MAX_BYTES / MB} MB. Split it into smaller files.`;
    const form = {
      kind: typeof body.kind === "string" ? body.kind : undefined,
      encoding: typeof body.encoding === "string" ? body.encoding : undefined,
      errors,
    };
    if (Object.keys(errors).length)
      return importPage(c, form, file instanceof File && file.size > IMPORT_MAX_BYTES ? 413 : 400);
    // A file that cannot be read at all is refused here, before anything is stored.
    const upload = file as File;
    const bytes = await upload.arrayBuffer();
    const decoded = decodeUpload(new Uint8Array(bytes), encoding!);
    if (!decoded.ok) return importPage(c, { ...form, errors: { file: decoded.message } }, 400);
    const id = await createImport(services(c), {
      tenantId: auth.tenant.id,
      actorId: auth.user.id,
      kind: kind!,
      fileName: upload.name.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200) || "upload.csv",
      bytes,
      encodingChoice: encoding!,
      now: Date.now(),
    });
    return c.redirect(`/app/import/${id}`, 303);
  },
);

async function jobPage(
  c: Context<AppEnv>,
  job: ImportJob,
  extra: { alert?: string; mappingError?: string } = {},
  status: ContentfulStatusCode = 200,
) {
  const auth = c.get("auth")!;
  const ready = job.status === "ready";
  const listed = (ready || job.status === "done") && hasReview(job);
  const [fields, problems, samples, review] = await Promise.all([
    ready
      ? listCustomFields(scoped(c.get("db"), auth.tenant.id), job.kind === "contacts" ? "contact" : "company")
      : Promise.resolve([]),
    ready || job.status === "done" ? firstProblems(c.env.FILES, job) : Promise.resolve([]),
    ready && job.filesDeletedAt === null ? readSamples(c.env.FILES, job) : Promise.resolve([]),
    listed ? reviewHead(c.env.FILES, job, job.chunkCount) : Promise.resolve(null),
  ]);
  const targets = [
    { value: "", label: "Do not import" },
    ...(job.kind === "contacts" ? CONTACT_TARGETS : COMPANY_TARGETS).map((t) => ({
      value: t,
      label: TARGET_LABELS[t] ?? t,
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
    },
    problems,
    headers: JSON.parse(job.headers ?? "[]") as string[],
    mapping: JSON.parse(job.mapping ?? "[]") as string[],
    samples,
    review,
    targets,
    ...extra,
  };
  // While the job works, the status part polls itself; htmx asks for just that part.
  if (wantsFragment(c) && c.req.query("part") === "status") return c.html(<ImportJobStatus {...props} />, status);
  return render(c, `Import: ${job.fileName}`, <ImportJobPage {...props} />, status);
}

async function loadJob(c: Context<AppEnv>): Promise<ImportJob | null> {
  return getImport(c.get("db"), c.get("auth")!.tenant.id, c.req.param("id") ?? "");
}

importRoutes.get("/:id", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  return job ? jobPage(c, job) : errorResponse(c, 404);
});

importRoutes.post("/:id/mapping", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const body = await c.req.parseBody({ all: true });
  const headers = JSON.parse(job.headers ?? "[]") as string[];
  const mapping = headers.map((_, i) => {
    const v = body[`col_${i}`];
    return typeof v === "string" ? v : "";
  });
  const encoding =
    typeof body.encoding === "string" && (ENCODING_CHOICES as readonly string[]).includes(body.encoding)
      ? (body.encoding as EncodingChoice)
      : null;
  if (!encoding) return jobPage(c, job, { mappingError: "Choose the file's encoding, or leave it on “Detect”." }, 400);
  const result = await changeMapping(services(c), c.get("auth")!.tenant.id, job.id, mapping, encoding, Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok && result.reason === "invalid")
    return jobPage(c, job, { mappingError: "Choose a field from the list for each column." }, 400);
  if (!result.ok)
    return jobPage(c, job, { alert: "The columns can only be changed before the import is committed." }, 409);
  return c.redirect(`/app/import/${job.id}`, 303);
});

importRoutes.post("/:id/commit", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const meta = requestMeta(c);
  const result = await requestCommit(services(c), auth.tenant.id, job.id, meta.now);
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok) {
    const alert =
      result.reason === "busy"
        ? "Another import is running in this workspace. Commit this one when it has finished."
        : "This import cannot be committed now.";
    return jobPage(c, (await loadJob(c)) ?? job, { alert }, 409);
  }
  if (job.status === "ready") {
    await recordAudit(c.get("db"), {
      tenantId: auth.tenant.id,
      actorUserId: auth.user.id,
      action: "data.imported",
      targetType: "import",
      targetId: job.id,
      targetLabel: job.fileName,
      detail: { kind: job.kind, new: job.newCount, updates: job.updateCount },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    });
  }
  return c.redirect(`/app/import/${job.id}`, 303);
});

importRoutes.post("/:id/undo", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const meta = requestMeta(c);
  const result = await requestUndo(services(c), auth.tenant.id, job.id, meta.now);
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok) {
    const alert =
      result.reason === "busy"
        ? "Another import is running in this workspace. Undo this one when it has finished."
        : "This import has nothing to undo.";
    return jobPage(c, (await loadJob(c)) ?? job, { alert }, 409);
  }
  if (job.status !== "undoing") {
    await recordAudit(c.get("db"), {
      tenantId: auth.tenant.id,
      actorUserId: auth.user.id,
      action: "data.import_undone",
      targetType: "import",
      targetId: job.id,
      targetLabel: job.fileName,
      detail: { kind: job.kind, created: job.createdCount, updated: job.updatedCount },
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    });
  }
  return c.redirect(`/app/import/${job.id}`, 303);
});

// Cancel a working import (see cancelImport for what stays), and retry one the watchdog gave up on.
importRoutes.post("/:id/cancel", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const meta = requestMeta(c);
  const result = await cancelImport(services(c), auth.tenant.id, job.id, meta.now);
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok)
    return jobPage(
      c,
      (await loadJob(c)) ?? job,
      { alert: "This import is not running, so there is nothing to cancel." },
      409,
    );
  await recordAudit(c.get("db"), {
    tenantId: auth.tenant.id,
    actorUserId: auth.user.id,
    action: "data.import_cancelled",
    targetType: "import",
    targetId: job.id,
    targetLabel: job.fileName,
    detail: { kind: job.kind, during: result.status },
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return c.redirect(`/app/import/${job.id}`, 303);
});

importRoutes.post("/:id/retry", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const result = await retryImport(services(c), c.get("auth")!.tenant.id, job.id, Date.now());
  if (!result.ok && result.reason === "not_found") return errorResponse(c, 404);
  if (!result.ok) {
    const alert =
      result.reason === "busy"
        ? "Another import is running in this workspace. Retry this one when it has finished."
        : "This import cannot be retried.";
    return jobPage(c, (await loadJob(c)) ?? job, { alert }, 409);
  }
  return c.redirect(`/app/import/${job.id}`, 303);
});

importRoutes.get("/:id/errors.csv", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const file = await errorFile(c.env.FILES, job);
  if (!file) return errorResponse(c, 404);
  return new Response(file.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="import-errors-${job.createdAt ? new Date(job.createdAt).toISOString().slice(0, 10) : "file"}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});

// Every update (before → after per field), possible duplicate and conflict the preview found; the
// same access as errors.csv. Streamed a chunk's list at a time.
importRoutes.get("/:id/review.csv", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job || !hasReview(job)) return errorResponse(c, 404);
  return new Response(reviewCsv(c.env.FILES, job), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="import-review-${new Date(job.createdAt).toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
