/**
 * An import's files: errors.csv (the rows it skipped, as they were, with the reason) and review.csv
 * (every update, possible duplicate and conflict the preview found). Attachments, never cached.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { requireRole } from "../../../middleware/session";
import { errorFile } from "../../../services/import/files";
import { hasReview } from "../../../services/import/jobs";
import { reviewCsv } from "../../../services/import/review";
import { loadJob } from "./job-page";

export const downloadRoutes = new Hono<AppEnv>();

/** The headers of a CSV download named `name`. */
const csvDownload = (name: string) => ({
  "Content-Type": "text/csv; charset=utf-8",
  "Content-Disposition": `attachment; filename="${name}"`,
  "Cache-Control": "no-store",
});

downloadRoutes.get("/:id/errors.csv", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job) return errorResponse(c, 404);
  const file = await errorFile(c.env.FILES, job);
  if (!file) return errorResponse(c, 404);
  const day = job.createdAt ? new Date(job.createdAt).toISOString().slice(0, 10) : "file";
  return new Response(file.body, { headers: csvDownload(`import-errors-${day}.csv`) });
});

// Streamed a chunk's list at a time; the same access as errors.csv.
downloadRoutes.get("/:id/review.csv", requireRole("admin"), async (c) => {
  const job = await loadJob(c);
  if (!job || !hasReview(job)) return errorResponse(c, 404);
  const day = new Date(job.createdAt).toISOString().slice(0, 10);
  return new Response(reviewCsv(c.env.FILES, job), { headers: csvDownload(`import-review-${day}.csv`) });
});
