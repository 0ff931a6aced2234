/**
 * The demo workspace's last twelve weeks of usage, so the reports' team usage and the staff console's product
 * usage have something to show on a first `npm run dev`: page views, features and visible time of its members,
 * written through the development sink and rolled up by the rollup the cron runs.
 */
import type { Database } from "../src/db/client";
import { FEATURE_EVENT_NAMES, type UsagePoint } from "../src/services/usage/definitions";
import { rollUpDay } from "../src/services/usage/rollup";
import { d1UsageSink } from "../src/services/usage/sink";

const DAY = 86_400_000;
const PAGES = [
  "/app",
  "/app/contacts",
  "/app/contacts/:id",
  "/app/deals",
  "/app/deals/:id",
  "/app/tasks",
  "/app/reports",
];

export async function seedDemoUsage(db: Database, d1: D1Database, tenantId: string, userIds: string[], now: number) {
  const sink = d1UsageSink(d1);
  for (let back = 84; back >= 1; back -= 1) {
    const at = now - back * DAY;
    const day = new Date(at).toISOString().slice(0, 10);
    const weekday = new Date(at).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const points: UsagePoint[] = [];
    // Not everyone every day: the active-members chart moves.
    const present = userIds.filter((_, i) => (back + i * 3) % 5 !== 0);
    for (const [i, userId] of present.entries()) {
      const device: UsagePoint["device"] = i === 2 ? "mobile" : "desktop";
      const base = { tenantId, userId, plan: "free" as const, day, device, at };
      for (let k = 0; k < 3; k += 1) {
        const name = PAGES[(back * 5 + i * 2 + k) % PAGES.length]!;
        points.push({ ...base, kind: "page", name, seconds: 0 });
        points.push({
          ...base,
          device: base.device as UsagePoint["device"],
          kind: "time",
          name,
          seconds: 40 + ((back * 13 + k * 7) % 200),
        });
      }
      const feature = FEATURE_EVENT_NAMES[(back + i * 4) % FEATURE_EVENT_NAMES.length]!;
      points.push({ ...base, kind: "feature", name: feature, seconds: 0 });
    }
    await sink.write(points);
    await rollUpDay(db, day, now);
  }
}
