/**
 * The workspace's custom fields at /app/settings/fields, for admins and owners. Another tenant's
 * field is a 404.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CUSTOM_FIELD_KINDS } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import { formValues, parseForm } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import { getCustomField, listCustomFields } from "../../../services/records/custom-fields";
import {
  createCustomFieldAudited,
  customFieldInputSchema,
  deleteCustomFieldAudited,
} from "../../../services/records/field-settings";
import { actorOf, tenantOf } from "../../context";
import { noticeOf } from "../../record-helpers";
import { adminDeleteRoutes } from "../shared/delete-routes";
import {
  CustomFieldDeletePage,
  CustomFieldsPage,
  FIELD_NOTICES,
  type CustomFieldsPageProps,
  type FieldNotice,
} from "../../../../views/pages/settings/CustomFieldsPage";
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

adminDeleteRoutes(fieldsRoutes, {
  find: getCustomField,
  page: (field) => <CustomFieldDeletePage field={field} />,
  remove: deleteCustomFieldAudited,
  after: "/app/settings/fields?notice=deleted",
});
