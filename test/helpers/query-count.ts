/**
 * Counts the SQL statements a request sends to D1, by wrapping the real binding (the queries still
 * run against the real local D1). Used to prove that list and detail pages make a small, constant
 * number of queries, whatever the number of rows.
 */
import { env } from "cloudflare:workers";

export interface CountingDb {
  binding: D1Database;
  /** Every statement prepared, in order. */
  statements: string[];
}

function wrapSession<T extends { prepare(sql: string): D1PreparedStatement }>(target: T, statements: string[]): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop === "prepare") {
        return (sql: string) => {
          statements.push(sql);
          return obj.prepare(sql);
        };
      }
      if (prop === "withSession") {
        return (...args: unknown[]) => wrapSession((obj as unknown as D1Database).withSession(...(args as [string])), statements);
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

/** A D1 binding that records every statement; pass it as `env: { DB: counting.binding }`. */
export function countingDb(): CountingDb {
  const statements: string[] = [];
  return { binding: wrapSession(env.DB, statements), statements };
}
