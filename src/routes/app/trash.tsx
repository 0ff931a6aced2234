/**
 * /app/trash: deleted contacts, companies, deals, notes and tasks for 30 days (src/services/trash/).
 * Everyone lists it; members restore what they deleted, own, wrote or are assigned; admins and owners restore
 * anything and delete for good. Another workspace's item is a 404; someone else's, for a member, a 403.
 */
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../env";
import { errorResponse } from "../../lib/errors";
import { billingConfig } from "../../lib/stripe";
import { render } from "../../lib/render";
import { roleAtLeast } from "../../lib/roles";
import { requireRole } from "../../middleware/session";
import { getTrashItem, listTrash, purgeTrashItem } from "../../services/trash/items";
import { restoreTrashItem } from "../../services/trash/restore";
import { alreadyRestoredPath } from "../../services/trash/restore-checks";
import { actorOf, authOf, tenantOf } from "../context";
import { settingsMenuOf } from "./settings/settings-context";
import { TrashPage, TrashPurgeConfirm } from "../../../views/pages/trash/TrashPage";
import { PlanLimitMessage } from "../../../views/components/PlanLimit";

/** Mounted at /app/trash. */
export const trashRoutes = new Hono<AppEnv>();

const ID = /^[1-9]\d{0,15}$/;
const NOTICES: Record<string, string> = {
  purged: "Deleted for good.",
  erased: "Erased: the person is gone from the workspace and from the trash.",
};

async function trashPage(c: Context<AppEnv>, problem: Child = null, status: 200 | 402 | 409 = 200) {
  const before = c.req.query("before");
  if (before !== undefined && !ID.test(before)) return errorResponse(c, 400);
  const auth = authOf(c);
  const page = await listTrash(tenantOf(c), { userId: auth.user.id, role: auth.role }, before ? Number(before) : null);
  const notice = NOTICES[c.req.query("notice") ?? ""] ?? null;
  return render(
    c,
    "Trash",
    <TrashPage
      items={page.items}
      next={page.next}
      now={Date.now()}
      canPurge={roleAtLeast(auth.role, "admin")}
      nav={settingsMenuOf(c)}
      notice={notice}
      problem={problem}
    />,
    status,
  );
}

// Viewers see the list too (the records were theirs to read); restoring is a member's at least.
trashRoutes.get("/", requireRole("viewer"), (c) => trashPage(c));

trashRoutes.post("/:id/restore", requireRole("member"), async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id)) return errorResponse(c, 404);
  const auth = authOf(c);
  // An undo (here too from the list's Undo) passes the Free plan's limit; a contact added since the delete makes
  // it count as a new one would (402, as creating answers).
  const limit = billingConfig(c.env).limits?.contacts ?? null;
  const viewer = { userId: auth.user.id, role: auth.role };
  const result = await restoreTrashItem(tenantOf(c), viewer, actorOf(c), Number(id), limit);
  if (!result.ok) {
    if (result.reason === "plan_limit")
      return trashPage(
        c,
        <PlanLimitMessage
          what="contacts"
          limit={result.max}
          isOwner={auth.role === "owner"}
          billingState={auth.tenant.billingState}
        />,
        402,
      );
    if (result.reason === "conflict") return trashPage(c, result.message, 409);
    // A second Undo (or the back button's re-post): the record is back already, so off to it, saying so.
    const back = result.reason === "not_found" ? await alreadyRestoredPath(tenantOf(c), Number(id)) : null;
    if (back) return c.redirect(`${back}?restored=already`, 303);
    return errorResponse(c, result.reason === "forbidden" ? 403 : 404);
  }
  return c.redirect(`${result.path}?restored=${result.notes.length ? result.notes.join(".") : "1"}`, 303);
});

// Without JavaScript "Delete forever" asks here first (with it, htmx asks and posts).
trashRoutes.get("/:id/delete", requireRole("admin"), async (c) => {
  const id = c.req.param("id");
  const item = ID.test(id) ? await getTrashItem(tenantOf(c), Number(id)) : null;
  if (!item) return errorResponse(c, 404);
  return render(
    c,
    `Delete ${item.title} forever`,
    <TrashPurgeConfirm id={item.id} kind={item.kind} title={item.title} />,
  );
});

trashRoutes.post("/:id/delete", requireRole("admin"), async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id) || !(await purgeTrashItem(tenantOf(c), actorOf(c), Number(id)))) return errorResponse(c, 404);
  if (c.req.header("HX-Request") === "true") {
    // htmx posted from the list: the whole page comes again, with its notice.
    c.header("HX-Redirect", "/app/trash?notice=purged");
    return c.html("", 200);
  }
  return c.redirect("/app/trash?notice=purged", 303);
});
