/**
 * Saved views of the contacts list (issue 18) under /app/contacts/views: save the list as a view, rename
 * or delete one, make one the default. Anyone who reads the list may keep private views; members and
 * above may share one with the workspace. Another workspace's view, or another user's private one, is 404.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { requireRole } from "../../../middleware/session";
import {
  canonicalViewQuery,
  createView,
  deleteView,
  MAX_VIEWS_PER_USER,
  parseViewName,
  renameView,
  setDefaultView,
  updateViewQuery,
  visibleView,
} from "../../../services/records/saved-views";
import { authOf, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";
import { SaveViewPage } from "../../../../views/pages/contacts/SavedViews";
import { LIST_PATH } from "./list";

/** Mounted with the others at /app/contacts (src/routes/app/contacts/index.ts), before /:id. */
export const contactViewRoutes = new Hono<AppEnv>();

const viewHref = (id: number, query: string) => `${LIST_PATH}?${query ? `${query}&` : ""}view=${id}`;

/** The save form again with its message, and the status saying what was wrong. */
function saveAgain(c: Context<AppEnv>, status: 400 | 409 | 403, f: { query: string; name: string; error: string }) {
  const canShare = roleAtLeast(authOf(c).role, "member");
  return render(c, "Save a view", <SaveViewPage {...f} canShare={canShare} />, status);
}

// The save form's own page: where a refused or unreadable save is shown again.
contactViewRoutes.get("/views", requireRole("viewer"), (c) =>
  render(
    c,
    "Save a view",
    <SaveViewPage
      query={canonicalViewQuery(new URL(c.req.url).searchParams)}
      canShare={roleAtLeast(authOf(c).role, "member")}
      name=""
      error="Name the view to save the list as it is."
    />,
  ),
);

contactViewRoutes.post("/views", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const body = await c.req.parseBody();
  const query = typeof body.query === "string" && body.query.length <= 4_000 ? body.query : "";
  const canonical = canonicalViewQuery(new URLSearchParams(query));
  const typed = typeof body.name === "string" ? body.name.slice(0, 200) : "";
  const name = parseViewName(body.name);
  if (!name.ok) return saveAgain(c, 400, { query: canonical, name: typed, error: name.message });
  const shared = body.shared === "1";
  if (shared && !roleAtLeast(auth.role, "member"))
    return saveAgain(c, 403, { query: canonical, name: typed, error: "Viewers keep their views to themselves." });
  const id = await createView(tenantOf(c), auth.user.id, { name: name.name, shared, query: canonical });
  if (id === null)
    return saveAgain(c, 409, {
      query: canonical,
      name: typed,
      error: `You have ${MAX_VIEWS_PER_USER} views already: delete one first.`,
    });
  return c.redirect(viewHref(id, canonical), 303);
});

/** The view named by the path if this user sees it; else null (the route answers 404). */
async function viewOf(c: Context<AppEnv>) {
  const id = parseRecordId(c.req.param("id"));
  return id === null ? null : visibleView(tenantOf(c), authOf(c).user.id, id);
}

contactViewRoutes.post("/views/:id/rename", requireRole("viewer"), async (c) => {
  const view = await viewOf(c);
  if (!view || view.ownerUserId !== authOf(c).user.id) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  // The rename form's field is "rename" (its id must differ from the save form's "name" on the same page).
  const name = parseViewName(body.rename ?? body.name);
  if (!name.ok)
    return render(
      c,
      "Rename a view",
      <SaveViewPage query={view.query} canShare={false} name={view.name} error={name.message} />,
      400,
    );
  await renameView(tenantOf(c), view.id, name.name);
  return c.redirect(viewHref(view.id, view.query), 303);
});

// Saves the open view's refinements (its owner only, as renaming): the same canonical query as "Save view".
contactViewRoutes.post("/views/:id/update", requireRole("viewer"), async (c) => {
  const view = await viewOf(c);
  if (!view || view.ownerUserId !== authOf(c).user.id) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const query = typeof body.query === "string" && body.query.length <= 4_000 ? body.query : "";
  const canonical = canonicalViewQuery(new URLSearchParams(query));
  await updateViewQuery(tenantOf(c), view.id, canonical);
  return c.redirect(viewHref(view.id, canonical), 303);
});

contactViewRoutes.post("/views/:id/delete", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const view = await viewOf(c);
  if (!view) return errorResponse(c, 404);
  const mayDelete = view.ownerUserId === auth.user.id || (view.shared && roleAtLeast(auth.role, "admin"));
  if (!mayDelete) return errorResponse(c, 403);
  await deleteView(tenantOf(c), view.id);
  return c.redirect(`${LIST_PATH}?view=all`, 303);
});

contactViewRoutes.post("/views/:id/default", requireRole("viewer"), async (c) => {
  const view = await viewOf(c);
  if (!view) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  await setDefaultView(tenantOf(c), authOf(c).user.id, body.clear === "1" ? null : view.id);
  return c.redirect(viewHref(view.id, view.query), 303);
});
