import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { COOKIES } from "../lib/cookies";

const BOOKMARK = /^[0-9a-zA-Z-]{1,200}$/;

/**
 * Opens a D1 session per request, resumed from the bookmark cookie, so a user reads their own
 * writes even from a read replica. The new bookmark is stored for signed-in users and after writes.
 */
export const database: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cookie = getCookie(c, COOKIES.bookmark.name);
  const bookmark = cookie && BOOKMARK.test(cookie) ? cookie : undefined;
  let session: D1DatabaseSession;
  try {
    session = c.env.DB.withSession(bookmark ?? "first-unconstrained");
  } catch {
    session = c.env.DB.withSession("first-unconstrained");
  }
  c.set("db", createDb(session));
  await next();
  const latest = session.getBookmark();
  const wrote = c.req.method !== "GET" && c.req.method !== "HEAD";
  if (latest && latest !== bookmark && (wrote || c.get("auth"))) {
    setCookie(c, COOKIES.bookmark.name, latest, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  }
};
