/**
 * A race made on purpose: the real D1 binding, except that before the first batch holding a statement whose SQL
 * matches `trigger`, `meanwhile` runs, as another request would between a handler's reads and its write.
 */

/** The real binding, with `meanwhile` run just before the first batch that has a statement matching `trigger`. */
export function raceBeforeBatch(real: D1Database, trigger: RegExp, meanwhile: () => Promise<unknown>): D1Database {
  const texts = new WeakMap<object, string>();
  let ran = false;
  const forward = <T extends object>(target: T, prop: string | symbol) => {
    const value = Reflect.get(target, prop, target);
    return typeof value === "function" ? value.bind(target) : value;
  };
  // The bound statement handed to batch() is the real one (workerd checks it), remembered with its SQL.
  const statement = (st: D1PreparedStatement, text: string): D1PreparedStatement =>
    new Proxy(st, {
      get(obj, prop) {
        if (prop === "bind")
          return (...args: unknown[]) => {
            const bound = obj.bind(...args);
            texts.set(bound, text);
            return bound;
          };
        return forward(obj, prop);
      },
    });
  const database = <T extends D1Database | D1DatabaseSession>(base: T): T =>
    new Proxy(base, {
      get(db, prop) {
        if (prop === "prepare") return (text: string) => statement(db.prepare(text), text);
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            if (!ran && statements.some((s) => trigger.test(texts.get(s) ?? ""))) {
              ran = true;
              await meanwhile();
            }
            return db.batch(statements);
          };
        if (prop === "withSession")
          return (...args: unknown[]) => database((db as D1Database).withSession(...(args as [string])));
        return forward(db, prop);
      },
    });
  return database(real);
}
