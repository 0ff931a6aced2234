/** Tenant-level facts, always scoped by tenant id. */
import { count, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, tenants, users } from "../../db/schema";

export interface TenantOverview {
  name: string;
  createdAt: number;
  memberCount: number;
}

/** The workspace summary the dashboard shows, in one query. */
export async function getTenantOverview(db: Database, tenantId: string): Promise<TenantOverview | null> {
  const [row] = await db
    .select({ name: tenants.name, createdAt: tenants.createdAt, memberCount: count(memberships.userId) })
    .from(tenants)
    .leftJoin(memberships, eq(memberships.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
    .groupBy(tenants.id);
  return row ?? null;
}

/** The members of a tenant with their emails and roles, owner first. */
export async function listMembers(db: Database, tenantId: string) {
  return db
    .select({
      userId: memberships.userId,
      email: users.email,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(
      sql`CASE ${memberships.role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 ELSE 3 END`,
      users.email,
    );
}
