/**
 * /app/import: upload a CSV, check the preview, commit, watch the progress, download the error file,
 * undo. Admins and owners only. GETs only read the job; every change is a POST.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { downloadRoutes } from "./downloads";
import { jobRoutes } from "./job";
import { uploadRoutes } from "./upload";

/** Mounted at /app/import (src/app.ts exempts POST /app/import from the 256 KB form limit). */
export const importRoutes = new Hono<AppEnv>();
importRoutes.route("/", uploadRoutes);
importRoutes.route("/", jobRoutes);
importRoutes.route("/", downloadRoutes);
