/**
 * GET /cal/:token, a member's private calendar feed of one workspace (`<secret>.ics`, src/services/calendar/),
 * read from that workspace's database alone (the directory's entry comes with the feed). The secret in
 * the path alone authenticates: calendar apps send no cookie. A wrong, malformed, rotated or revoked
 * secret is the plain 404 page. The path is one of TOKEN_ROUTES, so it is never logged and never cached.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { errorResponse } from "../lib/errors";
import { appBaseUrl } from "../lib/mail";
import { calendarFeedText } from "../services/calendar/feed";
import { calendarFeedOwner } from "../services/calendar/feed-secrets";
import { isDatabaseName } from "../services/shards/databases";
import { databaseHandle } from "../services/shards/workspace-db";

/** Mounted at /cal. */
export const calRoutes = new Hono<AppEnv>();

calRoutes.get("/:token", async (c) => {
  c.header("X-Robots-Tag", "noindex");
  const file = c.req.param("token");
  const now = Date.now();
  const feed = file.endsWith(".ics") ? await calendarFeedOwner(c.get("db"), file.slice(0, -4), now) : null;
  if (!feed || !isDatabaseName(feed.shard)) return errorResponse(c, 404);
  const body = await calendarFeedText(databaseHandle(c.env, c.get("db"), feed.shard), feed, {
    now,
    origin: appBaseUrl(c),
    appName: c.env.APP_NAME ?? "CustomerTrackr",
  });
  // no-store (set for every TOKEN_ROUTES path): a rotated or revoked address stops at once, and no
  // shared or browser cache keeps a copy of someone's tasks.
  return c.body(body, 200, { "Content-Type": "text/calendar; charset=utf-8" });
});
