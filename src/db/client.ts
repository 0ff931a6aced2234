import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

/**
 * The database handle every service takes. Services use only the query builder and `batch`, which
 * drizzle's libSQL driver offers too, so a self-hosted build can pass a libSQL-backed handle here.
 */
export type Database = DrizzleD1Database & { $client: Pick<D1Database, "prepare" | "batch"> };

/** Wraps a D1 binding, or a D1 session opened with `withSession()`, in Drizzle. */
export function createDb(d1: D1Database | D1DatabaseSession): Database {
  // drizzle-orm 0.45 types only D1Database; a D1 session has the same prepare/batch surface.
  // No schema: nothing uses relational queries (db.query), and the schema made every request build
  // their configuration again.
  return drizzle(d1 as unknown as D1Database);
}
