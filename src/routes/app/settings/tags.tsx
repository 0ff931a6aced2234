/** The workspace's tags at /app/settings/tags, for admins and owners. Another tenant's tag is a 404. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { formValues, parseForm } from "../../../lib/validation";
import { requireRole } from "../../../middleware/session";
import {
  createTagAudited,
  deleteTagAudited,
  getTag,
  tagInputSchema,
  updateTagAudited,
} from "../../../services/records/tag-settings";
import { listTags, TAG_COLORS } from "../../../services/records/tags";
import { actorOf, tenantOf } from "../../context";
import { noticeOf, parseRecordId } from "../../record-helpers";
import { adminDeleteRoutes } from "../shared/delete-routes";
import { TAG_NOTICES, TagDeletePage, TagsPage, type TagsPageProps } from "../../../../views/pages/settings/TagsPage";
import { settingsMenuOf } from "./settings-context";

/** Mounted at /app/settings/tags. */
export const tagsRoutes = new Hono<AppEnv>();

async function tagsPage(c: Context<AppEnv>, extra: Partial<TagsPageProps> = {}, status: ContentfulStatusCode = 200) {
  const tags = await listTags(tenantOf(c));
  return render(
    c,
    "Tags",
    <TagsPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      tags={tags}
      colors={TAG_COLORS}
      notice={noticeOf(c, TAG_NOTICES)}
      {...extra}
    />,
    status,
  );
}

tagsRoutes.get("/", requireRole("admin"), (c) => tagsPage(c));

tagsRoutes.post("/", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = formValues(body, ["name", "color"]);
  const parsed = parseForm(tagInputSchema, body);
  if (!parsed.ok) return tagsPage(c, { create: { values, errors: parsed.errors } }, 422);
  const result = await createTagAudited(tenantOf(c), actorOf(c), parsed.data);
  if (!result.ok) return tagsPage(c, { create: { values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/tags?notice=created", 303);
});

tagsRoutes.post("/:id", requireRole("admin"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await getTag(t, id))) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const values = formValues(body, ["name", "color"]);
  const parsed = parseForm(tagInputSchema, body);
  if (!parsed.ok) return tagsPage(c, { edit: { id, values, errors: parsed.errors } }, 422);
  const result = await updateTagAudited(t, actorOf(c), id, parsed.data);
  if (!result) return errorResponse(c, 404);
  if (!result.ok) return tagsPage(c, { edit: { id, values, errors: { [result.field]: result.message } } }, 422);
  return c.redirect("/app/settings/tags?notice=updated", 303);
});

adminDeleteRoutes(tagsRoutes, {
  find: getTag,
  page: (tag) => <TagDeletePage tag={tag} />,
  remove: deleteTagAudited,
  after: "/app/settings/tags?notice=deleted",
});
