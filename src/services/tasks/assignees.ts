/**
 * Who a task may be given to: a member, admin or owner of the workspace (a viewer can never complete one), with the
 * zone a task given to them is reminded in, and the hand-over of a member's tasks to the owner when they leave or
 * become a viewer.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships, tasks, tenants, users } from "../../db/schema";

/** The roles that may be given a task. */
const ASSIGNABLE = ["member", "admin", "owner"] as const;

/**
 * A member's zone (their own, else the workspace's), or null when they are not a member; with `assignable`, also null
 * for a viewer.
 */
export async function memberZone(t: TenantDb, userId: string, assignable = false): Promise<string | null> {
  const [row] = await t.db
    .select({ zone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      t.where(
        memberships,
        eq(memberships.userId, userId),
        assignable ? inArray(memberships.role, [...ASSIGNABLE]) : undefined,
      ),
    )
    .limit(1);
  return row?.zone ?? null;
}

/**
 * The statement giving a member's tasks in this workspace to its owner, for a removal's batch (or, `openOnly`, the open
 * ones for a change to viewer: the done ones stay theirs); `guard`: only while it holds when the batch runs (the
 * change's membership still as it read it).
 */
export function reassignToOwnerStatement(t: TenantDb, userId: string, guard?: SQL, openOnly = false) {
  return t.update(
    tasks,
    {
      assigneeId: sql`(SELECT m.user_id FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.role = 'owner')`,
    },
    and(
      eq(tasks.assigneeId, userId),
      openOnly ? eq(tasks.status, "open") : undefined,
      sql`EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.role = 'owner' AND m.user_id <> ${userId})`,
      guard,
    ),
  );
}
