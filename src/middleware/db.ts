import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { COOKIES } from "../lib/cookies";
import { databaseOf, type DatabaseName } from "../services/shards/databases";

const BOOKMARK = /^[0-9a-zA-Z-]{1,200}$/;
const COOKIE = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" } as const;

/** A D1 session on `db` resumed from `bookmark`, or from the start when D1 refuses it. */
function sessionOn(db: D1Database, bookmark: string | undefined): D1DatabaseSession {
  try {
    return db.withSession(bookmark ?? "first-unconstrained");
  } catch {
    return db.withSession("first-unconstrained");
  }
}

/** What the after-hook needs to store a records database's bookmark. */
interface RecordsSession {
  shard: DatabaseName;
  session: D1DatabaseSession;
  bookmark: string | undefined;
}
const recordsSessions = new WeakMap<Context<AppEnv>, RecordsSession>();

/**
 * Opens a D1 session per request on the control database, resumed from the bookmark cookie, so a user reads their
 * own writes even from a read replica; the signed-in workspace's records database gets its own (openRecordsDb).
 * The new bookmarks are stored for signed-in users and after writes.
 */
export const database: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cookie = getCookie(c, COOKIES.bookmark.name);
  const bookmark = cookie && BOOKMARK.test(cookie) ? cookie : undefined;
  const session = sessionOn(c.env.DB, bookmark);
  c.set("db", createDb(session));
  await next();
  const wrote = c.req.method !== "GET" && c.req.method !== "HEAD";
  const keep = wrote || Boolean(c.get("auth"));
  const latest = session.getBookmark();
  if (latest && latest !== bookmark && keep) setCookie(c, COOKIES.bookmark.name, latest, COOKIE);
  const records = recordsSessions.get(c);
  const recordsLatest = records?.session.getBookmark();
  if (records && recordsLatest && recordsLatest !== records.bookmark && keep)
    setCookie(c, COOKIES.recordsBookmark.name, `${records.shard}.${recordsLatest}`, COOKIE);
};

/**
 * Opens the records database of the workspace the request is for when a shard holds them (docs/scale.md,
 * "Routing"): tenantOf() then reads and writes there, with its own bookmark cookie (one database's bookmark
 * means nothing to another, so the cookie names its shard). On DB the control session serves both. `start`: no
 * cookie, a session from there.
 */
export function openRecordsDb(c: Context<AppEnv>, shard: DatabaseName | undefined, start?: "first-primary"): void {
  if (!shard || shard === "DB") {
    c.set("recordsDb", undefined);
    return;
  }
  // The API reads no cookie: its sessions start at the primary.
  if (start) {
    c.set("recordsDb", createDb(databaseOf(c.env, shard).withSession(start)));
    return;
  }
  const [named, value] = (getCookie(c, COOKIES.recordsBookmark.name) ?? "").split(".", 2);
  const bookmark = named === shard && value && BOOKMARK.test(value) ? value : undefined;
  const session = sessionOn(databaseOf(c.env, shard), bookmark);
  recordsSessions.set(c, { shard, session, bookmark });
  c.set("recordsDb", createDb(session));
}
