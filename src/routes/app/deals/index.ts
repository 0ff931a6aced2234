/**
 * Deals under /app/deals. Viewers read the board and deals; members create, edit, move, close and
 * delete them. Fixed paths (/list, /new, /column, /contact-options) come before /:id, which would match them too.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { boardRoutes } from "./board";
import { dealBulkRoutes } from "./bulk";
import { dealContactRoutes } from "./contact-combobox";
import { dealEditRoutes } from "./edit";
import { dealListRoutes } from "./list";
import { dealViewRoutes } from "./saved-views";
import { dealRecordRoutes } from "./record";

/** Mounted at /app/deals. */
export const dealsRoutes = new Hono<AppEnv>()
  .route("/list", dealListRoutes)
  .route("/list", dealBulkRoutes)
  .route("/list", dealViewRoutes)
  .route("/", boardRoutes)
  .route("/", dealContactRoutes)
  .route("/", dealEditRoutes)
  .route("/", dealRecordRoutes);
