/**
 * Deleting a record or a settings item without JavaScript: a page asking to confirm, then a form
 * post. Another workspace's id (or one that is gone) is a 404 at both steps.
 */
import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { TenantDb } from "../../../db/scoped";
import type { AppEnv } from "../../../env";
import type { Actor } from "../../../lib/actor";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import { actorOf, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";

/** `GET .../:id/<verb>`: the confirmation page of the item `find` reads, titled "<Verb> <its name>". */
export function confirmationPage<Item extends { name: string }>(
  verb: "Delete" | "Erase",
  find: (t: TenantDb, id: number) => Promise<Item | null>,
  page: (item: Item, c: Context<AppEnv>) => Child,
) {
  return async (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id"));
    const item = id === null ? null : await find(tenantOf(c), id);
    if (!item) return errorResponse(c, 404);
    return render(c, `${verb} ${item.name}`, page(item, c));
  };
}

/** `POST .../:id/delete`: deletes the item (`remove` answers whether it was there), then goes to `then`. */
export function deleteThenRedirect(remove: (t: TenantDb, actor: Actor, id: number) => Promise<boolean>, then: string) {
  return async (c: Context<AppEnv>) => {
    const id = parseRecordId(c.req.param("id"));
    if (id === null || !(await remove(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
    return c.redirect(then, 303);
  };
}

/** Both steps of deleting a settings item, for admins: GET and POST `/:id/delete` on `routes`. */
export function adminDeleteRoutes<Item extends { name: string }>(
  routes: Hono<AppEnv>,
  item: {
    find: (t: TenantDb, id: number) => Promise<Item | null>;
    page: (item: Item) => Child;
    remove: (t: TenantDb, actor: Actor, id: number) => Promise<boolean>;
    /** Where the list answers after a delete, with its notice. */
    after: string;
  },
) {
  routes.get("/:id/delete", requireRole("admin"), confirmationPage("Delete", item.find, item.page));
  routes.post("/:id/delete", requireRole("admin"), deleteThenRedirect(item.remove, item.after));
}
