/**
 * A workspace's handle on the database the directory says holds its records, with the control database beside
 * it (docs/scale.md). Work that runs for one workspace outside a request (queue steps, erasure, a member
 * joining) opens it here, so it reaches the workspace's rows wherever a move put them.
 */
import { sql } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import { scoped, type TenantDb } from "../../db/scoped";
import type { Bindings } from "../../env";
import type { ErasureTarget } from "../privacy/erasure";
import { databaseOf, isDatabaseName } from "./databases";
import { shardOf } from "./directory";
import { anchorStatements } from "./rows";

/**
 * The workspace's handle (its records on its database, `control` the control database: one directory read), and
 * whether a move has frozen its writes (its catch-up must see every one).
 */
export async function workspacePlacement(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
): Promise<{ t: TenantDb; moving: boolean }> {
  const { shard, state } = await shardOf(control, tenantId);
  const t =
    shard === "DB"
      ? scoped(control, tenantId)
      : scoped(createDb(databaseOf(env as Bindings, shard)), tenantId, control);
  return { t, moving: state === "moving" };
}

/**
 * Every database that may hold the workspace's records, for its erasure: the directory's, then both ends of a
 * move not finished (a copy may be on its way there, or an old one not yet cleaned). One read on control.
 */
export async function erasureTargetOf(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
): Promise<ErasureTarget> {
  const rows = await control.all<{ name: string }>(
    sql`SELECT shard AS name FROM workspace_shards WHERE tenant_id = ${tenantId}
        UNION ALL SELECT source FROM shard_moves WHERE tenant_id = ${tenantId} AND status NOT IN ('done', 'failed')
        UNION ALL SELECT target FROM shard_moves WHERE tenant_id = ${tenantId} AND status NOT IN ('done', 'failed')`,
  );
  const names = [...new Set(rows.map((r) => r.name).filter(isDatabaseName))];
  // No entry: the workspace lives on DB, where every workspace lived before shards.
  const records = (names.length ? names : ["DB" as const]).map((name) =>
    name === "DB" ? control : createDb(databaseOf(env as Bindings, name)),
  );
  return { tenantId, control, records };
}

/**
 * A placeholder users row for a member joining a workspace whose records are on a shard, written before the
 * membership: the member's first record there (as owner, author or assignee) then meets its foreign key.
 */
export async function anchorMember(
  env: Pick<Bindings, "DB"> & Partial<Bindings>,
  control: Database,
  tenantId: string,
  userId: string,
): Promise<void> {
  const { shard } = await shardOf(control, tenantId);
  if (shard === "DB") return;
  const db = databaseOf(env as Bindings, shard);
  await db.batch(anchorStatements(db, [userId]));
}
