/** /app/privacy-notice: dismissing the notice that the privacy policy changed, for the version it showed. */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { PRIVACY_VERSION } from "../../lib/legal";
import { wantsFragment } from "../../lib/render";
import { safeNextPath } from "../../lib/validation";
import { requireRole } from "../../middleware/session";
import { markPrivacyNoticeSeen } from "../../services/privacy/consent-records";
import { PrivacyNotice } from "../../../views/components/PrivacyNotice";
import { authOf } from "../context";

/** Mounted at /app/privacy-notice. */
export const privacyNoticeRoutes = new Hono<AppEnv>();

// A notice rendered before the policy changed again dismisses nothing: the newer notice comes back in its place.
privacyNoticeRoutes.post("/", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const current = body.version === PRIVACY_VERSION;
  if (current) await markPrivacyNoticeSeen(c.get("db"), authOf(c).user.id, PRIVACY_VERSION, Date.now());
  const back = safeNextPath(body.back, "/app");
  if (wantsFragment(c)) return current ? c.html("") : c.html(<PrivacyNotice version={PRIVACY_VERSION} back={back} />);
  return c.redirect(back, 303);
});
