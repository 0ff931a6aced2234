/**
 * A D1 session whose first call to the database carries extra statements in front of the caller's, in the
 * same batch: one round trip for both. The API's reads use it to check the key alongside the route's first
 * query (src/routes/api/guard.ts). Later calls go straight through.
 *
 * A single statement's `raw()` answered from a batch maps each row's columns by name, as drizzle does with
 * every batch (drizzle-orm/d1): two columns of one name would collapse, so statements are named uniquely.
 */
type Session = Pick<D1Database, "prepare" | "batch">;

export interface Piggyback {
  /** The session to hand the route. */
  session: Session;
  /** The extra statements' results: from the first call's batch, or from a batch of their own if none came. */
  results(): Promise<D1Result[]>;
}

export function piggyback(inner: Session, extra: D1PreparedStatement[]): Piggyback {
  let sent: Promise<D1Result[]> | null = null;
  /** Sends `statements`, with the extra ones in front the first time. */
  const send = (statements: D1PreparedStatement[]): Promise<D1Result[]> => {
    if (sent) return inner.batch(statements);
    const both = inner.batch([...extra, ...statements]);
    // Should the caller's statements fail the batch, the extra ones are sent again on their own.
    sent = both.then(
      (r) => r.slice(0, extra.length),
      () => inner.batch(extra),
    );
    return both.then((r) => r.slice(extra.length));
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    // Only the first call is diverted; a statement prepared before it and run after goes straight through.
    const once = <T>(direct: () => Promise<T>, folded: (r: D1Result) => T) =>
      sent ? direct() : send([stmt]).then((r) => folded(r[0]!));
    const wrapped = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      all: () =>
        once(
          () => stmt.all(),
          (r) => r,
        ),
      run: () =>
        once(
          () => stmt.run(),
          (r) => r,
        ),
      first: (column?: string) =>
        once(
          () => (column === undefined ? stmt.first() : stmt.first(column)),
          (r) => {
            const row = (r.results[0] ?? null) as Record<string, unknown> | null;
            return column === undefined || row === null ? row : (row[column] ?? null);
          },
        ),
      raw: (options?: { columnNames?: boolean }) =>
        options?.columnNames
          ? stmt.raw({ columnNames: true })
          : once(
              () => stmt.raw(),
              (r) => (r.results as Record<string, unknown>[]).map((row) => Object.values(row)),
            ),
      [INNER]: stmt,
    };
    return wrapped as unknown as D1PreparedStatement;
  };
  const unwrap = (s: D1PreparedStatement) => (s as unknown as { [INNER]?: D1PreparedStatement })[INNER] ?? s;
  return {
    session: {
      prepare: (query: string) => wrap(inner.prepare(query)),
      batch: <T>(statements: D1PreparedStatement[]) => send(statements.map(unwrap)) as Promise<D1Result<T>[]>,
    },
    results: () => {
      sent ??= inner.batch(extra);
      return sent;
    },
  };
}

const INNER = Symbol("inner statement");
