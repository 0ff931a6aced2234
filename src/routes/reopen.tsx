/**
 * /reopen/:tenantId/:token: reopening a closed workspace from the emailed link. No session needed:
 * everyone was signed out when it closed; the link alone is the credential, so nothing here is cached.
 */
import { type Context, Hono } from "hono";
import { scoped } from "../db/scoped";
import type { AppEnv } from "../env";
import { noStore } from "../middleware/security-headers";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { closureDeadline } from "../mail/closure-messages";
import { findReopenable, reopenWorkspace } from "../services/privacy/reopen";
import { mirrorAfterChange } from "../services/shards/mirror";
import { expiredLinkPage } from "./expired-link";
import { ReopenedPage, ReopenPage } from "../../views/pages/closure/ClosurePages";

/** Mounted at /reopen. */
export const reopenRoutes = new Hono<AppEnv>();

reopenRoutes.use("*", noStore);

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN = /^[a-z2-7]{20,64}$/;

const invalidLink = (c: Context<AppEnv>) =>
  expiredLinkPage(c, "reopen", { href: "/contact", label: "Write to us if you need help" });

reopenRoutes.get("/:tenantId/:token", async (c) => {
  const { tenantId, token } = c.req.param();
  const live =
    ID.test(tenantId) && TOKEN.test(token)
      ? await findReopenable(scoped(c.get("db"), tenantId), token, Date.now())
      : null;
  if (!live) return invalidLink(c);
  // Nobody is signed in here: the cut-off in the workspace's zone and locale, the zone named.
  return render(
    c,
    "Reopen the workspace",
    <ReopenPage
      action={`/reopen/${tenantId}/${token}`}
      tenantName={live.name}
      eraseOn={closureDeadline(live.eraseAfter, live)}
    />,
  );
});

reopenRoutes.post("/:tenantId/:token", async (c) => {
  const { tenantId, token } = c.req.param();
  const result =
    ID.test(tenantId) && TOKEN.test(token)
      ? await reopenWorkspace(scoped(c.get("db"), tenantId), token, requestMeta(c))
      : { ok: false as const };
  if (!result.ok) return invalidLink(c);
  await mirrorAfterChange(c.env, [tenantId]);
  return render(c, "Workspace reopened", <ReopenedPage tenantName={result.name} />);
});
