/**
 * Driving background jobs by hand: a queue binding that holds what the app sends until the test
 * delivers it to the Worker's real queue consumer, or drops it (as a stopped `wrangler dev` loses its
 * messages), and the real cron with a chosen clock.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import type { JobMessage } from "../../src/jobs";
import { runCron as runWorkerCron } from "../helpers/cron";

/** A Queue binding that keeps every message until the test hands it on; `refuse` makes it fail as an outage would. */
export class HeldQueue {
  held: JobMessage[] = [];
  refuse = false;

  async send(body: JobMessage): Promise<void> {
    if (this.refuse) throw new Error("queue unavailable (test fault injection)");
    this.held.push(body);
  }

  async sendBatch(messages: Iterable<{ body: JobMessage }>): Promise<void> {
    if (this.refuse) throw new Error("queue unavailable (test fault injection)");
    const batch = [...messages];
    // As the Queue: a batch holds at most 100 messages.
    if (batch.length > 100) throw new Error(`sendBatch takes at most 100 messages, not ${batch.length}`);
    for (const m of batch) this.held.push(m.body);
  }

  /** Takes the oldest held message of one job (an import's or an export's id); the rest stay. */
  takeOne(jobId: string): JobMessage | undefined {
    const i = this.held.findIndex((m) => jobOf(m) === jobId);
    return i === -1 ? undefined : this.held.splice(i, 1)[0];
  }

  /** The held messages of one job, left in place. */
  of(jobId: string): JobMessage[] {
    return this.held.filter((m) => jobOf(m) === jobId);
  }
}

export const jobOf = (m: JobMessage) =>
  "importId" in m
    ? m.importId
    : "exportId" in m
      ? m.exportId
      : "deliveryId" in m
        ? m.deliveryId
        : "moveId" in m
          ? m.moveId
          : m.bulkJobId;

export type JobEnv = typeof env;

/** The bindings the app runs with in these tests: the held queue, and one import chunk per step. */
export function jobEnv(queue: HeldQueue, extra: Partial<Cloudflare.Env> = {}): JobEnv {
  return { ...env, JOBS: queue, IMPORT_STEP_CHUNKS: "1", ...extra } as unknown as JobEnv;
}

/** Delivers one message to the Worker's queue consumer, as the Queue does; true when it was acknowledged. */
export async function deliver(bindings: JobEnv, body: JobMessage): Promise<boolean> {
  const batch = createMessageBatch<JobMessage>("customertrackr-jobs", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await (worker.queue as (b: MessageBatch<JobMessage>, e: unknown, x: ExecutionContext) => Promise<void>)(
    batch,
    bindings,
    ctx,
  );
  const result = await getQueueResult(batch, ctx);
  return result.explicitAcks.length === 1;
}

/**
 * Delivers a job's held messages, and those its steps send, until none is left. `drop` picks messages
 * that are lost instead (counted per type from 1: `drop(m, 2)` is the second message of m's type).
 * Returns the messages dropped.
 */
export async function drain(
  queue: HeldQueue,
  bindings: JobEnv,
  jobId: string,
  drop: (m: JobMessage, nthOfType: number) => boolean = () => false,
): Promise<JobMessage[]> {
  const seen = new Map<string, number>();
  const dropped: JobMessage[] = [];
  for (let i = 0; i < 500; i += 1) {
    const next = queue.takeOne(jobId);
    if (!next) return dropped;
    const n = (seen.get(next.type) ?? 0) + 1;
    seen.set(next.type, n);
    if (drop(next, n)) dropped.push(next);
    else await deliver(bindings, next);
  }
  throw new Error(`job ${jobId} still sends messages after 500 deliveries`);
}

/** The cron's clock: each run at least three minutes after the last and after now, so silent jobs are due. */
export class CronClock {
  private at = Date.now();
  next(): number {
    this.at = Math.max(this.at, Date.now()) + 3 * 60_000;
    return this.at;
  }
}

/** Runs the Worker's scheduled handler as the Cron Trigger does, at `at`. */
export async function runCron(bindings: JobEnv, at: number): Promise<void> {
  await runWorkerCron(at, bindings);
}
