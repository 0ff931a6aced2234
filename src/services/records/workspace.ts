/** What the record forms read about the workspace: its members (possible owners) and its phone region. */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships, tenants, users, type Role } from "../../db/schema";

export interface Member {
  userId: string;
  email: string;
  /** Their role, where the list says it (a task is never given to a viewer). */
  role?: Role;
}

/** The tenant's members (possible owners), by email. */
export async function listOwners(t: TenantDb): Promise<Member[]> {
  return ownersQuery(t);
}

/** The query behind listOwners, for batches. */
export function ownersQuery(t: TenantDb) {
  return t.db
    .select({ userId: memberships.userId, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(t.where(memberships))
    .orderBy(asc(users.email));
}

/** The tenant's region for reading national phone numbers ("US" when unset). */
export async function tenantRegion(t: TenantDb): Promise<string> {
  const [row] = await t.db
    .select({ region: tenants.defaultRegion })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
  return row?.region ?? "US";
}
