/**
 * D1Database over libSQL: the subset of the D1 binding the app uses (prepare/bind/first/all/run/raw,
 * batch, exec, withSession), with D1's result shapes, so drizzle-orm/d1 and the services' direct
 * `$client.prepare` calls run unchanged on Node. A batch is one libSQL "write" transaction, as a D1
 * batch is one transaction.
 */
import type { Client, InValue, ResultSet } from "@libsql/client";
import { LocalLibsqlRunner } from "./libsql-local";

type Bound = readonly unknown[];

/** A statement as libSQL takes it. */
export interface SqlStatement {
  sql: string;
  args: InValue[];
}

/** A statement's answer: rows as arrays, in `columns`' order. */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid?: number;
}

/** What the facade needs of a libSQL connection: a statement, several in one write transaction, a script. */
export interface SqlRunner {
  execute(statement: SqlStatement): Promise<SqlResult>;
  batch(statements: SqlStatement[]): Promise<SqlResult[]>;
  executeMultiple(sql: string): Promise<void>;
}

/** A libSQL server (`sqld`, or any URL) through `@libsql/client`. */
function clientRunner(client: Client): SqlRunner {
  const result = (rs: ResultSet): SqlResult => ({
    columns: rs.columns,
    rows: rs.rows.map((row) => Array.from(row as ArrayLike<unknown>)),
    rowsAffected: rs.rowsAffected,
    lastInsertRowid: rs.lastInsertRowid === undefined ? undefined : Number(rs.lastInsertRowid),
  });
  return {
    execute: async (s) => result(await client.execute(s)),
    batch: async (statements) => (await client.batch(statements, "write")).map(result),
    executeMultiple: (sql) => client.executeMultiple(sql),
  };
}

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
  if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
  return value instanceof Uint8Array ? Array.from(value) : value;
}

/** libSQL's error, worded as D1 words it ("D1_ERROR: UNIQUE constraint failed: ..."), the original as cause. */
function d1Error(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`D1_ERROR: ${message.replace(/^(SQLITE_\w+: )+/, "")}`, { cause: err });
}

function rowObjects(rs: SqlResult): Record<string, unknown>[] {
  const { columns } = rs;
  return rs.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) out[columns[i]!] = fromLibsqlValue(row[i]);
    return out;
  });
}

function d1Result<T>(rs: SqlResult, started: number): D1Result<T> {
  return {
    success: true,
    results: rowObjects(rs) as T[],
    meta: {
      duration: performance.now() - started,
      size_after: 0,
      rows_read: rs.rows.length,
      rows_written: rs.rowsAffected,
      last_row_id: rs.lastInsertRowid ?? 0,
      changed_db: rs.rowsAffected > 0,
      changes: rs.rowsAffected,
    },
  };
}

export class LibsqlPreparedStatement {
  constructor(
    private readonly runner: SqlRunner,
    readonly sql: string,
    readonly params: Bound = [],
  ) {}

  bind(...values: unknown[]): LibsqlPreparedStatement {
    return new LibsqlPreparedStatement(this.runner, this.sql, values);
  }

  /** The statement as libSQL takes it (batch() runs several of these in one transaction). */
  get libsql(): SqlStatement {
    return { sql: this.sql, args: this.params.map(toLibsqlValue) };
  }

  private async execute(): Promise<SqlResult> {
    try {
      return await this.runner.execute(this.libsql);
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
  constructor(readonly runner: SqlRunner) {}

  prepare(sql: string): LibsqlPreparedStatement {
    return new LibsqlPreparedStatement(this.runner, sql);
  }

  async batch<T = unknown>(statements: LibsqlPreparedStatement[]): Promise<D1Result<T>[]> {
    if (statements.length === 0) return [];
    const started = performance.now();
    let results: SqlResult[];
    try {
      results = await this.runner.batch(statements.map((s) => s.libsql));
    } catch (err) {
      throw d1Error(err);
    }
    return results.map((rs) => d1Result<T>(rs, started));
  }

  async exec(sql: string): Promise<D1ExecResult> {
    const started = performance.now();
    try {
      await this.runner.executeMultiple(sql);
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
  return new LibsqlD1Database(clientRunner(client)) as unknown as D1Database;
}

/** The facade over a local libSQL file, its statements kept prepared (src/platform/node/libsql-local.ts). */
export function d1OverLocalFile(file: string): { db: D1Database; close(): void } {
  const runner = new LocalLibsqlRunner(file);
  return { db: new LibsqlD1Database(runner) as unknown as D1Database, close: () => runner.close() };
}
