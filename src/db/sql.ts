import { sql, type Column, type SQL } from "drizzle-orm";

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
