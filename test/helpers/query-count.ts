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
  /**
   * Round trips to D1: each batch() and each statement run on its own (first, all, run, raw). The usage
   * recorder's write (src/services/usage/sink.ts) is not one: it runs after the response (waitUntil), and in
   * production goes to Analytics Engine, not D1; it is counted in `usageWrites` instead.
   */
  roundTrips: { count: number };
  usageWrites: { count: number };
  /** Every statement with the values bound to it (one entry per bind), for EXPLAIN QUERY PLAN. */
  bound: BoundStatement[];
}

export interface BoundStatement {
  sql: string;
  params: unknown[];
}

/** The SQL text of each real statement the counting binding prepared, so a batch knows what it holds. */
const sqlOf = new WeakMap<D1PreparedStatement, string>();
const USAGE_WRITE = /^\s*INSERT INTO usage_events\b/;

function wrapStatement(statement: D1PreparedStatement, roundTrips: { count: number }): D1PreparedStatement {
  return new Proxy(statement, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === "bind") return (...args: unknown[]) => wrapStatement(obj.bind(...args), roundTrips);
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        return (...args: unknown[]) => {
          roundTrips.count += 1;
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

/** The real statement behind a wrapped one, for batch(), which takes only its own statements. */
const unwrap = (s: D1PreparedStatement) => (s as unknown as { [REAL]?: D1PreparedStatement })[REAL] ?? s;
const REAL = Symbol("real statement");

function wrapSession<T extends { prepare(sql: string): D1PreparedStatement }>(
  target: T,
  statements: string[],
  roundTrips: { count: number },
  usageWrites: { count: number },
  bound: BoundStatement[],
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop === "prepare") {
        return (sql: string) => {
          statements.push(sql);
          // Replaced by its bound values on the first bind; a statement run without any keeps none.
          const entry: BoundStatement = { sql, params: [] };
          bound.push(entry);
          let bindings = 0;
          const real = obj.prepare(sql);
          sqlOf.set(real, sql);
          const wrapped = wrapStatement(real, roundTrips);
          return new Proxy(wrapped, {
            get(w, p, r) {
              if (p === REAL) return real;
              if (p === "bind") {
                return (...args: unknown[]) => {
                  if (bindings++ === 0) entry.params = args;
                  else bound.push({ sql, params: args });
                  const withValues = real.bind(...args);
                  sqlOf.set(withValues, sql);
                  const wrappedBound = wrapStatement(withValues, roundTrips);
                  return new Proxy(wrappedBound, {
                    get: (wb, pp, rr) => (pp === REAL ? withValues : Reflect.get(wb, pp, rr)),
                  });
                };
              }
              return Reflect.get(w, p, r);
            },
          });
        };
      }
      if (prop === "batch") {
        return (list: D1PreparedStatement[]) => {
          const real = list.map(unwrap);
          const usageOnly = real.length > 0 && real.every((s) => USAGE_WRITE.test(sqlOf.get(s) ?? ""));
          if (usageOnly) usageWrites.count += 1;
          else roundTrips.count += 1;
          return (obj as unknown as D1Database).batch(real);
        };
      }
      if (prop === "withSession") {
        return (...args: unknown[]) =>
          wrapSession(
            (obj as unknown as D1Database).withSession(...(args as [string])),
            statements,
            roundTrips,
            usageWrites,
            bound,
          );
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

/** A D1 binding that records every statement; pass it as `env: { DB: counting.binding }`. */
export function countingDb(db: D1Database = env.DB): CountingDb {
  const statements: string[] = [];
  const roundTrips = { count: 0 };
  const usageWrites = { count: 0 };
  const bound: BoundStatement[] = [];
  return {
    binding: wrapSession(db, statements, roundTrips, usageWrites, bound),
    statements,
    roundTrips,
    usageWrites,
    bound,
  };
}
