import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

/**
 * The database handle every service takes: drizzle's D1 driver over a D1 binding, or, self-hosted on Node,
 * over the D1 facade of libSQL (src/platform/node/d1-libsql.ts; docs/self-host.md says why not drizzle's
 * libSQL driver: services also call `$client.prepare` and `$client.batch`).
 */
export type Database = DrizzleD1Database & { $client: Pick<D1Database, "prepare" | "batch"> };

/** Wraps a D1 binding, or a D1 session opened with `withSession()`, in Drizzle. */
export function createDb(d1: D1Database | D1DatabaseSession): Database {
  // drizzle-orm 0.45 types only D1Database; a D1 session has the same prepare/batch surface.
  // No schema: nothing uses relational queries (db.query), and the schema made every request build
  // their configuration again.
  return drizzle(d1 as unknown as D1Database);
}
