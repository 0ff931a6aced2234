/** Fault injection: bindings that fail the way a real outage would. */

/** A D1 binding whose every query fails, as during an outage. */
export function failingDatabase(): D1Database {
  const fail = () => {
    throw new Error("D1_ERROR: simulated outage (test fault injection)");
  };
  const session = { prepare: fail, batch: fail, exec: fail, getBookmark: () => null };
  return { ...session, dump: fail, withSession: () => session } as unknown as D1Database;
}
