/**
 * /app/settings/workspace, for admins and owners: the default phone region, the deals' default currency
 * and number format, and (owners) the name.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { mirrorsPeople } from "../../../middleware/mirror-people";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { amountForInput, isCurrency } from "../../../lib/money";
import { isRegion, regions } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { stripeFromEnv } from "../../../lib/stripe";
import { formValues, parseForm, text } from "../../../lib/validation";
import { knownTimeZone, timeZones } from "../../../lib/time-zone";
import { requireRole } from "../../../middleware/session";
import { syncStripeCustomers } from "../../../services/billing/customers";
import {
  COMMON_CURRENCIES,
  getWorkspaceSettings,
  isNumberLocale,
  NUMBER_LOCALES,
  moveZonelessDayReminders,
  updateWorkspaceSettings,
} from "../../../services/team/workspace-settings";
import { actorOf, authOf, controlOf, tenantOf } from "../../context";
import { WorkspacePage, type WorkspacePageProps } from "../../../../views/pages/settings/WorkspacePage";
import { settingsMenuOf } from "./settings-context";

/** Mounted at /app/settings/workspace. */
export const workspaceRoutes = new Hono<AppEnv>();
// The workspace's settings are copied to its shard after a change (its tenants row).
workspaceRoutes.use("*", mirrorsPeople("workspace"));

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

/** Each number format with how it writes 12,500.50, so the admin picks by sight. */
const localeOptions = () =>
  NUMBER_LOCALES.map((l) => ({ value: l, label: `${l}: ${amountForInput(1250050, "USD", l)}` }));

/** The currency a form chose: a code typed in "another currency" wins over the select. */
export function chosenCurrency(body: Record<string, unknown>): string | undefined {
  const typed = typeof body.currency_other === "string" ? body.currency_other.trim().toUpperCase() : "";
  if (typed !== "") return typed;
  return typeof body.currency === "string" && body.currency !== "" ? body.currency : undefined;
}

async function workspacePage(
  c: Context<AppEnv>,
  extra: Partial<WorkspacePageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const settings = await getWorkspaceSettings(controlOf(c));
  if (!settings) return errorResponse(c, 404);
  return render(
    c,
    "Workspace",
    <WorkspacePage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      name={settings.name}
      defaultRegion={settings.defaultRegion}
      regions={regionOptions()}
      currency={settings.currency}
      currencies={[...COMMON_CURRENCIES]}
      locale={settings.locale}
      locales={localeOptions()}
      timeZone={settings.timeZone}
      timeZones={timeZones()}
      reportScope={settings.reportScope}
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
  const values = formValues(body, [
    "default_region",
    "company_name",
    "currency",
    "currency_other",
    "locale",
    "time_zone",
    "report_scope",
  ]);
  const currency = chosenCurrency(body);
  const currencyField = values.currency_other.trim() !== "" ? "currency_other" : "currency";
  const parsed = parseForm(
    z.object({
      default_region: z
        .string({ error: "Choose a region." })
        .refine(isRegion, { error: "Choose a region from the list." }),
      // Only the owner names the workspace; an admin's form has no such field, and one sent anyway is ignored.
      company_name: isOwner
        ? z.preprocess((v) => v ?? "", text("Company name", { min: 1, max: 100 }))
        : z.unknown().optional(),
      // Left out, the currency and number format stay as they are.
      locale: z.optional(z.string().refine(isNumberLocale, { error: "Choose a number format from the list." })),
      // Stored as the list names it (europe/berlin is Europe/Berlin), so the select shows it chosen and every
      // comparison with a member's zone holds.
      time_zone: z.optional(
        z
          .string()
          .refine((v) => knownTimeZone(v) !== null, { error: "Choose a time zone from the list." })
          .transform((v) => knownTimeZone(v)!),
      ),
      report_scope: z.optional(z.enum(["team", "own"], { error: "Choose what members see in reports." })),
    }),
    body,
  );
  const errors = parsed.ok ? {} : { ...parsed.errors };
  if (currency !== undefined && !isCurrency(currency))
    errors[currencyField] = "Enter a three-letter ISO 4217 currency code, such as USD or EUR.";
  if (!parsed.ok || Object.keys(errors).length > 0) return workspacePage(c, { values, errors }, 422);
  const t = controlOf(c);
  const changed = await updateWorkspaceSettings(t, actorOf(c), {
    defaultRegion: parsed.data.default_region,
    name: isOwner ? (parsed.data.company_name as string) : undefined,
    currency,
    locale: parsed.data.locale,
    timeZone: parsed.data.time_zone,
    reportScope: parsed.data.report_scope,
  });
  if (changed.includes("timeZone")) await moveZonelessDayReminders(tenantOf(c), parsed.data.time_zone as string);
  // The new name reaches the Stripe customer (best effort, after the change).
  if (changed.includes("name")) await syncStripeCustomers(t.db, stripeFromEnv(c.env), { tenantId: t.tenantId });
  return c.redirect("/app/settings/workspace?notice=saved", 303);
});
