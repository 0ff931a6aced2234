/**
 * The sink is chosen once from the bindings: Analytics Engine in production (a recording stand-in for the
 * platform's dataset here), D1 elsewhere, including when the dataset is bound locally.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { UsagePoint } from "../../src/services/usage/definitions";
import { usageSinkFor } from "../../src/services/usage/sink";
import { countRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";

function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => points.push(p!) } };
}

const point = (tenantId: string): UsagePoint => ({
  kind: "time",
  name: "/app/deals/:id",
  tenantId,
  userId: "user-1",
  plan: "team",
  day: "2027-01-02",
  device: "tablet",
  seconds: 12,
  at: Date.parse("2027-01-02T10:00:00Z"),
});

describe("the usage sink", () => {
  it("writes to Analytics Engine in production, one data point per point, and nothing to D1", async () => {
    const t = await newTenant("Sink Production Co");
    const ae = recordingDataset();
    const sink = usageSinkFor({ DB: env.DB, USAGE: ae.dataset as AnalyticsEngineDataset, ENVIRONMENT: "production" });
    await sink.write([point(t.tenantId), point(t.tenantId)]);
    expect(ae.points).toEqual([
      {
        blobs: ["time", "/app/deals/:id", t.tenantId, "user-1", "team", "2027-01-02", "tablet"],
        doubles: [1, 12],
        indexes: [t.tenantId],
      },
      expect.anything(),
    ]);
    expect(await countRows("usage_events", "tenant_id = ?", t.tenantId)).toBe(0);
  });

  it("writes to D1 outside production, even with the dataset bound (wrangler dev's is a no-op)", async () => {
    const t = await newTenant("Sink Development Co");
    const ae = recordingDataset();
    const sink = usageSinkFor({ DB: env.DB, USAGE: ae.dataset as AnalyticsEngineDataset, ENVIRONMENT: "development" });
    await sink.write(Array.from({ length: 25 }, () => point(t.tenantId)));
    expect(ae.points).toEqual([]);
    // 25 points: more than one statement's 100 parameters, still one batch.
    expect(await countRows("usage_events", "tenant_id = ? AND seconds = 12", t.tenantId)).toBe(25);
  });

  it("writes to Analytics Engine outside production when USAGE_SINK asks (the bench measures production's path)", async () => {
    const t = await newTenant("Sink Bench Co");
    const ae = recordingDataset();
    const sink = usageSinkFor({
      DB: env.DB,
      USAGE: ae.dataset as AnalyticsEngineDataset,
      ENVIRONMENT: "development",
      USAGE_SINK: "analytics-engine",
    });
    await sink.write([point(t.tenantId)]);
    expect(ae.points).toHaveLength(1);
    expect(await countRows("usage_events", "tenant_id = ?", t.tenantId)).toBe(0);
  });
});
