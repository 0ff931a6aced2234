/**
 * A workspace's handle on the database the directory says holds its records, with the control database beside
 * it (docs/scale.md). Work that runs for one workspace outside a request (queue steps, erasure, a member
 * joining) opens it here, so it reaches the workspace's rows wherever a move put them.
 */
import { sql } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import { scoped, type TenantDb } from "../../db/scoped";
import type { Bindings } from "../../env";
import type { JobMessage } from "../../jobs";
import type { ErasureTarget } from "../privacy/erasure-steps";
import { boundDatabases, type DatabaseName, databaseOf, isDatabaseName } from "./databases";
import { shardOf } from "./directory";
import { anchorStatements } from "./rows";
import { errorText } from "../../lib/error-text";

/** A handle on the database `name`: the control database's own for DB. */
export function databaseHandle(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  name: DatabaseName,
): Database {
  return name === "DB" ? control : createDb(databaseOf(env as Bindings, name));
}

/**
 * The workspace's handle (its records on its database, `control` the control database: one directory read), and
 * whether a move has frozen its writes (its catch-up must see every one).
 */
export async function workspacePlacement(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
): Promise<{ t: TenantDb; moving: boolean }> {
  const { shard, state } = await shardOf(control, tenantId);
  return { t: scoped(databaseHandle(env, control, shard), tenantId, control), moving: state === "moving" };
}

/**
 * Every database that may hold the workspace's records, for its erasure: the directory's, then both ends of a
 * move not finished (a copy may be on its way there, or an old one not yet cleaned). One read on control.
 */
export async function erasureTargetOf(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
): Promise<ErasureTarget> {
  const rows = await control.all<{ name: string }>(
    sql`SELECT shard AS name FROM workspace_shards WHERE tenant_id = ${tenantId}
        UNION ALL SELECT source FROM shard_moves WHERE tenant_id = ${tenantId} AND status NOT IN ('done', 'failed')
        UNION ALL SELECT target FROM shard_moves WHERE tenant_id = ${tenantId} AND status NOT IN ('done', 'failed')`,
  );
  const names = [...new Set(rows.map((r) => r.name).filter(isDatabaseName))];
  // No entry: the workspace lives on DB, where every workspace lived before shards.
  const records = (names.length ? names : ["DB" as const]).map((name) => databaseHandle(env, control, name));
  return { tenantId, control, records };
}

/**
 * A placeholder users row for a member joining a workspace whose records are on a shard, written before the
 * membership: the member's first record there (as owner, author or assignee) then meets its foreign key.
 */
export async function anchorMember(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
  userId: string,
): Promise<void> {
  const { shard } = await shardOf(control, tenantId);
  if (shard === "DB") return;
  const db = databaseOf(env as Bindings, shard);
  await db.batch(anchorStatements(db, [userId]));
}

/** Seconds a queue step of a workspace frozen by a move waits before it runs again. */
export const FROZEN_RETRY_S = 60;

/**
 * The workspace's handle for a queue step, or null when a move has frozen its writes: the step then writes
 * nothing and the same message comes back a minute later, running where the directory says by then (a move's
 * catch-up must see every write). The job watchdogs re-send a message that is lost.
 */
export async function placementForStep(env: Bindings, tenantId: string, message: JobMessage): Promise<TenantDb | null> {
  const { t, moving } = await workspacePlacement(env, createDb(env.DB), tenantId);
  if (!moving) return t;
  await env.JOBS.send(message, { delaySeconds: FROZEN_RETRY_S });
  return null;
}

/**
 * Every database holding records of a workspace `userId` belongs to, the control database first: what a person's
 * own data export reads their reminders, recent records and audit entries from (each shard has its workspaces'
 * memberships, src/services/shards/mirror.ts, so the same query works on each).
 */
export async function databasesOfUser(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  userId: string,
): Promise<Database[]> {
  const rows = await control.all<{ shard: string }>(
    sql`SELECT DISTINCT s.shard FROM memberships m JOIN workspace_shards s ON s.tenant_id = m.tenant_id
        WHERE m.user_id = ${userId} AND s.shard <> 'DB' ORDER BY s.shard`,
  );
  const shards = rows.map((r) => r.shard).filter(isDatabaseName);
  return [control, ...shards.map((name) => databaseHandle(env, control, name))];
}

/** Every bound database that holds workspaces' records, as handles: `control` (DB) first, then the shards. */
export function recordsDatabases(env: Bindings, control: Database): Database[] {
  return boundDatabases(env).map((name) => databaseHandle(env, control, name));
}

/**
 * `read` on each of `dbs` side by side, the rows together. For sweeps that serve many people at once (the agenda,
 * the digest): a shard that fails is logged as `failedLog` and left out rather than holding everyone back; the
 * control database (the first) failing fails the whole.
 */
export async function readEverywhere<T>(
  dbs: Database[],
  failedLog: string,
  read: (db: Database) => Promise<T[]>,
): Promise<T[]> {
  const results = await Promise.all(
    dbs.map((db, i) =>
      read(db).catch((err: unknown) => {
        if (i === 0) throw err;
        console.error(JSON.stringify({ type: failedLog, database: i, error: errorText(err) }));
        return [] as T[];
      }),
    ),
  );
  return results.flat();
}
