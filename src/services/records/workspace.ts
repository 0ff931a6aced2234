/** What the record forms read about the workspace: its members (possible owners) and its phone region. */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { memberships, tenants, users } from "../../db/schema";

export interface Member {
  userId: string;
  email: string;
}

/** The tenant's members (possible owners), by email. */
export async function listOwners(t: TenantDb): Promise<Member[]> {
  return ownersQuery(t);
}

/** The query behind listOwners, for batches. */
export function ownersQuery(t: TenantDb) {
  return t.db
    .select({ userId: memberships.userId, email: users.email })
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
