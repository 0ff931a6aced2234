/**
 * Which tables a move copies, derived from the erasure's list of every table with a tenant_id column
 * (TENANT_TABLES, which test/closure checks against the schema): a new table moves with its workspace
 * unless it is named here as control data or as derived. test/shards/tables.test.ts checks both lists
 * against the schema.
 */
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../../db/schema";
import { TENANT_TABLES } from "../privacy/erasure-steps";
import { CONTROL_TABLES } from "./control-tables";

export { CONTROL_TABLES };

type TenantTable = (typeof TENANT_TABLES)[number];

/**
 * Tables that triggers keep up from other tables (the report aggregates of migration 0020): copying
 * a workspace's records makes their rows on the target, so a move checks them and never copies them.
 */
export const DERIVED_TABLES: Record<string, string> = {
  report_open_deals: "deals' triggers",
  report_deal_outcomes: "deals' triggers",
  report_stage_days: "deal_stage_history's triggers",
  report_activity_days: "interactions', notes' and tasks' triggers",
  report_contact_days: "contacts' triggers",
};

/** Each table's parents: the tables its foreign keys name (from the Drizzle schema). */
const PARENTS = new Map(
  (Object.values(schema) as unknown[])
    .filter((v): v is SQLiteTable => v instanceof SQLiteTable)
    .map((table) => {
      const config = getTableConfig(table);
      return [config.name, config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name)] as const;
    }),
);

/**
 * Tables a move copies, parents before children, so every copied row's foreign keys hold: TENANT_TABLES
 * reversed (it lists most children first), then each table held back until its parents are placed.
 */
export const MOVED_TABLES: readonly TenantTable[] = (() => {
  const left = [...TENANT_TABLES].reverse().filter((t) => !(t in CONTROL_TABLES) && !(t in DERIVED_TABLES));
  const order: TenantTable[] = [];
  while (left.length > 0) {
    const i = left.findIndex((t) =>
      (PARENTS.get(t) ?? []).every(
        (p) => p === t || order.includes(p as TenantTable) || !left.includes(p as TenantTable),
      ),
    );
    if (i === -1) throw new Error(`foreign keys in a cycle: ${left.join(", ")}`);
    order.push(...left.splice(i, 1));
  }
  return order;
})();

/** Tables whose rows a move checks on both sides: the copied ones and the derived ones. */
export const VERIFIED_TABLES: readonly TenantTable[] = [
  ...MOVED_TABLES,
  ...TENANT_TABLES.filter((t) => t in DERIVED_TABLES),
];

/** Tables the old copy is deleted from, children first (as the erasure empties them). */
export const DELETED_TABLES: readonly TenantTable[] = TENANT_TABLES.filter((t) => !(t in CONTROL_TABLES));

/** `"name"`, for a table or column name taken from the schema (never from a request). */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
