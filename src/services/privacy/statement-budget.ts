/**
 * A run's allowance of statements (D1 queries and R2 calls), for the retention job and the erasure:
 * D1 allows 1,000 queries per invocation, so every statement they make takes one from a Budget.
 */
import type { SQL, SQLWrapper } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";

/** Statements a run may still make; every helper here takes from it. */
export interface Budget {
  left: number;
}

/** Statements one age sweep may make per run, so that erasures always get most of the retention run. */
const SWEEP_STATEMENTS = 4;

const dialect = new SQLiteAsyncDialect();

/** Runs one statement and returns how many rows it changed. Takes one from the budget. */
export async function runCounted(db: Database, budget: Budget, statement: SQL): Promise<number> {
  budget.left -= 1;
  const q = dialect.sqlToQuery(statement);
  const result = await db.$client
    .prepare(q.sql)
    .bind(...q.params)
    .run();
  return result.meta.changes ?? 0;
}

/** Reads rows of one statement. Takes one from the budget. */
export async function readRows<T>(db: Database, budget: Budget, statement: SQL): Promise<T[]> {
  budget.left -= 1;
  const q = dialect.sqlToQuery(statement);
  return (
    await db.$client
      .prepare(q.sql)
      .bind(...q.params)
      .all<T>()
  ).results;
}

/** Runs statements (SQL or drizzle queries) as one batch (one transaction); takes one from the budget per statement. */
export async function runBatch(db: Database, budget: Budget, statements: SQLWrapper[]): Promise<void> {
  budget.left -= statements.length;
  await runRawBatch(db, statements);
}

/** Deletes the objects under an R2 prefix, a listed page (up to 1,000) at a time. True when none are left. */
export async function deletePrefix(
  files: R2Bucket,
  budget: Budget,
  prefix: string,
  counter: { objects: number },
): Promise<boolean> {
  while (budget.left > 1) {
    budget.left -= 1;
    const page = await files.list({ prefix, limit: 1000 });
    if (page.objects.length === 0) return true;
    budget.left -= 1;
    await files.delete(page.objects.map((o) => o.key));
    counter.objects += page.objects.length;
    if (!page.truncated) return true;
  }
  return false;
}

/** Repeats a bounded statement while it fills its chunk and the sweep has statements left. */
export async function sweep(db: Database, budget: Budget, chunk: number, statement: SQL): Promise<number> {
  let total = 0;
  for (let i = 0; i < SWEEP_STATEMENTS && budget.left > 0; i += 1) {
    const n = await runCounted(db, budget, statement);
    total += n;
    if (n < chunk) break;
  }
  return total;
}
