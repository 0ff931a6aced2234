/**
 * The deal form's contact combobox (assets-src/combobox.js): `GET /app/deals/contact-options?q=` answers the
 * workspace's matching contacts as listbox options, so a deal can name any of them, not only the first ones by
 * name its plain select holds without JavaScript. Members only, as the form is.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { requireRole } from "../../../middleware/session";
import { contactOptions } from "../../../services/deals/contact-choices";
import { tenantOf } from "../../context";
import { ContactOptions } from "../../../../views/partials/deals/ContactOptions";

/** Mounted at /app/deals, before the record's `/:id`. */
export const dealContactRoutes = new Hono<AppEnv>();

dealContactRoutes.get("/contact-options", requireRole("member"), async (c) => {
  const found = await contactOptions(tenantOf(c), c.req.query("q") ?? "");
  c.header("Cache-Control", "private, no-store");
  return c.html(<ContactOptions {...found} />);
});
