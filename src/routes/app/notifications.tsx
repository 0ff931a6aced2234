/**
 * /app/notifications: the bell. The signed-in user's own reminders and mentions in the active workspace (every
 * role, viewers too); the header's badge loads its count from /count. Opening one (a POST: reading
 * state changes only on purpose) marks it read and goes to its task's record; "mark all read" clears
 * the badge. Another user's or workspace's entry is a 404.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { errorResponse } from "../../lib/errors";
import { render } from "../../lib/render";
import { requireRole } from "../../middleware/session";
import {
  countUnread,
  listNotifications,
  markAllRead,
  openNotification,
  UNREAD_COUNT_CAP,
} from "../../services/reminders/notifications";
import { authOf, tenantOf } from "../context";
import { NotificationsPage, UnreadCount } from "../../../views/pages/notifications/NotificationsPage";

/** Mounted at /app/notifications. */
export const notificationsRoutes = new Hono<AppEnv>();

const ID = /^[1-9]\d{0,15}$/;

notificationsRoutes.get("/", requireRole("viewer"), async (c) => {
  const before = c.req.query("before");
  if (before !== undefined && !ID.test(before)) return errorResponse(c, 400);
  const t = tenantOf(c);
  const userId = authOf(c).user.id;
  const [page, unread] = await Promise.all([
    listNotifications(t, userId, { before: before === undefined ? undefined : Number(before) }),
    countUnread(t, userId),
  ]);
  return render(
    c,
    "Notifications",
    <NotificationsPage entries={page.entries} unread={unread} cap={UNREAD_COUNT_CAP} nextBefore={page.nextBefore} />,
  );
});

// The header's badge: a fragment, fetched by htmx when a page loads (src: views/layouts/Layout.tsx).
notificationsRoutes.get("/count", requireRole("viewer"), async (c) => {
  const count = await countUnread(tenantOf(c), authOf(c).user.id);
  return c.html(<UnreadCount count={count} cap={UNREAD_COUNT_CAP} />);
});

notificationsRoutes.post("/read-all", requireRole("viewer"), async (c) => {
  await markAllRead(tenantOf(c), authOf(c).user.id, Date.now());
  return c.redirect("/app/notifications", 303);
});

notificationsRoutes.post("/:id/open", requireRole("viewer"), async (c) => {
  const id = c.req.param("id");
  if (!ID.test(id)) return errorResponse(c, 404);
  const target = await openNotification(tenantOf(c), authOf(c).user.id, Number(id), Date.now());
  if (target === null) return errorResponse(c, 404);
  return c.redirect(target, 303);
});
