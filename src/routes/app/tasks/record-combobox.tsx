/**
 * The task form's record picker (assets-src/combobox.js): `GET /app/tasks/record-options?q=` answers the
 * workspace's matching contacts, companies and deals as listbox options, so a task written on the tasks page is
 * linked to whom it is about. Members only, as the form is; the form's answer is checked again when it is saved.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { requireRole } from "../../../middleware/session";
import { recordOptions } from "../../../services/tasks/records";
import { tenantOf } from "../../context";
import { RecordOptions } from "../../../../views/partials/tasks/RecordOptions";

/** Mounted at /app/tasks, before the task's `/:id`. */
export const taskRecordRoutes = new Hono<AppEnv>();

taskRecordRoutes.get("/record-options", requireRole("member"), async (c) => {
  const found = await recordOptions(tenantOf(c), c.req.query("q") ?? "");
  c.header("Cache-Control", "private, no-store");
  return c.html(<RecordOptions {...found} />);
});
