/** Reading what the usage recorder stored (the D1 sink's usage_events) for one workspace. */
import { queryRows } from "../helpers/db";

export interface StoredPoint {
  kind: string;
  name: string;
  user_id: string;
  plan: string;
  device: string;
  seconds: number;
  day: string;
}

/** Every raw usage point of a workspace, oldest first. */
export function usageOf(tenantId: string, kind?: string): Promise<StoredPoint[]> {
  return kind
    ? queryRows<StoredPoint>(
        "SELECT kind, name, user_id, plan, device, seconds, day FROM usage_events WHERE tenant_id = ? AND kind = ? ORDER BY id",
        tenantId,
        kind,
      )
    : queryRows<StoredPoint>(
        "SELECT kind, name, user_id, plan, device, seconds, day FROM usage_events WHERE tenant_id = ? ORDER BY id",
        tenantId,
      );
}
