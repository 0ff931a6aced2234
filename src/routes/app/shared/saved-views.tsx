/**
 * Saved views' routes (issue 18), the same for each list that has them, under `{listPath}/views`: save the
 * list as a view, save a refined view again, rename, delete, make default. Anyone who reads the list may
 * keep private views; members and above may share one. Another workspace's view, another user's private
 * one, or another list's view is a 404.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { requireRole } from "../../../middleware/session";
import { parseSessionToken } from "../../../auth/session";
import { sessions, type Role } from "../../../db/schema";
import { sql, type SQL } from "drizzle-orm";
import {
  canonicalViewQuery,
  createView,
  deleteView,
  MAX_VIEWS_PER_USER,
  parseViewName,
  renameView,
  setDefaultView,
  updateViewQuery,
  viewQueryForReader,
  visibleView,
  type ListedView,
  type ViewEntity,
  type ViewQuery,
} from "../../../services/records/saved-views";
import { parseCustomFilters } from "../../../services/records/list-filters";
import { authOf, tenantOf } from "../../context";
import { canonicalDealEcho, readDealFilters } from "../../deal-filters";
import { parseRecordId } from "../../record-helpers";
import { SaveViewPage, type SavedViewsProps, type ViewTab } from "../../../../views/partials/SavedViews";

export interface SavedViewList {
  entity: ViewEntity;
  /** The list's path; the routes are mounted there, before any /:id route. */
  listPath: string;
  /** "contacts", for the save page's way back. */
  listName: string;
  withColumns?: boolean;
}

/** The routes of one list's saved views, to mount at its path. */
export function savedViewRoutes(list: SavedViewList) {
  const routes = new Hono<AppEnv>();
  const { entity, listPath } = list;
  // A view keeps numbers canonical; the list it opens reads them as this reader types them (deals: amounts too).
  // An older view's numbers are as its saver typed them, and pass through (viewQueryInLocale).
  const readerQuery = (c: Context<AppEnv>, view: ViewQuery) =>
    viewQueryForReader(tenantOf(c), entity, view, authOf(c).user.locale);
  const hrefOf = async (c: Context<AppEnv>, id: number, view: ViewQuery) =>
    viewHref(listPath, { id, query: await readerQuery(c, view) });
  const canonical = (raw: unknown) =>
    canonicalViewQuery(new URLSearchParams(typeof raw === "string" && raw.length <= 4_000 ? raw : ""), entity);

  /**
   * A list query with its numbers as this reader types them (the list's URL; an older view as its owner typed them)
   * made canonical, as the list's own "Save view" form carries it: "1.500" typed in de is "1500". A value that
   * cannot be read stays as typed, as on the list.
   */
  async function numbersCanonical(c: Context<AppEnv>, typed: string): Promise<string> {
    const params = new URLSearchParams(canonicalViewQuery(new URLSearchParams(typed), entity));
    const t = tenantOf(c);
    const { user } = authOf(c);
    let plain: Record<string, string>;
    if (entity === "deal") {
      const echo = canonicalDealEcho(await readDealFilters({ t, user }, params));
      plain = { amount_min: echo.amount_min, amount_max: echo.amount_max, ...echo.custom };
    } else {
      const { custom } = await parseCustomFilters(t, params, "contact", [], user.locale);
      plain = Object.fromEntries(custom.map((f) => [`cf_${f.fieldId}`, f.value]));
    }
    for (const [key, value] of Object.entries(plain)) if (value && params.has(key)) params.set(key, value);
    return canonicalViewQuery(params, entity);
  }

  /** The save form again with its message, and the status saying what was wrong. */
  async function saveAgain(
    c: Context<AppEnv>,
    status: 400 | 409 | 403,
    f: { query: string; name: string; error: string },
  ) {
    const canShare = roleAtLeast(authOf(c).role, "member");
    const back = await readerQuery(c, { query: f.query, numbersCanonical: true });
    return render(c, "Save a view", <SaveViewPage {...list} {...f} backQuery={back} canShare={canShare} />, status);
  }

  /** The view named by the path if this user sees it on this list; else null (the route answers 404). */
  async function viewOf(c: Context<AppEnv>) {
    const id = parseRecordId(c.req.param("id"));
    return id === null ? null : visibleView(tenantOf(c), authOf(c).user.id, id, entity);
  }

  /**
   * The view this user may change (update, rename), or the status refusing it: another's view is a 404; a shared
   * one needs the role that shares views (an owner since demoted to viewer keeps only their private views).
   */
  async function ownViewOf(c: Context<AppEnv>) {
    const view = await viewOf(c);
    const auth = authOf(c);
    if (!view || view.ownerUserId !== auth.user.id) return { refused: 404 as const };
    if (!mayChangeView(view, auth.user.id, auth.role)) return { refused: 403 as const };
    return { view };
  }

  // The save form's own page: where a refused or unreadable save is shown again. Its query is the list's URL, numbers
  // as this reader typed them: the form carries them canonical, as every view is stored.
  routes.get("/views", requireRole("viewer"), async (c) => {
    const typed = canonicalViewQuery(new URL(c.req.url).searchParams, entity);
    return render(
      c,
      "Save a view",
      <SaveViewPage
        {...list}
        query={await numbersCanonical(c, typed)}
        backQuery={typed}
        canShare={roleAtLeast(authOf(c).role, "member")}
        name=""
        error="Name the view to save the list as it is."
      />,
    );
  });

  routes.post("/views", requireRole("viewer"), async (c) => {
    const auth = authOf(c);
    const body = await c.req.parseBody();
    const query = canonical(body.query);
    const typed = typeof body.name === "string" ? body.name.slice(0, 200) : "";
    const name = parseViewName(body.name);
    if (!name.ok) return saveAgain(c, 400, { query, name: typed, error: name.message });
    const shared = body.shared === "1";
    if (shared && !roleAtLeast(auth.role, "member"))
      return saveAgain(c, 403, { query, name: typed, error: "Viewers keep their views to themselves." });
    const id = await createView(tenantOf(c), auth.user.id, { name: name.name, shared, query }, entity);
    if (id === null)
      return saveAgain(c, 409, {
        query,
        name: typed,
        error: `You have ${MAX_VIEWS_PER_USER} views already: delete one first.`,
      });
    return c.redirect(await hrefOf(c, id, { query, numbersCanonical: true }), 303);
  });

  // Saves the open view's refinements (its owner only, as renaming): the same canonical query as "Save view".
  routes.post("/views/:id/update", requireRole("viewer"), async (c) => {
    const own = await ownViewOf(c);
    if (!own.view) return errorResponse(c, own.refused);
    const { view } = own;
    const query = canonical((await c.req.parseBody()).query);
    await updateViewQuery(tenantOf(c), view.id, query);
    return c.redirect(await hrefOf(c, view.id, { query, numbersCanonical: true }), 303);
  });

  routes.post("/views/:id/rename", requireRole("viewer"), async (c) => {
    const own = await ownViewOf(c);
    if (!own.view) return errorResponse(c, own.refused);
    const { view } = own;
    const body = await c.req.parseBody();
    // The rename form's field is "rename" (its id must differ from the save form's "name" on the same page).
    const name = parseViewName(body.rename ?? body.name);
    if (!name.ok)
      return render(
        c,
        "Rename a view",
        <SaveViewPage
          {...list}
          query={view.numbersCanonical ? view.query : await numbersCanonical(c, view.query)}
          backQuery={await readerQuery(c, view)}
          canShare={false}
          name={view.name}
          error={name.message}
        />,
        400,
      );
    await renameView(tenantOf(c), view.id, name.name);
    return c.redirect(await hrefOf(c, view.id, view), 303);
  });

  routes.post("/views/:id/delete", requireRole("viewer"), async (c) => {
    const auth = authOf(c);
    const view = await viewOf(c);
    if (!view) return errorResponse(c, 404);
    const mayDelete = view.ownerUserId === auth.user.id || (view.shared && roleAtLeast(auth.role, "admin"));
    if (!mayDelete) return errorResponse(c, 403);
    await deleteView(tenantOf(c), view.id);
    return c.redirect(`${listPath}?view=all`, 303);
  });

  routes.post("/views/:id/default", requireRole("viewer"), async (c) => {
    const view = await viewOf(c);
    if (!view) return errorResponse(c, 404);
    const body = await c.req.parseBody();
    await setDefaultView(tenantOf(c), authOf(c).user.id, body.clear === "1" ? null : view.id, entity);
    return c.redirect(await hrefOf(c, view.id, view), 303);
  });

  return routes;
}

/** Whether the user may save a view again or rename it: their own, and a shared one only while they may share. */
function mayChangeView(v: { ownerUserId: string | null; shared: boolean }, userId: string, role: Role): boolean {
  return v.ownerUserId === userId && (!v.shared || roleAtLeast(role, "member"));
}

/** The href of a saved view's tab: its query, and which view it is (for aria-current). */
export function viewHref(listPath: string, v: { id: number; query: string }): string {
  return `${listPath}?${v.query ? `${v.query}&` : ""}view=${v.id}`;
}

/**
 * An open view whose filter names what no longer exists (a deleted tag, field or pipeline, a removed member): the
 * list without those filters, saying so. A 404 instead would be every link to the list once it is the default view;
 * silently dropping them would show a wider list under the view's name.
 */
export function withoutStaleFilters(listPath: string, query: URLSearchParams, stale: string[]): string {
  const rest = new URLSearchParams(query);
  for (const key of [...stale, "cursor", "at", "notice"]) rest.delete(key);
  rest.set("notice", "view_stale");
  return `${listPath}?${rest}`;
}

/**
 * The user whose saved views a list reads: known when the session is already checked, else the
 * session's user looked up in the same batch as the session check (used only once that check passes).
 */
export function viewerOf(c: Context<AppEnv>): SQL {
  const auth = c.get("auth");
  if (auth) return sql`${auth.user.id}`;
  const token = c.get("deferredSession")?.token;
  const parsed = token ? parseSessionToken(token) : null;
  return parsed ? sql`(SELECT ${sessions.userId} FROM ${sessions} WHERE ${sessions.id} = ${parsed.id})` : sql`NULL`;
}

/** The tabs and the Views menu of a list: the views this user sees, the open one and whether it was refined. */
export function savedViewsProps(
  c: Context<AppEnv>,
  p: {
    listPath: string;
    allLabel: string;
    withColumns?: boolean;
    views: ListedView[];
    defaultViewId: number | null;
    current: ListedView | null;
    /** The list's canonical query as shown now. */
    query: string;
    /** The same with numbers as typed: what a view saved before views kept numbers canonical is compared with. */
    typedQuery?: string;
    /** A view's query as the reader's list reads it (its numbers in their format); none: as stored. */
    readerQuery?: (view: ViewQuery) => string;
  },
): SavedViewsProps {
  const auth = authOf(c);
  const tab = (v: ListedView): ViewTab => {
    const own = v.ownerUserId === auth.user.id;
    return {
      id: v.id,
      name: v.name,
      shared: v.shared,
      href: viewHref(p.listPath, { id: v.id, query: p.readerQuery ? p.readerQuery(v) : v.query }),
      isDefault: v.id === p.defaultViewId,
      canRename: mayChangeView(v, auth.user.id, auth.role),
      canDelete: own || (v.shared && roleAtLeast(auth.role, "admin")),
    };
  };
  return {
    listPath: p.listPath,
    allLabel: p.allLabel,
    withColumns: p.withColumns,
    tabs: p.views.map(tab),
    currentId: p.current?.id ?? null,
    changed:
      p.current !== null && p.current.query !== (p.current.numbersCanonical ? p.query : (p.typedQuery ?? p.query)),
    query: p.query,
    canShare: roleAtLeast(auth.role, "member"),
    hasDefault: p.defaultViewId !== null,
  };
}
