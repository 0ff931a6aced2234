/**
 * Workspace settings that admins manage: the default phone region and (owners only) the workspace's
 * name. Each change and its audit entry go in one batch. Tags and custom fields: services/records/.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { tenants } from "../../db/schema";
import { isRegion } from "../../lib/phone";
import { auditInsert, type AuditAction } from "../audit/audit";

export interface SettingsActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  now: number;
}

function audit(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  action: AuditAction,
  target: { type: string; id?: number | string; label?: string },
  detail?: Record<string, string | number | boolean | null>,
) {
  return auditInsert(db, {
    tenantId,
    actorUserId: actor.userId,
    action,
    targetType: target.type,
    targetId: target.id === undefined ? undefined : String(target.id),
    targetLabel: target.label,
    detail,
    ip: actor.ip,
    userAgent: actor.userAgent,
    now: actor.now,
  });
}

// ---- The workspace ------------------------------------------------------------------------------------

export interface WorkspaceSettings {
  name: string;
  defaultRegion: string;
}

/** The tenant's name and default phone region. */
export async function getWorkspaceSettings(db: Database, tenantId: string): Promise<WorkspaceSettings | null> {
  const [row] = await db
    .select({ name: tenants.name, defaultRegion: tenants.defaultRegion })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return row ?? null;
}

/**
 * Changes the default phone region and, when given (owners only: the route decides), the name.
 * Returns the changed settings' names (none: nothing was written).
 */
export async function updateWorkspaceSettings(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  input: { defaultRegion: string; name?: string },
): Promise<string[]> {
  if (!isRegion(input.defaultRegion)) throw new Error("updateWorkspaceSettings: not a region");
  const before = await getWorkspaceSettings(db, tenantId);
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
  await db.batch([
    db
      .update(tenants)
      .set({ ...set, updatedAt: actor.now })
      .where(eq(tenants.id, tenantId)),
    audit(
      db,
      tenantId,
      actor,
      "workspace.updated",
      { type: "workspace", id: tenantId, label: input.name ?? before.name },
      detail,
    ),
  ]);
  return changed;
}
