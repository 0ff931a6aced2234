/**
 * Deals under /app/deals. Viewers read the board and deals; members create, edit, move, close and
 * delete them. Fixed paths (/new, /column) come before /:id, which would match them too.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { boardRoutes } from "./board";
import { dealEditRoutes } from "./edit";
import { dealRecordRoutes } from "./record";

/** Mounted at /app/deals. */
export const dealsRoutes = new Hono<AppEnv>()
  .route("/", boardRoutes)
  .route("/", dealEditRoutes)
  .route("/", dealRecordRoutes);
