/**
 * A user's own usage data for "Download my data" (account/usage.json): their raw usage points still held
 * (USAGE_RETENTION.rawEventDays) and their daily aggregates, in every workspace they were recorded in.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isoTime } from "../export/serialise";

const PAGE = 1000;

interface UsageRow {
  id: number;
  workspace: string | null;
  day: string;
  kind: string;
  name: string;
  device: string;
  plan: string;
  count: number;
  seconds: number;
  created_at?: number;
}

/** The user's raw usage points, then their daily aggregates, a page (one query) at a time. */
export async function* usagePages(db: Database, userId: string): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const rows = await db.all<UsageRow>(sql`
      SELECT /* all tenants: the user's own usage, in every workspace it was recorded in */
        e.id, t.name AS workspace, e.day, e.kind, e.name, e.device, e.plan, 1 AS count, e.seconds, e.created_at
      FROM usage_events e LEFT JOIN tenants t ON t.id = e.tenant_id
      WHERE e.user_id = ${userId} AND e.id > ${after} ORDER BY e.id LIMIT ${PAGE}`);
    yield rows.map((r) => ({ record: "event", ...fields(r), at: isoTime(r.created_at!) }));
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  after = 0;
  for (;;) {
    const rows = await db.all<UsageRow>(sql`
      SELECT /* all tenants: the user's own usage, in every workspace it was recorded in */
        d.id, t.name AS workspace, d.day, d.kind, d.name, d.device, d.plan, d.count, d.seconds
      FROM usage_daily d LEFT JOIN tenants t ON t.id = d.tenant_id
      WHERE d.user_id = ${userId} AND d.id > ${after} ORDER BY d.id LIMIT ${PAGE}`);
    yield rows.map((r) => ({ record: "daily", ...fields(r) }));
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}

function fields(r: UsageRow) {
  return {
    workspace: r.workspace,
    day: r.day,
    kind: r.kind,
    name: r.name,
    device: r.device,
    plan: r.plan,
    count: r.count,
    seconds: r.seconds,
  };
}
