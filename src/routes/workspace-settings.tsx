/**
 * Workspace settings under /app/settings, for admins and owners: tags, custom fields, and the
 * workspace page (default phone region; the name for owners). Another tenant's tag or field is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { CUSTOM_FIELD_KINDS, SUBJECT_TYPES } from "../db/schema";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { isRegion, regions } from "../lib/phone";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { stripeFromEnv } from "../lib/stripe";
import { syncStripeCustomers } from "../services/billing/customers";
import { formValue, parseForm, tagName, text } from "../lib/validation";
import { requireRole } from "../middleware/session";
import { getCustomField, listCustomFields } from "../services/records/custom-fields";
import { listTags, TAG_COLORS } from "../services/records/tags";
import {
  createCustomFieldAudited,
  createTagAudited,
  deleteCustomFieldAudited,
  deleteTagAudited,
  getTag,
  getWorkspaceSettings,
  updateTagAudited,
  updateWorkspaceSettings,
  type SettingsActor,
} from "../services/team/workspace-settings";
import { parseRecordId } from "./record-helpers";
import {
  CustomFieldDeletePage,
  CustomFieldsPage,
  FIELD_NOTICES,
  type CustomFieldsPageProps,
  type FieldNotice,
} from "../../views/pages/settings/CustomFieldsPage";
import { TAG_NOTICES, TagDeletePage, TagsPage, type TagsPageProps } from "../../views/pages/settings/TagsPage";
import { WorkspacePage, type WorkspacePageProps } from "../../views/pages/settings/WorkspacePage";

/** Mounted at /app/settings. */
export const workspaceSettingsRoutes = new Hono<AppEnv>();

function actorOf(c: Context<AppEnv>): SettingsActor {
  const meta = requestMeta(c);
  return { userId: c.get("auth")!.user.id, ip: meta.ip, userAgent: meta.userAgent, now: meta.now };
}

function noticeOf<T extends string>(c: Context<AppEnv>, notices: Record<T, string>): T | null {
  const n = c.req.query("notice");
  return n && n in notices ? (n as T) : null;
}

// ---- Tags -------------------------------------------------------------------------------------------

const tagSchema = z.object({
  name: z.preprocess((v) => v ?? "", tagName("Name", { min: 1, max: 50 })),
  color: z.enum(TAG_COLORS, { error: "Choose one of the colours." }),
});

async function tagsPage(c: Context<AppEnv>, extra: Partial<TagsPageProps> = {}, status: ContentfulStatusCode = 200) {
  const tags = await listTags(c.get("db"), c.get("auth")!.tenant.id);
  return render(
    c,
    "Tags",
    <TagsPage tags={tags} colors={TAG_COLORS} notice={noticeOf(c, TAG_NOTICES)} {...extra} />,
    status,
  );
}

workspaceSettingsRoutes.get("/tags", requireRole("admin"), (c) => tagsPage(c));

workspaceSettingsRoutes.post("/tags", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = { name: formValue(body, "name"), color: formValue(body, "color") };
  const parsed = parseForm(tagSchema, body);
  if (!parsed.ok) return tagsPage(c, { create: { values, errors: parsed.errors } }, 422);
  const result = await createTagAudited(c.get("db"), c.get("auth")!.tenant.id, actorOf(c), parsed.data);
  if (!result.ok) return tagsPage(c, { create: { values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/tags?notice=created", 303);
});

workspaceSettingsRoutes.post("/tags/:id", requireRole("admin"), async (c) => {
  const tenantId = c.get("auth")!.tenant.id;
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getTag(c.get("db"), tenantId, id))) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const values = { name: formValue(body, "name"), color: formValue(body, "color") };
  const parsed = parseForm(tagSchema, body);
  if (!parsed.ok) return tagsPage(c, { edit: { id, values, errors: parsed.errors } }, 422);
  const result = await updateTagAudited(c.get("db"), tenantId, actorOf(c), id, parsed.data);
  if (!result) return errorResponse(c, 404);
  if (!result.ok) return tagsPage(c, { edit: { id, values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/tags?notice=updated", 303);
});

workspaceSettingsRoutes.get("/tags/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const tag = id === null ? null : await getTag(c.get("db"), c.get("auth")!.tenant.id, id);
  if (!tag) return errorResponse(c, 404);
  return render(c, `Delete ${tag.name}`, <TagDeletePage tag={tag} />);
});

workspaceSettingsRoutes.post("/tags/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await deleteTagAudited(c.get("db"), c.get("auth")!.tenant.id, actorOf(c), id)))
    return errorResponse(c, 404);
  return c.redirect("/app/settings/tags?notice=deleted", 303);
});

// ---- Custom fields ------------------------------------------------------------------------------------

const MAX_OPTIONS = 50;
const OPTION_MAX = 100;

const fieldSchema = z
  .object({
    entity: z.enum(SUBJECT_TYPES, { error: "Choose contacts or companies." }),
    name: z.preprocess((v) => v ?? "", text("Name", { min: 1, max: 60 })),
    kind: z.enum(CUSTOM_FIELD_KINDS, { error: "Choose one of the kinds." }),
    options: z.preprocess((v) => v ?? "", text("Options", { max: MAX_OPTIONS * (OPTION_MAX + 2) })),
  })
  .transform((v) => ({
    ...v,
    // One option per line; blank lines and repeats are dropped, so what is stored is a clean list.
    options:
      v.kind === "select"
        ? [
            ...new Set(
              v.options
                .split(/\r\n|\r|\n/)
                .map((o) => o.trim())
                .filter(Boolean),
            ),
          ]
        : [],
  }))
  .superRefine((v, ctx) => {
    if (v.kind !== "select") return;
    if (v.options.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "A choice field needs at least one option, one per line.",
      });
    else if (v.options.length > MAX_OPTIONS)
      ctx.addIssue({ code: "custom", path: ["options"], message: `At most ${MAX_OPTIONS} options.` });
    else if (v.options.some((o) => o.length > OPTION_MAX))
      ctx.addIssue({ code: "custom", path: ["options"], message: `Each option has at most ${OPTION_MAX} characters.` });
  });

async function fieldsPage(
  c: Context<AppEnv>,
  extra: Partial<CustomFieldsPageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const db = c.get("db");
  const tenantId = c.get("auth")!.tenant.id;
  const [contactFields, companyFields] = await Promise.all([
    listCustomFields(db, tenantId, "contact"),
    listCustomFields(db, tenantId, "company"),
  ]);
  return render(
    c,
    "Custom fields",
    <CustomFieldsPage
      contactFields={contactFields}
      companyFields={companyFields}
      kinds={CUSTOM_FIELD_KINDS}
      notice={noticeOf<FieldNotice>(c, FIELD_NOTICES)}
      {...extra}
    />,
    status,
  );
}

workspaceSettingsRoutes.get("/fields", requireRole("admin"), (c) => fieldsPage(c));

workspaceSettingsRoutes.post("/fields", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = {
    entity: formValue(body, "entity"),
    name: formValue(body, "name"),
    kind: formValue(body, "kind"),
    options: formValue(body, "options"),
  };
  const parsed = parseForm(fieldSchema, body);
  if (!parsed.ok) return fieldsPage(c, { create: { values, errors: parsed.errors } }, 422);
  const result = await createCustomFieldAudited(c.get("db"), c.get("auth")!.tenant.id, actorOf(c), parsed.data);
  if (!result.ok) return fieldsPage(c, { create: { values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/fields?notice=created", 303);
});

workspaceSettingsRoutes.get("/fields/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const field = id === null ? null : await getCustomField(c.get("db"), c.get("auth")!.tenant.id, id);
  if (!field) return errorResponse(c, 404);
  return render(c, `Delete ${field.name}`, <CustomFieldDeletePage field={field} />);
});

workspaceSettingsRoutes.post("/fields/:id/delete", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await deleteCustomFieldAudited(c.get("db"), c.get("auth")!.tenant.id, actorOf(c), id)))
    return errorResponse(c, 404);
  return c.redirect("/app/settings/fields?notice=deleted", 303);
});

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
