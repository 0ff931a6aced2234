/** Tenant-level facts, always scoped by tenant id. */
import { count, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, tenants } from "../db/schema";

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
