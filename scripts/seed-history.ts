/**
 * The demo workspace's past, so the dashboard's charts and the reports have something to show on a first
 * `npm run dev`: deals won and lost over the last twelve months, and calls, meetings and emails logged over the
 * last twelve weeks, written through the app's own services (the report triggers count them as they would).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client";
import { scoped } from "../src/db/scoped";
import { createDeal } from "../src/services/deals/write";
import { closeDeal } from "../src/services/deals/outcome";
import { logInteraction } from "../src/services/interactions/interactions";

const DAY = 86_400_000;
const REASONS = ["Price", "Went with a competitor", "No budget"];

export async function seedDemoHistory(db: Database, tenantId: string, userIds: string[], now: number) {
  const t = scoped(db, tenantId);
  const [stage] = await db.all<{ id: number; pipeline_id: number }>(
    sql`SELECT id, pipeline_id FROM pipeline_stages WHERE tenant_id = ${tenantId} ORDER BY position LIMIT 1`,
  );
  const people = await db.all<{ id: number }>(sql`SELECT id FROM contacts WHERE tenant_id = ${tenantId} ORDER BY id`);
  if (!stage) return;
  for (let i = 0; i < 18; i += 1) {
    const ownerId = userIds[i % userIds.length]!;
    const closedAt = now - (i * 19 + 5) * DAY;
    const closedOn = new Date(closedAt).toISOString().slice(0, 10);
    // Created weeks before it closed, so the time-in-stage report has stays to average.
    const actor = { userId: ownerId, ip: null, userAgent: null, now: closedAt - (10 + ((i * 7) % 30)) * DAY };
    const id = await createDeal(
      t,
      actor,
      {
        name: `Past deal ${i + 1}`,
        amountMinor: (((i * 37) % 11) + 4) * 50_000,
        currency: "USD",
        closeDate: closedOn,
        ownerId,
        companyId: null,
        pipelineId: stage.pipeline_id,
        stageId: stage.id,
        contacts: [],
        tagIds: [],
        newTag: null,
        customValues: new Map(),
      },
      stage.pipeline_id,
    );
    await closeDeal(
      t,
      { ...actor, now: closedAt },
      id,
      i % 3 === 2 ? { status: "lost", closedOn, reason: REASONS[i % REASONS.length]! } : { status: "won", closedOn },
    );
  }
  const kinds = ["call", "meeting", "email"] as const;
  for (let i = 0; i < 36 && people.length > 0; i += 1) {
    const userId = userIds[i % userIds.length]!;
    await logInteraction(
      t,
      { userId, role: "owner" },
      "contact",
      people[i % people.length]!.id,
      {
        kind: kinds[i % 3]!,
        occurredAt: now - ((i * 37) % 84) * DAY - 3_600_000,
        durationMinutes: 15 + (i % 4) * 15,
        outcome: i % 3 === 0 ? "connected" : null,
        notes: null,
      },
      now + 700 + i,
    );
  }
}
