/**
 * GET|POST /unsubscribe/:token, the link in every non-essential mail. The token is signed
 * (src/services/account/email-preferences.ts): it alone authenticates, so no session is needed, and the POST
 * is exempt from the Origin check (src/middleware/csrf.ts) because mail providers send RFC 8058
 * one-click requests ("List-Unsubscribe=One-Click") without one. GET only shows what the POST would do.
 */
import { Hono, type Context } from "hono";
import { mirrorAfterChange, workspacesOfUser } from "../services/shards/mirror";
import type { AppEnv } from "../env";
import { render } from "../lib/render";
import { MAIL_LIST_LABELS, readUnsubscribeToken, unsubscribeFromList } from "../services/account/email-preferences";
import {
  UnsubscribeConfirmPage,
  UnsubscribedPage,
  UnsubscribeInvalidPage,
} from "../../views/pages/privacy/UnsubscribePage";

/** Mounted at /unsubscribe. */
export const unsubscribeRoutes = new Hono<AppEnv>();

/** The token is a credential for one action: no page with it is cached, indexed or leaks it as a referrer. */
function private_(c: Context<AppEnv>) {
  c.header("Cache-Control", "no-store");
  c.header("X-Robots-Tag", "noindex");
}

unsubscribeRoutes.get("/:token", async (c) => {
  private_(c);
  const token = c.req.param("token");
  const target = await readUnsubscribeToken(c.env.UNSUBSCRIBE_KEY, token);
  if (!target) return render(c, "Unsubscribe", <UnsubscribeInvalidPage />, 404);
  return render(
    c,
    "Unsubscribe",
    <UnsubscribeConfirmPage action={`/unsubscribe/${token}`} listLabel={MAIL_LIST_LABELS[target.list]} />,
  );
});

unsubscribeRoutes.post("/:token", async (c) => {
  private_(c);
  const target = await readUnsubscribeToken(c.env.UNSUBSCRIBE_KEY, c.req.param("token"));
  if (!target) return render(c, "Unsubscribe", <UnsubscribeInvalidPage />, 404);
  // A user who has since deleted their account has nothing left to unsubscribe: the answer is the same.
  await unsubscribeFromList(c.get("db"), target.userId, target.list, Date.now());
  // The copies on the shards of the user's workspaces stop their mail of that list too.
  await mirrorAfterChange(c.env, await workspacesOfUser(c.get("db").$client, target.userId));
  return render(c, "Unsubscribed", <UnsubscribedPage listLabel={MAIL_LIST_LABELS[target.list]} />);
});
