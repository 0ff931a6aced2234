/**
 * `cloudflare:test` for the Node test run: the helpers the workerd tests use (execution contexts, a
 * scheduled controller, a message batch and its outcome, migrations), on the Node platform.
 */
import { executionContext } from "../../src/platform/node/platform";

export type D1Migration = { name: string; queries: string[] };

export function createExecutionContext(): ExecutionContext {
  return executionContext();
}

export async function waitOnExecutionContext(ctx: ExecutionContext): Promise<void> {
  await (ctx as ExecutionContext & { settled(): Promise<void> }).settled();
}

export function createScheduledController(
  options: { scheduledTime?: number; cron?: string } = {},
): ScheduledController {
  return { scheduledTime: options.scheduledTime ?? Date.now(), cron: options.cron ?? "* * * * *", noRetry() {} };
}

/** Migrations are applied by the `cloudflare:workers` shim when it opens the database. */
export async function applyD1Migrations(): Promise<void> {}

interface Outcome {
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds?: number }[];
  ackAll: boolean;
  retryBatch: { retry: boolean; delaySeconds?: number };
}

const outcomes = new WeakMap<MessageBatch<unknown>, Outcome>();

export function createMessageBatch<Body>(
  queue: string,
  messages: Omit<Message<Body>, "ack" | "retry">[],
): MessageBatch<Body> {
  const outcome: Outcome = { explicitAcks: [], retryMessages: [], ackAll: false, retryBatch: { retry: false } };
  const batch: MessageBatch<Body> = {
    queue,
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    messages: messages.map((m) => ({
      ...m,
      ack: () => outcome.explicitAcks.push(m.id),
      retry: (o?: QueueRetryOptions) => outcome.retryMessages.push({ msgId: m.id, delaySeconds: o?.delaySeconds }),
    })),
    ackAll: () => {
      outcome.ackAll = true;
    },
    retryAll: (o?: QueueRetryOptions) => {
      outcome.retryBatch = { retry: true, delaySeconds: o?.delaySeconds };
    },
  };
  outcomes.set(batch as MessageBatch<unknown>, outcome);
  return batch;
}

export async function getQueueResult(batch: MessageBatch<unknown>, ctx: ExecutionContext) {
  await waitOnExecutionContext(ctx);
  const o = outcomes.get(batch)!;
  return { outcome: "ok", ...o };
}
