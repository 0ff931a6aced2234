/** Fault injection: bindings that fail the way a real outage would. */

/** A D1 binding whose every query fails, as during an outage. */
export function failingDatabase(): D1Database {
  const fail = () => {
    throw new Error("D1_ERROR: simulated outage (test fault injection)");
  };
  const session = { prepare: fail, batch: fail, exec: fail, getBookmark: () => null };
  return { ...session, dump: fail, withSession: () => session } as unknown as D1Database;
}

/** The real D1 binding, except that statements whose SQL matches `failing` fail when run, as a timeout would. */
export function failingStatements(real: D1Database, failing: RegExp): D1Database {
  const fail = () => Promise.reject(new Error("D1_ERROR: simulated timeout (test fault injection)"));
  const statement = (st: D1PreparedStatement, text: string): D1PreparedStatement =>
    new Proxy(st, {
      get(obj, prop) {
        if (prop === "bind") return (...args: unknown[]) => statement(obj.bind(...args), text);
        if (failing.test(text) && ["run", "all", "raw", "first"].includes(String(prop))) return fail;
        const value = Reflect.get(obj, prop, obj);
        return typeof value === "function" ? value.bind(obj) : value;
      },
    });
  const database = <T extends D1Database | D1DatabaseSession>(base: T): T =>
    new Proxy(base, {
      get(db, prop) {
        if (prop === "prepare") return (text: string) => statement(db.prepare(text), text);
        if (prop === "withSession")
          return (...args: unknown[]) => database((db as D1Database).withSession(...(args as [string])));
        const value = Reflect.get(db, prop, db);
        return typeof value === "function" ? value.bind(db) : value;
      },
    });
  return database(real);
}
