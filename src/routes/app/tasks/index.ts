/**
 * Tasks under /app/tasks. Viewers read; members create and act on their own tasks; admins and owners
 * on everyone's. Fixed paths (/new, /badge, /panel, /bulk, /record-options) come before /:id.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { taskListRoutes } from "./list";
import { taskRecordRoutes } from "./record-combobox";
import { taskRoutes } from "./task";

/** Mounted at /app/tasks. */
export const tasksRoutes = new Hono<AppEnv>()
  .route("/", taskListRoutes)
  .route("/", taskRecordRoutes)
  .route("/", taskRoutes);
