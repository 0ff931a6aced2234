/**
 * Contacts under /app/contacts. Viewers read; members write; admins and owners erase. The order
 * matters: fixed paths (/new, /bulk, /check-duplicates) come before /:id, which would match them too.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { contactBulkRoutes } from "./bulk";
import { contactCompanyRoutes } from "./company-combobox";
import { contactEditRoutes } from "./edit";
import { contactListRoutes } from "./list";
import { contactMergeRoutes } from "./merge";
import { contactRecordRoutes } from "./record";
import { contactViewRoutes } from "./views";

/** Mounted at /app/contacts. */
export const contactsRoutes = new Hono<AppEnv>()
  .route("/", contactListRoutes)
  .route("/", contactBulkRoutes)
  // Before the edit routes: their POST /:id would take /company-options.
  .route("/", contactCompanyRoutes)
  .route("/", contactViewRoutes)
  .route("/", contactEditRoutes)
  .route("/", contactMergeRoutes)
  .route("/", contactRecordRoutes);
