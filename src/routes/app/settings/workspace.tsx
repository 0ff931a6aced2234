/** /app/settings/workspace, for admins and owners: the default phone region, and (owners) the name. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { isRegion, regions } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { stripeFromEnv } from "../../../lib/stripe";
import { formValue, parseForm, text } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import { syncStripeCustomers } from "../../../services/billing/customers";
import { getWorkspaceSettings, updateWorkspaceSettings } from "../../../services/team/workspace-settings";
import { actorOf, authOf, tenantOf } from "../../context";
import { WorkspacePage, type WorkspacePageProps } from "../../../../views/pages/settings/WorkspacePage";

/** Mounted at /app/settings/workspace. */
export const workspaceRoutes = new Hono<AppEnv>();

/** Region codes with their English names, sorted by name, for the select. */
function regionOptions(): { code: string; label: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    // Without ICU region names the codes alone still work.
  }
  return regions()
    .map((code) => ({ code, label: names ? `${names.of(code) ?? code} (${code})` : code }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

const WORKSPACE_NOTICE = "Workspace settings saved.";

async function workspacePage(
  c: Context<AppEnv>,
  extra: Partial<WorkspacePageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const settings = await getWorkspaceSettings(tenantOf(c));
  if (!settings) return errorResponse(c, 404);
  return render(
    c,
    "Workspace",
    <WorkspacePage
      name={settings.name}
      defaultRegion={settings.defaultRegion}
      regions={regionOptions()}
      isOwner={authOf(c).role === "owner"}
      notice={c.req.query("notice") === "saved" ? WORKSPACE_NOTICE : null}
      {...extra}
    />,
    status,
  );
}

workspaceRoutes.get("/", requireRole("admin"), (c) => workspacePage(c));

workspaceRoutes.post("/", requireRole("admin"), async (c) => {
  const isOwner = authOf(c).role === "owner";
  const body = await c.req.parseBody();
  const values = { default_region: formValue(body, "default_region"), company_name: formValue(body, "company_name") };
  const parsed = parseForm(
    z.object({
      default_region: z
        .string({ error: "Choose a region." })
        .refine(isRegion, { error: "Choose a region from the list." }),
      // Only the owner names the workspace; an admin's form has no such field, and one sent anyway is ignored.
      company_name: isOwner ? z.preprocess((v) => v ?? "", text("Company name", { min: 1, max: 100 })) : z.unknown(),
    }),
    body,
  );
  if (!parsed.ok) return workspacePage(c, { values, errors: parsed.errors }, 422);
  const t = tenantOf(c);
  const changed = await updateWorkspaceSettings(t, actorOf(c), {
    defaultRegion: parsed.data.default_region,
    name: isOwner ? (parsed.data.company_name as string) : undefined,
  });
  // The new name reaches the Stripe customer (best effort, after the change).
  if (changed.includes("name")) await syncStripeCustomers(t.db, stripeFromEnv(c.env), { tenantId: t.tenantId });
  return c.redirect("/app/settings/workspace?notice=saved", 303);
});
