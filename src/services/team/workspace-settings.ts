/**
 * Workspace settings that admins manage: the default phone region and (owners only) the workspace's
 * name. Each change and its audit entry go in one batch. Tags and custom fields: services/records/.
 */
import { eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { tenants } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { isRegion } from "../../lib/phone";
import { auditInsert } from "../audit/audit";

// ---- The workspace ------------------------------------------------------------------------------------

export interface WorkspaceSettings {
  name: string;
  defaultRegion: string;
}

/** The workspace's name, or null when it is gone. */
export async function workspaceName(t: TenantDb): Promise<string | null> {
  const [row] = await t.db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return row?.name ?? null;
}

/** The workspace's name and default phone region. */
export async function getWorkspaceSettings(t: TenantDb): Promise<WorkspaceSettings | null> {
  const [row] = await t.db
    .select({ name: tenants.name, defaultRegion: tenants.defaultRegion })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
  return row ?? null;
}

/**
 * Changes the default phone region and, when given (owners only: the route decides), the name.
 * Returns the changed settings' names (none: nothing was written).
 */
export async function updateWorkspaceSettings(
  t: TenantDb,
  actor: Actor,
  input: { defaultRegion: string; name?: string },
): Promise<string[]> {
  if (!isRegion(input.defaultRegion)) throw new Error("updateWorkspaceSettings: not a region");
  const before = await getWorkspaceSettings(t);
  if (!before) return [];
  const set: Partial<WorkspaceSettings> = {};
  const detail: Record<string, string> = {};
  if (input.defaultRegion !== before.defaultRegion) {
    set.defaultRegion = input.defaultRegion;
    detail.default_region = `${before.defaultRegion} → ${input.defaultRegion}`;
  }
  if (input.name !== undefined && input.name !== before.name) {
    set.name = input.name;
    detail.name = `${before.name} → ${input.name}`;
  }
  const changed = Object.keys(set);
  if (changed.length === 0) return [];
  await t.db.batch([
    t.db
      .update(tenants)
      .set({ ...set, updatedAt: actor.now })
      .where(eq(tenants.id, t.tenantId)),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "workspace.updated",
      targetType: "workspace",
      targetId: t.tenantId,
      targetLabel: input.name ?? before.name,
      detail,
      ...actor,
    }),
  ]);
  return changed;
}
