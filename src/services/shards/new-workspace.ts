/**
 * A new workspace on a shard (docs/scale.md, "Placement"). Its records side is written first, in one batch on the
 * shard: its tenants row, its owner (an id-only users row until the copy below) and membership, its default
 * pipeline. Then the control database's batch creates the workspace itself (the caller's: tenant, owner, session,
 * directory entry). Should that fail, the shard's part is taken back; once it succeeds the owner's copy is filled
 * in (src/services/shards/mirror.ts). So a workspace exists on both or, as far as anyone can reach, on neither.
 */
import { sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import { memberships, tenants } from "../../db/schema";
import type { Bindings } from "../../env";
import { defaultPipelineStatements } from "../deals/defaults";
import { boundDatabases, databaseOf, type DatabaseName, isDatabaseName } from "./databases";
import { ensureIdRange } from "./id-ranges";
import { forgetWorkspaceStatements } from "./mirror";

type PlacementBindings = Pick<Bindings, "DB"> & Partial<Bindings>;

/**
 * The databases new workspaces may be placed on: PLACEMENT_TARGETS (binding names, comma-separated; the rule in
 * placement-rule.ts picks among them), else DB alone. Names not bound here are left out.
 */
export function placementTargets(env: PlacementBindings): DatabaseName[] {
  const bound = new Set(boundDatabases(env as Bindings));
  const named = (env.PLACEMENT_TARGETS ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => isDatabaseName(n) && bound.has(n)) as DatabaseName[];
  return named.length ? [...new Set(named)] : ["DB"];
}

export interface NewWorkspace {
  tenantId: string;
  name: string;
  timeZone: string;
  ownerId: string;
  now: number;
}

/** Writes the workspace's records side on `shard`; returns how to take it back. Nothing on DB. */
export async function openOnShard(
  env: PlacementBindings,
  shard: DatabaseName,
  w: NewWorkspace,
): Promise<() => Promise<void>> {
  if (shard === "DB") return async () => {};
  const d1 = databaseOf(env as Bindings, shard);
  const db = createDb(d1);
  // Its ids must come from the shard's own range (docs/scale.md, "Ids"), even before the first hourly measure.
  await ensureIdRange(d1, shard);
  await runRawBatch(db, [
    sql`INSERT INTO users (id, email, password_hash, age_confirmed_at, terms_accepted_at, created_at, updated_at)
        VALUES (${w.ownerId}, ${`${w.ownerId}@anchor.invalid`}, '!', 0, 0, 0, 0) ON CONFLICT DO NOTHING`,
    db
      .insert(tenants)
      .values({ id: w.tenantId, name: w.name, timeZone: w.timeZone, createdAt: w.now, updatedAt: w.now }),
    db
      .insert(memberships)
      .values({ tenantId: w.tenantId, userId: w.ownerId, role: "owner", createdAt: w.now, updatedAt: w.now }),
    ...defaultPipelineStatements(w.tenantId, w.now),
  ]);
  return async () => {
    await d1.batch(forgetWorkspaceStatements(d1, w.tenantId));
  };
}
