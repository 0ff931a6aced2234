/**
 * Sends the Queue messages of due deliveries, run by the every-minute cron (src/cron.ts) and, right after
 * a write, for that workspace (dispatchWorkspace). A new delivery (never queued) is sent at once; one whose
 * message should have run SILENT_MS ago and did not (lost, or its consumer died mid-attempt) is sent
 * again. Claiming is one UPDATE ... RETURNING, so two overlapping sweeps never send the same delivery;
 * a duplicate message would find it claimed or done anyway (deliver.ts).
 */
import { and, eq, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import { webhookDeliveries } from "../../db/schema";
import type { Bindings } from "../../env";
import { boundDatabases, eachDatabase } from "../shards/databases";
import { webhookMessage } from "./deliver";

/** A delivery whose message is this late is sent again. */
export const SILENT_MS = 2 * 60_000;
/** Messages one claim sends at most (a Queue sendBatch takes 100). */
const PER_RUN = 100;
/**
 * Claims one cron run makes per database: 2,000 messages a minute. One bulk request of 1,000 contacts to a
 * workspace with an endpoint makes 1,000 deliveries; at 100 a minute they, and every other workspace's behind
 * them, waited ten minutes.
 */
export const ROUNDS = 20;

/**
 * Pending and due: never queued, or queued and silent since its time. Written as the partial index's condition,
 * with the bound both cases share on its own: inside the OR alone, SQLite walked every pending delivery.
 */
const due = (now: number): SQL =>
  and(
    sql`${webhookDeliveries.status} = 'pending'`,
    lte(webhookDeliveries.nextAttemptAt, now),
    or(isNull(webhookDeliveries.queuedAt), lte(webhookDeliveries.nextAttemptAt, now - SILENT_MS)),
  )!;

/** Claims up to PER_RUN due deliveries (of one workspace when `tenantId` is given) and sends their messages. */
export async function dispatchDue(
  db: Database,
  jobs: Bindings["JOBS"],
  now: number,
  tenantId?: string,
): Promise<number> {
  const scope = tenantId === undefined ? sql`1` : eq(webhookDeliveries.tenantId, tenantId);
  const oldest = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(due(now), scope))
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(PER_RUN);
  // The message's time is now: a lost one is looked at again SILENT_MS later.
  const claimed = await db
    .update(webhookDeliveries)
    .set({ queuedAt: now, nextAttemptAt: now, updatedAt: now })
    .where(and(inArray(webhookDeliveries.id, oldest), due(now)))
    .returning({ id: webhookDeliveries.id, tenantId: webhookDeliveries.tenantId });
  if (claimed.length === 0) return 0;
  try {
    await jobs.sendBatch(claimed.map((row) => ({ body: webhookMessage(row) })));
  } catch (err) {
    // They stay pending: the next sweep after SILENT_MS sends them again.
    throw new Error(`the queue refused ${claimed.length} webhook deliveries: ${String(err).slice(0, 300)}`);
  }
  return claimed.length;
}

/**
 * dispatchDue on every bound database: deliveries live with their workspace's records (docs/scale.md). A shard
 * that fails is logged and the others go on, as in the retention job; DB failing fails the sweep.
 */
export async function dispatchDueEverywhere(env: Bindings, now: number): Promise<number> {
  let queued = 0;
  await eachDatabase(env, boundDatabases(env), "webhook_sweep_database_failed", async (db) => {
    const database = createDb(db);
    for (let round = 0; round < ROUNDS; round += 1) {
      const sent = await dispatchDue(database, env.JOBS, now);
      queued += sent;
      if (sent < PER_RUN) break;
    }
  });
  return queued;
}
