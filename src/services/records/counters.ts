/**
 * Per-tenant record counts. Every create and delete puts counterChange() in its own batch, so the
 * counts are exact without ever counting rows (billing limits read them too).
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { tenantCounters } from "../../db/schema";

export type CounterName = "contacts" | "companies" | "notes";

/** An upsert that adds `delta` to the tenant's counters, for a batch. */
export function counterChange(t: TenantDb, delta: Partial<Record<CounterName, number>>) {
  const values = {
    contacts: Math.max(0, delta.contacts ?? 0),
    companies: Math.max(0, delta.companies ?? 0),
    notes: Math.max(0, delta.notes ?? 0),
  };
  return t.insert(tenantCounters, values).onConflictDoUpdate({
    target: tenantCounters.tenantId,
    set: {
      contacts: sql`max(0, ${tenantCounters.contacts} + ${delta.contacts ?? 0})`,
      companies: sql`max(0, ${tenantCounters.companies} + ${delta.companies ?? 0})`,
      notes: sql`max(0, ${tenantCounters.notes} + ${delta.notes ?? 0})`,
    },
  });
}
