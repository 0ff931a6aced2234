/**
 * What a route handler takes from the request, said once: the signed-in user and workspace (routes
 * behind requireRole have them), the actor with the request's facts, and the workspace's database
 * handle. A handler that needs them calls these instead of reading the context by hand.
 */
import type { Context } from "hono";
import { scoped, type TenantDb } from "../db/scoped";
import type { AppEnv, AuthContext } from "../env";
import type { Actor } from "../lib/actor";
import { requestMeta } from "../lib/request";
import { dateInZone } from "../lib/zoned-time";

/** The signed-in user, their workspace and role. Only for routes behind requireRole(), which guarantees them. */
export function authOf(c: Context<AppEnv>): AuthContext {
  const auth = c.get("auth");
  if (!auth) throw new Error(`${c.req.method} ${c.req.path}: no signed-in user (is requireRole() on the route?)`);
  return auth;
}

/** The signed-in user as the actor of a change, with the request's IP, browser and time. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { userId: authOf(c).user.id, ...requestMeta(c) };
}

/**
 * The signed-in workspace's handle on its records (on the shard the directory names, src/middleware/db.ts), with
 * the control database beside it: every query through it is scoped to that workspace.
 */
export function tenantOf(c: Context<AppEnv>): TenantDb {
  return scoped(c.get("recordsDb") ?? c.get("db"), authOf(c).tenant.id, c.get("db"));
}

/**
 * The signed-in workspace's handle on the control database, for the services of its people and account (team,
 * billing, API keys, support grants): their tables stay there wherever the records are.
 */
export function controlOf(c: Context<AppEnv>): TenantDb {
  return scoped(c.get("db"), authOf(c).tenant.id);
}

/** The reader's calendar date (their time zone): what "today", "overdue" and a blank closing date mean. */
export function readerToday(c: Context<AppEnv>): string {
  return readerDay(c).today;
}

/** The reader's calendar date and their zone: where a colleague's timed task falls for them. */
export function readerDay(c: Context<AppEnv>): { today: string; zone: string } {
  const zone = authOf(c).user.timeZone;
  return { today: dateInZone(Date.now(), zone), zone };
}
