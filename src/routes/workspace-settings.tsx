/**
 * Workspace settings under /app/settings, for admins and owners: tags and custom fields. Another
 * tenant's tag or field is a 404. (The workspace page is src/routes/app/settings/workspace.tsx.)
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { CUSTOM_FIELD_KINDS, SUBJECT_TYPES } from "../db/schema";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
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
  updateTagAudited,
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
