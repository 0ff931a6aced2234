/**
 * A local libSQL file for the D1 facade (src/platform/node/d1-libsql.ts), on the `libsql` driver that
 * `@libsql/client` itself runs for `file:` URLs, with one difference: each statement text is prepared once
 * and kept. The client prepares every statement again and builds a named-property row object per row; on a
 * contacts page that was most of its SQL time (docs/benchmarks.md). A `sqld` server keeps the client.
 */
import Database from "libsql";
import type { SqlResult, SqlRunner, SqlStatement } from "./d1-libsql";

type Statement = ReturnType<InstanceType<typeof Database>["prepare"]>;

/** Statement texts kept prepared. The app's texts are fixed (values are bound), but `IN (?, ?, …)` lists vary. */
const CACHED_STATEMENTS = 500;

export class LocalLibsqlRunner implements SqlRunner {
  private db: InstanceType<typeof Database> | null = null;
  private readonly statements = new Map<string, { stmt: Statement; columns: string[] | null }>();

  constructor(private readonly file: string) {}

  /** Opened at the first statement: the platform applies its migrations (and WAL mode) on its client first. */
  private connection(): InstanceType<typeof Database> {
    if (this.db) return this.db;
    // Waits up to 5 s (milliseconds here) for another connection's write, e.g. `npm run db:migrate:node` beside it.
    const db = new Database(this.file, { timeout: 5000 });
    // As the platform's client connection is set (src/node/server.ts): WAL commits without an fsync each.
    db.exec("PRAGMA synchronous=NORMAL");
    this.db = db;
    return db;
  }

  private prepared(sql: string) {
    const hit = this.statements.get(sql);
    if (hit) {
      // Most recently used last, so the oldest is the first to go.
      this.statements.delete(sql);
      this.statements.set(sql, hit);
      return hit;
    }
    const stmt = this.connection().prepare(sql);
    const entry = { stmt, columns: stmt.reader ? stmt.columns().map((c) => c.name) : null };
    if (entry.columns) stmt.raw(true);
    if (this.statements.size >= CACHED_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, entry);
    return entry;
  }

  private run(s: SqlStatement): SqlResult {
    const { stmt, columns } = this.prepared(s.sql);
    const args = s.args.map((v) => (v instanceof ArrayBuffer ? Buffer.from(v) : v));
    if (columns) return { columns, rows: stmt.all(args) as unknown[][], rowsAffected: 0 };
    const info = stmt.run(args);
    return { columns: [], rows: [], rowsAffected: info.changes, lastInsertRowid: Number(info.lastInsertRowid) };
  }

  async execute(s: SqlStatement): Promise<SqlResult> {
    return this.run(s);
  }

  /** One write transaction, as a D1 batch is; synchronous, so nothing else runs between its statements. */
  async batch(statements: SqlStatement[]): Promise<SqlResult[]> {
    const db = this.connection();
    db.exec("BEGIN IMMEDIATE");
    try {
      const results = statements.map((s) => this.run(s));
      db.exec("COMMIT");
      return results;
    } catch (err) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw err;
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.connection().exec(sql);
    // A schema change may change what a kept `SELECT *` returns.
    this.statements.clear();
  }

  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }
}
