/**
 * Integer ids (contacts, deals, tags, …) come from each table's AUTOINCREMENT sequence, per database.
 * A move keeps ids (URLs, the API, mentions and webhook payloads hold them), so two databases handing
 * out the same ids would make moves collide. Each database therefore counts from its own range: DB from
 * 1, SHARD_i from (i + 1) × 2^40 (2^53, JavaScript's exact integers, leaves room for 8,191 shards).
 * AUTOINCREMENT never hands out an id below its high-water mark, so ids moved from DB to a shard never
 * meet the shard's own, nor DB's later ones. (A move from a higher range to a lower raises the lower's
 * sequence into the higher's range; the move's collision check refuses what would collide.)
 */
import { type DatabaseName, SHARD_NAMES } from "./databases";

const RANGE = 2 ** 40;

/** The first id of a database's range, minus one (the sequence value it starts from). */
export function idRangeStart(name: DatabaseName): number {
  return name === "DB" ? 0 : (SHARD_NAMES.indexOf(name) + 1) * RANGE;
}

/**
 * Raises every AUTOINCREMENT sequence of the database to its range start (never lowers one). Idempotent;
 * run by the hourly measure and before a move writes to a database. Returns the queries it made (a read,
 * then a batch of two statements per table).
 */
export async function ensureIdRange(db: D1Database, name: DatabaseName): Promise<number> {
  const start = idRangeStart(name);
  if (start === 0) return 0;
  const { results } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'")
    .all<{ name: string }>();
  const statements = results.flatMap(({ name: table }) => [
    db
      .prepare(
        "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
      )
      .bind(table, start, table),
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?").bind(start, table, start),
  ]);
  // A database not migrated yet has no such table (D1 refuses an empty batch): its range is set once it is.
  if (statements.length) await db.batch(statements);
  return 1 + statements.length;
}
