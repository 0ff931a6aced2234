/** The answer to an emailed link that no longer works, shared by the routes behind such links. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { render } from "../lib/render";
import { InvalidLinkPage } from "../../views/pages/account/AccountPages";

/** A used, expired or unknown link: 404, saying which link it was and where to get a new one. */
export function expiredLinkPage(c: Context<AppEnv>, what: string, retry: { href: string; label: string }) {
  return render(
    c,
    "Link expired",
    <InvalidLinkPage what={what} retryHref={retry.href} retryLabel={retry.label} />,
    404,
  );
}
