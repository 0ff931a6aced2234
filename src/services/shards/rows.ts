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
  /** WITHOUT ROWID tables (the report aggregates) have no rowid to delete by. */
  withoutRowid: boolean;
  /** How a workspace's rows are paged in an index's own order (pagerOf). */
  pager: Pager;
  /** The columns of each UNIQUE index other than the primary key (plain columns, not partial). */
  uniques: string[][];
}

/**
 * A workspace's rows in the order of an index that starts with tenant_id, so a page starts where the last ended:
 * `tenant_id = ? AND (columns…) > (cursor…)`. Paged by rowid instead, SQLite sorted all of the workspace's rows of
 * the table by rowid for every page (test/db/plans.isolated.test.ts).
 */
export interface Pager {
  /** The index's columns after tenant_id, then rowid when `withRowid`; all NOT NULL. */
  columns: string[];
  withRowid: boolean;
  /** The index named to SQLite (INDEXED BY), or null for the primary key. */
  index: string | null;
}

const shapes = new Map<string, TableShape>();

/** The table's shape, read once per isolate (every database has the same schema: test/shards/schema.test.ts). */
export async function shapeOf(db: D1Database, table: string): Promise<TableShape> {
  const known = shapes.get(table);
  if (known) return known;
  const { results } = await db
    .prepare(
      `SELECT 'c' AS kind, name, pk, cid AS n, "notnull" AS required, NULL AS sql FROM pragma_table_info(?1)
       UNION ALL SELECT 'f', "from", 0, id, 0, NULL FROM pragma_foreign_key_list(?1) WHERE "table" = 'users'
       UNION ALL SELECT 'w', name, 0, 0, 0, NULL FROM sqlite_master WHERE name = ?1 AND sql LIKE '%WITHOUT ROWID%'
       UNION ALL SELECT 'x', name, 0, 0, 0, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL
       ORDER BY kind, n, name`,
    )
    .bind(table)
    .all<{ kind: string; name: string; pk: number; required: number; sql: string | null }>();
  const columns = results.filter((r) => r.kind === "c");
  if (columns.length === 0) throw new Error(`no table ${table}`);
  const pk = columns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  if (pk.length === 0) throw new Error(`${table} has no primary key: a move could not match its rows`);
  const withoutRowid = results.some((r) => r.kind === "w");
  const required = new Set(columns.filter((c) => c.required || c.pk > 0).map((c) => c.name));
  const indexes = results.filter((r) => r.kind === "x").map((r) => ({ name: r.name, sql: r.sql! }));
  const shape: TableShape = {
    name: table,
    columns: columns.map((c) => c.name),
    pk,
    userColumns: results.filter((r) => r.kind === "f").map((r) => r.name),
    withoutRowid,
    pager: pagerOf(pk, withoutRowid, required, indexes),
    uniques: indexes
      .filter((i) => /^CREATE UNIQUE INDEX/i.test(i.sql))
      .map((i) => indexColumns(i.sql))
      .filter((c): c is string[] => c !== null && c.join() !== pk.join()),
  };
  shapes.set(table, shape);
  return shape;
}

/**
 * The primary key when it starts with tenant_id (or the table has no rowid); else the narrowest index on
 * tenant_id and NOT NULL columns, then rowid (its entries' order); else rowid alone, which sorts.
 */
function pagerOf(pk: string[], withoutRowid: boolean, required: Set<string>, indexes: { name: string; sql: string }[]) {
  if (withoutRowid || pk[0] === "tenant_id")
    return { columns: pk[0] === "tenant_id" ? pk.slice(1) : pk, withRowid: false, index: null };
  const candidates = indexes
    .map((i) => ({ name: i.name, columns: indexColumns(i.sql) }))
    .filter((i): i is { name: string; columns: string[] } => i.columns?.[0] === "tenant_id")
    .filter((i) => i.columns.slice(1).every((c) => required.has(c)))
    .sort((a, b) => a.columns.length - b.columns.length || a.name.localeCompare(b.name));
  const best = candidates[0];
  return best
    ? { columns: best.columns.slice(1), withRowid: true, index: best.name }
    : { columns: [], withRowid: true, index: null };
}

/** The columns of a CREATE INDEX on plain columns; null for a partial index or one on expressions. */
function indexColumns(sql: string): string[] | null {
  const m = /\(([^()]*)\)\s*$/.exec(sql);
  if (!m) return null;
  const names = m[1]!.split(",").map((c) => c.trim().replace(/^[`"[](.*)[`"\]]$/, "$1"));
  return names.every((n) => /^\w+$/.test(n)) ? names : null;
}

/** A page cursor: the last row's pager columns (src/services/shards/rows.ts, Pager). */
export type Cursor = unknown[] | null;

export interface Page {
  rows: Row[];
  /** Where the next page starts; null when this page was the last. */
  next: Cursor;
}

const list = (names: string[]) => names.map(quoted).join(", ");
const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** The workspace's rows after `after`, in the pager's order, at most `limit`. */
export async function readPage(
  db: D1Database,
  shape: TableShape,
  tenantId: string,
  after: Cursor,
  limit: number,
): Promise<Page> {
  const { columns, withRowid, index } = shape.pager;
  const keys = [...columns.map(quoted), ...(withRowid ? ["rowid"] : [])];
  // A cursor of another shape (written before a deploy changed the pager) starts the table again: each step is
  // harmless run twice.
  const from = Array.isArray(after) && after.length === keys.length && keys.length > 0 ? after : null;
  const statement = db
    .prepare(
      `SELECT ${withRowid ? `rowid AS "__rowid", ` : ""}* FROM ${quoted(shape.name)}${index ? ` INDEXED BY ${quoted(index)}` : ""}
       WHERE tenant_id = ?${from ? ` AND (${keys.join(", ")}) > (${marks(keys.length)})` : ""}
       ${keys.length ? `ORDER BY ${keys.join(", ")}` : ""} LIMIT ?`,
    )
    .bind(tenantId, ...(from ?? []), limit);
  const rows = (await statement.all<Row>()).results;
  if (rows.length === 0) return { rows, next: null };
  const last = rows.at(-1)!;
  const next: Cursor = [...columns.map((c) => last[c]), ...(withRowid ? [last.__rowid] : [])];
  for (const row of rows) delete row.__rowid;
  // No key after tenant_id: the table holds one row per workspace.
  return { rows, next: rows.length < limit || keys.length === 0 ? null : next };
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

/**
 * Deletes the workspace's rows on `db` that hold one of `rows`' unique values (other than the primary key) under
 * another key: the old copy of a row deleted and made again under a new id since it was copied (a contact trashed,
 * restored and trashed again; a tag deleted and added again), which would otherwise refuse the new row. Such a row
 * is not on the source any more, or is there with other values and is written again later in the same pass; its
 * children on `db` go by cascade and come back when the pass reaches their tables (parents are copied first).
 */
export function clashStatements(db: D1Database, shape: TableShape, tenantId: string, rows: Row[]) {
  if (rows.length === 0) return [];
  return shape.uniques.map((unique) => {
    const n = unique.length;
    const values = rows.map((r) => [...unique.map((c) => r[c]), ...keyOf(shape, r)]);
    const picks = (count: number) => Array.from({ length: count }, (_, i) => `value ->> ${i}`).join(", ");
    return db
      .prepare(
        `DELETE FROM ${quoted(shape.name)} WHERE tenant_id = ?1
         AND (${list(unique)}) IN (SELECT ${picks(n)} FROM json_each(?2))
         AND (${list([...unique, ...shape.pk])}) NOT IN (SELECT ${picks(n + shape.pk.length)} FROM json_each(?2))`,
      )
      .bind(tenantId, JSON.stringify(values));
  });
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
