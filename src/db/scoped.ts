/**
 * The one seam for tenant scoping. A service that works on one workspace's data takes a TenantDb,
 * never a loose tenant id: every read, update and delete of a tenant table goes through `where()`,
 * `update()` or `delete()`, which put the tenant filter first, and `insert()` writes the tenant id.
 * Raw SQL keeps binding `${t.tenantId}`; test/security/tenant-sql.security.test.ts fails when a raw
 * statement on a tenant table has no tenant_id condition.
 *
 * @example
 *   const t = scoped(db, tenantId);
 *   await t.db.select().from(contacts).where(t.where(contacts, eq(contacts.id, id)));
 *   await t.db.batch([t.update(contacts, { jobTitle }, eq(contacts.id, id)), t.delete(notes, eq(notes.id, noteId))]);
 */
import { and, eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteInsertValue, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** A table of the schema that belongs to one tenant (it has a tenant_id column). */
export type TenantTable = SQLiteTable & { tenantId: SQLiteColumn };

/** One workspace's view of the database. */
export interface TenantDb {
  /** The database that holds the workspace's records: DB, or its shard (src/services/shards/workspace-db.ts). */
  readonly db: Database;
  /** The control database (users, sessions, memberships, billing, the directory); `db` itself when the workspace lives on DB. */
  readonly control: Database;
  readonly tenantId: string;
  /** The tenant filter of `table`, and-ed with the other conditions (undefined ones are skipped). */
  where(table: TenantTable, ...conditions: (SQL | undefined)[]): SQL;
  /** `UPDATE table SET values WHERE tenant_id = ? AND conditions`, as a builder (awaitable, or for a batch). */
  update<T extends TenantTable>(
    table: T,
    values: SQLiteUpdateSetSource<T>,
    ...conditions: (SQL | undefined)[]
  ): ReturnType<ReturnType<ReturnType<Database["update"]>["set"]>["where"]>;
  /** `DELETE FROM table WHERE tenant_id = ? AND conditions`, as a builder. */
  delete<T extends TenantTable>(
    table: T,
    ...conditions: (SQL | undefined)[]
  ): ReturnType<ReturnType<Database["delete"]>["where"]>;
  /** `INSERT INTO table` with tenant_id set on every row, as a builder. */
  insert<T extends TenantTable>(
    table: T,
    values: Omit<SQLiteInsertValue<T>, "tenantId"> | Omit<SQLiteInsertValue<T>, "tenantId">[],
  ): ReturnType<ReturnType<Database["insert"]>["values"]>;
}

/** The handle for one workspace, whose records are on `db` (on the control database unless `control` says otherwise). */
export function scoped(db: Database, tenantId: string, control: Database = db): TenantDb {
  const where = (table: TenantTable, ...conditions: (SQL | undefined)[]) =>
    and(eq(table.tenantId, tenantId), ...conditions) as SQL;
  return {
    db,
    control,
    tenantId,
    where,
    update: (table, values, ...conditions) =>
      db
        .update(table)
        .set(values)
        .where(where(table, ...conditions)),
    delete: (table, ...conditions) => db.delete(table).where(where(table, ...conditions)),
    insert: (table, values) => {
      const rows = (Array.isArray(values) ? values : [values]).map((v) => ({ ...v, tenantId }));
      return db.insert(table).values(rows as SQLiteInsertValue<typeof table>[]);
    },
  };
}
