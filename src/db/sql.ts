import { getTableColumns, is, SQL, sql, type Column } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * `column IN (the ids)` with the whole list bound as ONE JSON parameter, read by json_each. D1
 * allows 100 bound parameters per statement; an IN list binds one per id and breaks past that.
 */
export function inJsonList(column: Column | SQL, ids: readonly (number | string)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** Whether `err` or one of its causes (D1 wraps them) says `message`, e.g. "UNIQUE constraint failed: t.c". */
export function failedWith(err: unknown, message: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (String(e).includes(message)) return true;
  }
  return false;
}

/** Whether a D1 error (or the error it wraps) is a UNIQUE constraint failure. */
export const isUniqueViolation = (err: unknown): boolean => failedWith(err, "UNIQUE constraint failed");

/** Whether a D1 error (or the error it wraps) is a FOREIGN KEY constraint failure: a row it points to is gone. */
export const isForeignKeyViolation = (err: unknown): boolean => failedWith(err, "FOREIGN KEY constraint failed");

/** One row for a table, its values by property name as drizzle's `.values()` takes them. */
export interface RowValues {
  table: SQLiteTable;
  values: Record<string, unknown>;
}

/**
 * The row as INSERT … SELECT … WHERE `condition`, written only if the condition holds when the statement runs: a
 * check made before a batch may no longer hold inside it. Values are encoded by their columns, as `.values()` does;
 * a value that is SQL is written as it is (worked out inside the statement).
 */
export function insertWhere({ table, values }: RowValues, condition: SQL): SQL {
  const columns = getTableColumns(table);
  const set = Object.entries(values).filter(([, v]) => v !== undefined);
  const names = set.map(([k]) => sql.identifier(columns[k]!.name));
  const params = set.map(([k, v]) => (is(v, SQL) ? v : sql.param(v, columns[k])));
  return sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) SELECT ${sql.join(params, sql`, `)} WHERE ${condition}`;
}
