/**
 * One table's rows of one workspace on one database, for a move: read a page, find rows by primary
 * key, write and delete them, and checksum them. Table and column names come from the schema (the
 * move's table lists and SQLite's pragmas), never from a request; values are always bound. D1 takes at
 * most 100 bound parameters per statement: multi-row inserts are cut to fit, and key lists are bound as
 * one JSON parameter (json_each).
 */
import { quoted } from "./tables";

export type Row = Record<string, unknown>;

export interface TableShape {
  name: string;
  /** In the table's column order. */
  columns: string[];
  /** Primary key columns, in key order. */
  pk: string[];
  /** Columns with a foreign key to users: the target needs a users row for each id they hold. */
  userColumns: string[];
  /** WITHOUT ROWID tables (the report aggregates) are paged by primary key instead of rowid. */
  withoutRowid: boolean;
}

const shapes = new Map<string, TableShape>();

/** The table's shape, read once per isolate (every database has the same schema: test/shards/schema.test.ts). */
export async function shapeOf(db: D1Database, table: string): Promise<TableShape> {
  const known = shapes.get(table);
  if (known) return known;
  const { results } = await db
    .prepare(
      `SELECT 'c' AS kind, name, pk, cid AS n FROM pragma_table_info(?1)
       UNION ALL SELECT 'f', "from", 0, id FROM pragma_foreign_key_list(?1) WHERE "table" = 'users'
       UNION ALL SELECT 'w', name, 0, 0 FROM sqlite_master WHERE name = ?1 AND sql LIKE '%WITHOUT ROWID%'
       ORDER BY kind, n`,
    )
    .bind(table)
    .all<{ kind: string; name: string; pk: number }>();
  const columns = results.filter((r) => r.kind === "c");
  if (columns.length === 0) throw new Error(`no table ${table}`);
  const shape: TableShape = {
    name: table,
    columns: columns.map((c) => c.name),
    pk: columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    userColumns: results.filter((r) => r.kind === "f").map((r) => r.name),
    withoutRowid: results.some((r) => r.kind === "w"),
  };
  if (shape.pk.length === 0) throw new Error(`${table} has no primary key: a move could not match its rows`);
  shapes.set(table, shape);
  return shape;
}

/** A page cursor: the last rowid, or the last primary key of a WITHOUT ROWID table. */
export type Cursor = number | unknown[] | null;

export interface Page {
  rows: Row[];
  /** Where the next page starts; null when this page was the last. */
  next: Cursor;
}

const list = (names: string[]) => names.map(quoted).join(", ");
const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** The workspace's rows after `after`, in rowid order (or key order without a rowid), at most `limit`. */
export async function readPage(
  db: D1Database,
  shape: TableShape,
  tenantId: string,
  after: Cursor,
  limit: number,
): Promise<Page> {
  const t = quoted(shape.name);
  let statement: D1PreparedStatement;
  if (shape.withoutRowid) {
    const keys = list(shape.pk);
    const from = Array.isArray(after) ? `AND (${keys}) > (${marks(after.length)})` : "";
    statement = db
      .prepare(`SELECT * FROM ${t} WHERE tenant_id = ? ${from} ORDER BY ${keys} LIMIT ?`)
      .bind(tenantId, ...(Array.isArray(after) ? after : []), limit);
  } else {
    statement = db
      .prepare(`SELECT rowid AS "__rowid", * FROM ${t} WHERE tenant_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`)
      .bind(tenantId, typeof after === "number" ? after : -1, limit);
  }
  const rows = (await statement.all<Row>()).results;
  if (rows.length === 0) return { rows, next: null };
  const last = rows.at(-1)!;
  const next: Cursor = shape.withoutRowid ? shape.pk.map((k) => last[k]) : (last.__rowid as number);
  for (const row of rows) delete row.__rowid;
  return { rows, next: rows.length < limit ? null : next };
}

/** A row's primary key, as a list of values. */
export const keyOf = (shape: TableShape, row: Row): unknown[] => shape.pk.map((k) => row[k]);

/** The workspace's rows of `shape` whose primary keys are `keys` (one statement, the keys as JSON). */
export async function rowsByKeys(
  db: D1Database,
  shape: TableShape,
  tenantId: string,
  keys: unknown[][],
): Promise<Row[]> {
  if (keys.length === 0) return [];
  const picks = shape.pk.map((_, i) => `value ->> ${i}`).join(", ");
  return (
    await db
      .prepare(
        `SELECT * FROM ${quoted(shape.name)} WHERE tenant_id = ? AND (${list(shape.pk)}) IN (SELECT ${picks} FROM json_each(?))`,
      )
      .bind(tenantId, JSON.stringify(keys))
      .all<Row>()
  ).results;
}

/** D1 returns BLOB values as arrays of bytes; bound again they must be bytes. */
const bindable = (v: unknown) => (Array.isArray(v) ? new Uint8Array(v as number[]) : v);

/**
 * INSERT statements for `rows`, as many rows per statement as fit 100 parameters. An existing row of
 * the same key is kept ("keep": copying again is harmless) or overwritten ("overwrite": the catch-up).
 * The column list always holds tenant_id: every moved table has one.
 */
export function insertStatements(db: D1Database, shape: TableShape, rows: Row[], onConflict: "keep" | "overwrite") {
  const perStatement = Math.max(1, Math.floor(100 / shape.columns.length));
  const others = shape.columns.filter((c) => !shape.pk.includes(c));
  // Integer ids are unique per database only: a key the target holds for another workspace is never
  // written over (the step then finds the row missing and the move rolls back: docs/scale.md, "Ids").
  const action =
    onConflict === "overwrite" && others.length > 0
      ? `DO UPDATE SET ${others.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(", ")}
         WHERE ${quoted(shape.name)}.tenant_id = excluded.tenant_id`
      : "DO NOTHING";
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const values = chunk.map(() => `(${marks(shape.columns.length)})`).join(", ");
    statements.push(
      db
        .prepare(
          `INSERT INTO ${quoted(shape.name)} (${list(shape.columns)}) VALUES ${values} ON CONFLICT (${list(shape.pk)}) ${action}`,
        )
        .bind(...chunk.flatMap((row) => shape.columns.map((c) => bindable(row[c])))),
    );
  }
  return statements;
}

/**
 * Placeholder users rows for the ids `rows` hold in columns with a foreign key to users, so the copied
 * rows' foreign keys hold on the target. They carry no personal data (the real rows stay on the
 * control database) and can never sign in; an existing row (on DB, the real one) is left alone.
 */
export function userAnchorStatements(db: D1Database, shape: TableShape, rows: Row[]): D1PreparedStatement[] {
  const ids = rows.flatMap((r) => shape.userColumns.map((c) => r[c])).filter((v) => typeof v === "string");
  return anchorStatements(db, ids);
}

/** Placeholder users rows (see userAnchorStatements) for these user ids. */
export function anchorStatements(db: D1Database, userIds: string[]): D1PreparedStatement[] {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  return [
    db
      .prepare(
        `INSERT INTO users (id, email, password_hash, age_confirmed_at, terms_accepted_at, created_at, updated_at)
         SELECT value, value || '@anchor.invalid', '!', 0, 0, 0, 0 FROM json_each(?) WHERE true
         ON CONFLICT DO NOTHING`,
      )
      .bind(JSON.stringify(ids)),
  ];
}

/** Deletes the workspace's rows of `shape` with these primary keys. */
export function deleteByKeys(db: D1Database, shape: TableShape, tenantId: string, keys: unknown[][]) {
  const picks = shape.pk.map((_, i) => `value ->> ${i}`).join(", ");
  return db
    .prepare(
      `DELETE FROM ${quoted(shape.name)} WHERE tenant_id = ? AND (${list(shape.pk)}) IN (SELECT ${picks} FROM json_each(?))`,
    )
    .bind(tenantId, JSON.stringify(keys));
}

/** Deletes up to `limit` of the workspace's rows of `shape`; returns how many went (cascades not counted). */
export async function deleteSome(db: D1Database, shape: TableShape, tenantId: string, limit: number): Promise<number> {
  const t = quoted(shape.name);
  const key = shape.withoutRowid ? `(${list(shape.pk)})` : "rowid";
  const keys = shape.withoutRowid ? list(shape.pk) : "rowid";
  const before = await db
    .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${t} WHERE tenant_id = ? LIMIT ?)`)
    .bind(tenantId, limit)
    .first<{ n: number }>();
  if (!before || before.n === 0) return 0;
  await db
    .prepare(`DELETE FROM ${t} WHERE ${key} IN (SELECT ${keys} FROM ${t} WHERE tenant_id = ? LIMIT ?)`)
    .bind(tenantId, limit)
    .run();
  return before.n;
}

/** A running count and checksum of a set of rows, the same whatever order the rows come in. */
export interface Tally {
  rows: number;
  a: number;
  b: number;
}

export const emptyTally = (): Tally => ({ rows: 0, a: 0, b: 0 });

/** Adds rows to a tally: two 32-bit hashes (FNV-1a and a second FNV with another basis) of each row's values, summed. */
export function addRows(tally: Tally, shape: TableShape, rows: Row[]): Tally {
  let { rows: n, a, b } = tally;
  for (const row of rows) {
    const text = JSON.stringify(shape.columns.map((c) => row[c]));
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ ch, 0x5bd1e995) >>> 0;
      h2 ^= h2 >>> 15;
    }
    n += 1;
    a = (a + h1) % 0x100000000;
    b = (b + h2) % 0x100000000;
  }
  return { rows: n, a, b };
}
