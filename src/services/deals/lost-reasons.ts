/**
 * The reasons a workspace offers when a deal is lost, edited at /app/settings/pipelines: add, rename,
 * reorder, remove. Deals keep the reason's text, not its id, so renaming or removing a reason never
 * changes what a lost deal says.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { rawBatchResults } from "../../db/raw-batch";
import { lostReasons } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { refusingTakenName } from "../../lib/unique-name";
import { dealSettingsAudit as audit, movedOrder, type Direction, type NameChange } from "./pipelines";

export interface LostReason {
  id: number;
  name: string;
}

const REASON_TAKEN = "This reason is on the list already.";

/** The workspace's lost reasons in their order. */
export async function listLostReasons(t: TenantDb): Promise<LostReason[]> {
  return t.db
    .select({ id: lostReasons.id, name: lostReasons.name })
    .from(lostReasons)
    .where(t.where(lostReasons))
    .orderBy(asc(lostReasons.position), asc(lostReasons.id));
}

/** A lost reason of the workspace, or null. */
export async function getLostReason(t: TenantDb, id: number): Promise<LostReason | null> {
  const [row] = await t.db
    .select({ id: lostReasons.id, name: lostReasons.name })
    .from(lostReasons)
    .where(t.where(lostReasons, eq(lostReasons.id, id)))
    .limit(1);
  return row ?? null;
}

/** Adds a reason at the end of the list; one already there (any case) is refused. */
export async function addLostReason(t: TenantDb, actor: Actor, name: string): Promise<NameChange> {
  return refusingTakenName<NameChange>(REASON_TAKEN, async () => {
    const [rows] = await t.db.batch([
      t.db
        .insert(lostReasons)
        .values({
          tenantId: t.tenantId,
          name,
          nameKey: name.toLowerCase(),
          position: sql`(SELECT coalesce(max(position) + 1, 0) FROM lost_reasons WHERE tenant_id = ${t.tenantId})`,
          createdAt: actor.now,
        })
        .returning({ id: lostReasons.id }),
      audit(t, actor, "lost_reason.created", { label: name }),
    ]);
    return { ok: true, id: rows[0]!.id };
  });
}

/** Renames a reason (lost deals keep the text they were given). Null when not the workspace's. */
export async function renameLostReason(
  t: TenantDb,
  actor: Actor,
  id: number,
  name: string,
): Promise<NameChange | null> {
  const before = await getLostReason(t, id);
  if (!before) return null;
  if (before.name === name) return { ok: true, id };
  return refusingTakenName<NameChange>(REASON_TAKEN, async () => {
    await t.db.batch([
      t.update(lostReasons, { name, nameKey: name.toLowerCase() }, eq(lostReasons.id, id)),
      audit(t, actor, "lost_reason.updated", { id, label: name }, { from: before.name }),
    ]);
    return { ok: true, id };
  });
}

/** Moves a reason one place up or down. False when not the workspace's. */
export async function moveLostReason(t: TenantDb, actor: Actor, id: number, direction: Direction): Promise<boolean> {
  const all = await listLostReasons(t);
  const reason = all.find((r) => r.id === id);
  if (!reason) return false;
  const order = movedOrder(
    all.map((r) => r.id),
    id,
    direction,
  );
  await rawBatchResults(t.db, [
    sql`UPDATE lost_reasons SET position = (SELECT j.key FROM json_each(${order}) j
        WHERE j.value = lost_reasons.id)
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT value FROM json_each(${order}))`,
    audit(t, actor, "lost_reason.moved", { id, label: reason.name }, { direction }),
  ]);
  return true;
}

/** Removes a reason from the list; deals lost for it keep its text. False when not the workspace's. */
export async function removeLostReason(t: TenantDb, actor: Actor, id: number): Promise<boolean> {
  const reason = await getLostReason(t, id);
  if (!reason) return false;
  await t.db.batch([
    t.delete(lostReasons, eq(lostReasons.id, id)),
    audit(t, actor, "lost_reason.deleted", { id, label: reason.name }),
  ]);
  return true;
}
