/**
 * Runs hand-written SQL statements as one batch (one transaction). drizzle 0.45's D1 batch cannot
 * take raw `sql` statements that have parameters (db.run(sql) has no prepared statement to bind), so
 * the import's JSON-driven INSERT ... SELECT statements go through here: drizzle's own dialect turns
 * each into SQL text and parameters, and the D1 client runs them in one batch.
 * Self-hosted, the client is the D1 facade of libSQL (src/platform/node/d1-libsql.ts), whose batch is one
 * libSQL write transaction: the same code on both.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

const dialect = new SQLiteAsyncDialect();

/** Runs `sql` statements and drizzle query builders (anything with getSQL()) in one batch. */
export async function runRawBatch(db: Database, statements: SQLWrapper[]): Promise<void> {
  if (statements.length === 0) return;
  await rawBatchResults(db, statements);
}

/**
 * Like runRawBatch, and returns each statement's D1 result (`results` rows keyed by column name,
 * `meta.changes`), for batches that read what they wrote (RETURNING, a count before a change).
 */
export async function rawBatchResults(db: Database, statements: SQLWrapper[]): Promise<D1Result[]> {
  const client = db.$client;
  return client.batch(
    statements.map((s) => {
      const q = dialect.sqlToQuery(s.getSQL());
      return client.prepare(q.sql).bind(...q.params);
    }),
  );
}

/** As runRawBatch, and returns each statement's rows (RETURNING or SELECT), in order. */
export async function runRawBatchRows(db: Database, statements: SQLWrapper[]): Promise<Record<string, unknown>[][]> {
  if (statements.length === 0) return [];
  return (await rawBatchResults(db, statements)).map((r) => (r.results ?? []) as Record<string, unknown>[]);
}

/** A hand-written statement's rows as a drizzle select (`fields` name its columns), so it can join a drizzle batch. */
export function selectFrom<K extends string>(db: Database, statement: SQL, fields: readonly K[]) {
  return db
    .select(Object.fromEntries(fields.map((f) => [f, sql.raw(`"${f}"`)])) as Record<K, SQL<unknown>>)
    .from(sql`(${statement})`);
}
