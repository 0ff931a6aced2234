/**
 * Workspace settings under /app/settings, for admins and owners: the workspace page (default phone
 * region; the name for owners). Tags and custom fields: routes/app/settings/tags.tsx and fields.tsx.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { isRegion, regions } from "../lib/phone";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { stripeFromEnv } from "../lib/stripe";
import { syncStripeCustomers } from "../services/billing/billing";
import { formValue, parseForm, text } from "../lib/validation";
import { requireRole } from "../middleware/session";
import { getWorkspaceSettings, updateWorkspaceSettings, type SettingsActor } from "../services/team/workspace-settings";
import { WorkspacePage, type WorkspacePageProps } from "../../views/pages/settings/WorkspacePage";

/** Mounted at /app/settings. */
export const workspaceSettingsRoutes = new Hono<AppEnv>();

function actorOf(c: Context<AppEnv>): SettingsActor {
  const meta = requestMeta(c);
  return { userId: c.get("auth")!.user.id, ip: meta.ip, userAgent: meta.userAgent, now: meta.now };
}

// ---- The workspace --------------------------------------------------------------------------------------

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
  const auth = c.get("auth")!;
  const settings = await getWorkspaceSettings(c.get("db"), auth.tenant.id);
  if (!settings) return errorResponse(c, 404);
  return render(
    c,
    "Workspace",
    <WorkspacePage
      name={settings.name}
      defaultRegion={settings.defaultRegion}
      regions={regionOptions()}
      isOwner={auth.role === "owner"}
      notice={c.req.query("notice") === "saved" ? WORKSPACE_NOTICE : null}
      {...extra}
    />,
    status,
  );
}

workspaceSettingsRoutes.get("/workspace", requireRole("admin"), (c) => workspacePage(c));

workspaceSettingsRoutes.post("/workspace", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const isOwner = auth.role === "owner";
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
  const changed = await updateWorkspaceSettings(c.get("db"), auth.tenant.id, actorOf(c), {
    defaultRegion: parsed.data.default_region,
    name: isOwner ? (parsed.data.company_name as string) : undefined,
  });
  // The new name reaches the Stripe customer (best effort, after the change).
  if (changed.includes("name"))
    await syncStripeCustomers(c.get("db"), stripeFromEnv(c.env), { tenantId: auth.tenant.id });
  return c.redirect("/app/settings/workspace?notice=saved", 303);
});
