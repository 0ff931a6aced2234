/**
 * The workspace's custom fields at /app/settings/fields, for admins and owners: create, edit (rename, a select's
 * options: the API's rules, through its service), move up or down, delete. Another tenant's field is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CUSTOM_FIELD_KINDS } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { formValues, parseForm } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import { getCustomField, listCustomFields, type CustomField } from "../../../services/records/custom-fields";
import { moveCustomFieldAudited } from "../../../services/records/field-order";
import {
  createCustomFieldAudited,
  customFieldInputSchema,
  deleteCustomFieldAudited,
  updateCustomFieldAudited,
} from "../../../services/records/field-settings";
import { actorOf, tenantOf } from "../../context";
import { noticeOf, parseRecordId } from "../../record-helpers";
import { adminDeleteRoutes } from "../shared/delete-routes";
import {
  CustomFieldDeletePage,
  CustomFieldEditPage,
  CustomFieldsPage,
  FIELD_NOTICES,
  type CustomFieldsPageProps,
  type FieldNotice,
} from "../../../../views/pages/settings/CustomFieldsPage";
import { moveRoute } from "./pipelines-page";
import { settingsMenuOf } from "./settings-context";

/** Mounted at /app/settings/fields. */
export const fieldsRoutes = new Hono<AppEnv>();

async function fieldsPage(
  c: Context<AppEnv>,
  extra: Partial<CustomFieldsPageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const t = tenantOf(c);
  const [contactFields, companyFields, dealFields] = await Promise.all([
    listCustomFields(t, "contact"),
    listCustomFields(t, "company"),
    listCustomFields(t, "deal"),
  ]);
  return render(
    c,
    "Custom fields",
    <CustomFieldsPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      contactFields={contactFields}
      companyFields={companyFields}
      dealFields={dealFields}
      kinds={CUSTOM_FIELD_KINDS}
      notice={noticeOf<FieldNotice>(c, FIELD_NOTICES)}
      {...extra}
    />,
    status,
  );
}

fieldsRoutes.get("/", requireRole("admin"), (c) => fieldsPage(c));

fieldsRoutes.post("/", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = formValues(body, ["entity", "name", "kind", "options"]);
  const parsed = parseForm(customFieldInputSchema, body);
  if (!parsed.ok) return fieldsPage(c, { create: { values, errors: parsed.errors } }, 422);
  const result = await createCustomFieldAudited(tenantOf(c), actorOf(c), parsed.data);
  if (!result.ok) return fieldsPage(c, { create: { values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/fields?notice=created", 303);
});

/** The edit form of `field`, filled from it or with what was sent back and why it was refused. */
function editPage(
  c: Context<AppEnv>,
  field: CustomField,
  values: { name: string; options: string },
  errors: Record<string, string> = {},
  status: ContentfulStatusCode = 200,
) {
  return render(
    c,
    `Edit ${field.name}`,
    <CustomFieldEditPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      field={field}
      values={values}
      errors={errors}
    />,
    status,
  );
}

/** The workspace's field of the path, or null (not a number, another workspace's, deleted). */
async function fieldOf(c: Context<AppEnv>): Promise<CustomField | null> {
  const id = parseRecordId(c.req.param("id"));
  return id === null ? null : getCustomField(tenantOf(c), id);
}

fieldsRoutes.get("/:id/edit", requireRole("admin"), async (c) => {
  const field = await fieldOf(c);
  if (!field) return errorResponse(c, 404);
  return editPage(c, field, { name: field.name, options: field.options.join("\n") });
});

fieldsRoutes.post("/:id", requireRole("admin"), async (c) => {
  const field = await fieldOf(c);
  if (!field) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const values = formValues(body, ["name", "options"]);
  // The record type and kind stay; only a select has options. Checked as the API checks a PATCH.
  const parsed = parseForm(customFieldInputSchema, {
    name: body.name,
    options: field.kind === "select" ? body.options : "",
    entity: field.entity,
    kind: field.kind,
  });
  if (!parsed.ok) return editPage(c, field, values, parsed.errors, 422);
  const result = await updateCustomFieldAudited(tenantOf(c), actorOf(c), field.id, parsed.data);
  if (!result) return errorResponse(c, 404);
  if (!result.ok) return editPage(c, field, values, { [result.field]: result.message }, 422);
  return c.redirect(`/app/settings/fields?notice=updated#field-${field.id}`, 303);
});

fieldsRoutes.post(
  "/:id/move",
  requireRole("admin"),
  moveRoute(getCustomField, moveCustomFieldAudited, (c, id) =>
    c.redirect(`/app/settings/fields?notice=moved#field-${id}`, 303),
  ),
);

adminDeleteRoutes(fieldsRoutes, {
  find: getCustomField,
  page: (field) => <CustomFieldDeletePage field={field} />,
  remove: deleteCustomFieldAudited,
  after: "/app/settings/fields?notice=deleted",
});
