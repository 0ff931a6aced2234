/**
 * /app/usage: the time-spent beacon. Our own script (assets-src/app.js) sends a page's visible seconds
 * with navigator.sendBeacon when the page is hidden, with the route pattern the layout put in the page.
 * Only a known page pattern and seconds within BEACON_SECONDS are stored: 204, else 400. Signed-in only.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { isPagePattern } from "../../lib/page-patterns";
import { requireRole } from "../../middleware/session";
import { usagePoint, writeUsage } from "../../middleware/usage";
import { BEACON_SECONDS } from "../../services/usage/definitions";
import { authOf } from "../context";

/** Mounted at /app/usage. */
export const usageRoutes = new Hono<AppEnv>();

usageRoutes.post("/beacon", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const route = body.route;
  const secondsText = body.seconds;
  if (typeof route !== "string" || !isPagePattern(route)) return c.text("Unknown page.", 400);
  if (typeof secondsText !== "string" || !/^\d{1,5}$/.test(secondsText))
    return c.text("Seconds must be a number.", 400);
  const seconds = Number(secondsText);
  if (seconds < BEACON_SECONDS.min || seconds > BEACON_SECONDS.max) {
    return c.text(`Seconds must be between ${BEACON_SECONDS.min} and ${BEACON_SECONDS.max}.`, 400);
  }
  const auth = authOf(c);
  // Staff in the support view are not customers: their time is not usage (the recorder skips them too).
  if (!(auth as typeof auth & { support?: unknown }).support) {
    writeUsage(c, [usagePoint(c, auth, "time", route, seconds)]);
  }
  return c.body(null, 204);
});
