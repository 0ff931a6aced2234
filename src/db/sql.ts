import { getTableColumns, sql, type Column, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * `column IN (the ids)` with the whole list bound as ONE JSON parameter, read by json_each. D1
 * allows 100 bound parameters per statement; an IN list binds one per id and breaks past that.
 */
export function inJsonList(column: Column | SQL, ids: readonly (number | string)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** Whether a D1 error (or the error it wraps) is a UNIQUE constraint failure. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    String(err).includes("UNIQUE constraint failed") ||
    String((err as { cause?: unknown })?.cause).includes("UNIQUE constraint failed")
  );
}

/** Whether a D1 error (or the error it wraps) is a FOREIGN KEY constraint failure: a row it points to is gone. */
export function isForeignKeyViolation(err: unknown): boolean {
  return (
    String(err).includes("FOREIGN KEY constraint failed") ||
    String((err as { cause?: unknown })?.cause).includes("FOREIGN KEY constraint failed")
  );
}

/** One row for a table, its values by property name as drizzle's `.values()` takes them. */
export interface RowValues {
  table: SQLiteTable;
  values: Record<string, unknown>;
}

/**
 * The row as INSERT … SELECT … WHERE `condition`, written only if the condition holds when the statement runs: a
 * check made before a batch may no longer hold inside it. Values are encoded by their columns, as `.values()` does.
 */
export function insertWhere({ table, values }: RowValues, condition: SQL): SQL {
  const columns = getTableColumns(table);
  const set = Object.entries(values).filter(([, v]) => v !== undefined);
  const names = set.map(([k]) => sql.identifier(columns[k]!.name));
  const params = set.map(([k, v]) => sql.param(v, columns[k]));
  return sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) SELECT ${sql.join(params, sql`, `)} WHERE ${condition}`;
}
