/**
 * Settings → API at /app/settings/api, for admins and owners: the workspace's API keys, making one (the
 * secret is on the answer to the create and nowhere else) and revoking one. Another workspace's key is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { formValues } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import { createApiKey, listApiKeys, parseApiKeyForm, revokeApiKey } from "../../../services/api/keys";
import { actorOf, controlOf } from "../../context";
import { noticeOf } from "../../record-helpers";
import { API_KEY_NOTICES, ApiKeysPage, type ApiKeysPageProps } from "../../../../views/pages/settings/ApiKeysPage";
import { unconfirmedRefusal } from "./confirmed-address";
import { settingsMenuOf } from "./settings-context";

/** Mounted at /app/settings/api. */
export const apiKeysRoutes = new Hono<AppEnv>();

async function keysPage(c: Context<AppEnv>, extra: Partial<ApiKeysPageProps> = {}, status: ContentfulStatusCode = 200) {
  const keys = await listApiKeys(controlOf(c));
  return render(
    c,
    "API keys",
    <ApiKeysPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      keys={keys}
      now={Date.now()}
      notice={noticeOf(c, API_KEY_NOTICES)}
      {...extra}
    />,
    status,
  );
}

apiKeysRoutes.get("/", requireRole("admin"), (c) => keysPage(c));

// The answer shows the secret, so it is a page (201), not a redirect: it is never in a URL or a later
// page. /app answers are no-store, so no cache keeps it either.
apiKeysRoutes.post("/", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseApiKeyForm(body);
  if (!parsed.ok)
    return keysPage(
      c,
      { create: { values: formValues(body, ["name", "scope", "expires"]), errors: parsed.errors } },
      422,
    );
  // 422 rather than 403, as for invitations: the role allows it; the account is missing a step it can take.
  const refused = unconfirmedRefusal(c, "making an API key");
  if (refused)
    return keysPage(
      c,
      { create: { values: formValues(body, ["name", "scope", "expires"]), errors: { name: refused } } },
      422,
    );
  const { key, secret } = await createApiKey(controlOf(c), actorOf(c), parsed.data);
  return keysPage(c, { created: { name: key.name, secret } }, 201);
});

apiKeysRoutes.post("/:id/revoke", requireRole("admin"), async (c) => {
  const revoked = await revokeApiKey(controlOf(c), actorOf(c), c.req.param("id"));
  if (!revoked) return errorResponse(c, 404);
  return c.redirect("/app/settings/api?notice=revoked", 303);
});
