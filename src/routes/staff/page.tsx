/** Renders a staff console page in the console's own layout. */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../env";
import { assets } from "../../generated/assets";
import { StaffLayout } from "../../../views/layouts/StaffLayout";
import { StaffRefusedPage } from "../../../views/pages/staff/SignInPages";

export function renderStaff(c: Context<AppEnv>, title: string, page: Child, status: ContentfulStatusCode = 200) {
  const who = c.get("staff");
  return c.html(
    (
      <StaffLayout
        title={title}
        assets={assets}
        nonce={c.get("secureHeadersNonce") ?? ""}
        theme={c.get("theme") ?? "system"}
        staff={who ? { name: who.name, role: who.role } : null}
      >
        {page}
      </StaffLayout>
    ).toString(),
    status,
  );
}

/** A refusal page (401, 403 or 404) in the console. */
export function refuseStaff(c: Context<AppEnv>, status: 401 | 403 | 404, message: string) {
  return renderStaff(
    c,
    status === 404 ? "Not found" : "Not allowed",
    <StaffRefusedPage status={status} message={message} />,
    status,
  );
}
