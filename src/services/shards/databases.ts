/**
 * Shards (issue 20; docs/scale.md): the databases a workspace's CRM data can live on. `DB` is the control
 * database (users, sessions, memberships, billing, the directory) and also the home of every workspace
 * that has no directory entry, which is where all of them lived before shards. SHARD_0..n are static
 * bindings of wrangler.toml: Workers cannot bind a database at run time (docs/operations.md adds one).
 */
import type { Bindings } from "../../env";
import { errorText } from "../../lib/error-text";

/** The shard bindings, in wrangler.toml's order. Adding a shard adds its name here. */
export const SHARD_NAMES = ["SHARD_0", "SHARD_1", "SHARD_2"] as const;
export type ShardName = (typeof SHARD_NAMES)[number];
/** A database a workspace can live on: the control database or a shard. */
export type DatabaseName = "DB" | ShardName;

export const DATABASE_NAMES: readonly DatabaseName[] = ["DB", ...SHARD_NAMES];

/** Narrows text read from the directory or a job to a database name. */
export function isDatabaseName(name: string): name is DatabaseName {
  return (DATABASE_NAMES as readonly string[]).includes(name);
}

/** The binding of a database; throws when it is not bound (a shard named in the directory but not deployed). */
export function databaseOf(env: Bindings, name: DatabaseName): D1Database {
  const db = env[name];
  if (!db) throw new Error(`database ${name} is not bound (wrangler.toml [[d1_databases]])`);
  return db;
}

/** The databases this deployment binds, DB first. */
export function boundDatabases(env: Bindings): DatabaseName[] {
  return DATABASE_NAMES.filter((name) => env[name] !== undefined);
}

/**
 * The databases one cron run sweeps, at most `count`: DB always, then the shards in turn from where the
 * minute puts them, so a deployment with more shards than one invocation can sweep (D1 allows 1,000 queries)
 * still reaches each of them every ceil(shards / (count - 1)) minutes.
 */
export function databasesForRun(env: Bindings, now: number, count: number): DatabaseName[] {
  const shards = boundDatabases(env).filter((name) => name !== "DB");
  const room = Math.max(1, count - 1);
  if (shards.length <= room) return ["DB", ...shards];
  const start = (Math.floor(now / 60_000) * room) % shards.length;
  return ["DB", ...Array.from({ length: room }, (_, i) => shards[(start + i) % shards.length]!)];
}

/**
 * Runs `work` on each of `names` in turn, as every sweep over the databases does: DB failing fails the whole
 * (it is the control database); a shard that fails is logged as `failedLog` and the others go on, its next
 * run trying it again.
 */
export async function eachDatabase(
  env: Bindings,
  names: readonly DatabaseName[],
  failedLog: string,
  work: (db: D1Database, name: DatabaseName) => Promise<void>,
): Promise<void> {
  for (const name of names) {
    try {
      await work(databaseOf(env, name), name);
    } catch (err) {
      if (name === "DB") throw err;
      console.error(JSON.stringify({ type: failedLog, database: name, error: errorText(err) }));
    }
  }
}
