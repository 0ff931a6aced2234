/**
 * D1Database over libSQL: the subset of the D1 binding the app uses (prepare/bind/first/all/run/raw,
 * batch, exec, withSession), with D1's result shapes, so drizzle-orm/d1 and the services' direct
 * `$client.prepare` calls run unchanged on Node. A batch is one libSQL "write" transaction, as a D1
 * batch is one transaction.
 */
import type { Client, InArgs, InValue, ResultSet } from "@libsql/client";

type Bound = readonly unknown[];

/** D1 binds null, numbers, strings, booleans (as 0/1) and bytes; anything else is its D1_TYPE_ERROR. */
function toLibsqlValue(value: unknown): InValue {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`D1_TYPE_ERROR: Type '${typeof value}' not supported for value '${String(value)}'`);
}

/** D1 reads a BLOB as an array of byte values (drizzle's blob columns accept that). */
function fromLibsqlValue(value: unknown): unknown {
  return value instanceof ArrayBuffer ? Array.from(new Uint8Array(value)) : value;
}

/** libSQL's error, worded as D1 words it ("D1_ERROR: UNIQUE constraint failed: ..."), the original as cause. */
function d1Error(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`D1_ERROR: ${message.replace(/^(SQLITE_\w+: )+/, "")}`, { cause: err });
}

function rowObjects(rs: ResultSet): Record<string, unknown>[] {
  return rs.rows.map((row) => {
    const out: Record<string, unknown> = {};
    rs.columns.forEach((name, i) => {
      out[name] = fromLibsqlValue(row[i]);
    });
    return out;
  });
}

function d1Result<T>(rs: ResultSet, started: number): D1Result<T> {
  return {
    success: true,
    results: rowObjects(rs) as T[],
    meta: {
      duration: performance.now() - started,
      size_after: 0,
      rows_read: rs.rows.length,
      rows_written: rs.rowsAffected,
      last_row_id: rs.lastInsertRowid === undefined ? 0 : Number(rs.lastInsertRowid),
      changed_db: rs.rowsAffected > 0,
      changes: rs.rowsAffected,
    },
  };
}

export class LibsqlPreparedStatement {
  constructor(
    private readonly client: Client,
    readonly sql: string,
    readonly params: Bound = [],
  ) {}

  bind(...values: unknown[]): LibsqlPreparedStatement {
    return new LibsqlPreparedStatement(this.client, this.sql, values);
  }

  /** The statement as libSQL takes it (batch() runs several of these in one transaction). */
  get libsql(): { sql: string; args: InArgs } {
    return { sql: this.sql, args: this.params.map(toLibsqlValue) };
  }

  private async execute(): Promise<ResultSet> {
    try {
      return await this.client.execute(this.libsql);
    } catch (err) {
      throw d1Error(err);
    }
  }

  async all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    const started = performance.now();
    return d1Result<T>(await this.execute(), started);
  }

  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.all<T>();
  }

  async first<T = unknown>(column?: string): Promise<T | null> {
    const rows = rowObjects(await this.execute());
    const row = rows[0];
    if (!row) return null;
    if (column === undefined) return row as T;
    if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
    return row[column] as T;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const rs = await this.execute();
    const rows = rs.rows.map((row) => rs.columns.map((_, i) => fromLibsqlValue(row[i])));
    return (options?.columnNames ? [rs.columns, ...rows] : rows) as T[];
  }
}

/**
 * The D1Database a Node server binds as DB. Sessions exist for read replicas, which one libSQL
 * database has none of: withSession() hands back the same database, and no bookmark.
 */
export class LibsqlD1Database {
  constructor(readonly client: Client) {}

  prepare(sql: string): LibsqlPreparedStatement {
    return new LibsqlPreparedStatement(this.client, sql);
  }

  async batch<T = unknown>(statements: LibsqlPreparedStatement[]): Promise<D1Result<T>[]> {
    if (statements.length === 0) return [];
    const started = performance.now();
    let results: ResultSet[];
    try {
      results = await this.client.batch(
        statements.map((s) => s.libsql),
        "write",
      );
    } catch (err) {
      throw d1Error(err);
    }
    return results.map((rs) => d1Result<T>(rs, started));
  }

  async exec(sql: string): Promise<D1ExecResult> {
    const started = performance.now();
    try {
      await this.client.executeMultiple(sql);
    } catch (err) {
      throw d1Error(err);
    }
    const count = sql.split("\n").filter((line) => line.trim() !== "").length;
    return { count, duration: performance.now() - started };
  }

  withSession(_constraintOrBookmark?: string): LibsqlD1Session {
    return new LibsqlD1Session(this);
  }

  dump(): Promise<ArrayBuffer> {
    throw new Error("D1 dump() is not offered on libSQL; copy the database file instead");
  }
}

export class LibsqlD1Session {
  constructor(private readonly db: LibsqlD1Database) {}

  prepare(sql: string): LibsqlPreparedStatement {
    return this.db.prepare(sql);
  }

  batch<T = unknown>(statements: LibsqlPreparedStatement[]): Promise<D1Result<T>[]> {
    return this.db.batch<T>(statements);
  }

  getBookmark(): string | null {
    return null;
  }
}

/** The facade typed as the binding the app declares (src/env.ts), where the two differ only in generics. */
export function d1OverLibsql(client: Client): D1Database {
  return new LibsqlD1Database(client) as unknown as D1Database;
}
