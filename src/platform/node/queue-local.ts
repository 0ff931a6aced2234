/**
 * Queue in process: send/sendBatch as the Queue binding takes them, delivered one message per batch
 * (max_batch_size = 1 in wrangler.toml) to a consumer that is the Worker's own queue() handler. At
 * least once: a message the consumer neither acks nor finishes is retried with a growing delay, up
 * to maxRetries, then dropped with a logged line. Messages live in memory; after a restart the job
 * watchdog in the cron re-sends the steps that were waiting, as it does for a lost Queue message.
 */
import { randomUUID } from "node:crypto";
import { errorText } from "../../lib/error-text";

type Consumer<Body> = (batch: MessageBatch<Body>) => Promise<void>;

interface Pending<Body> {
  id: string;
  body: Body;
  timestamp: Date;
  attempts: number;
}

export interface LocalQueueOptions {
  name?: string;
  /** Deliveries after the first before a message is dropped (wrangler.toml's max_retries). */
  maxRetries?: number;
  /** Messages handled at once. */
  concurrency?: number;
}

export class LocalQueue<Body = unknown> {
  private consumer: Consumer<Body> | null = null;
  private readonly ready: Pending<Body>[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  readonly name: string;
  private readonly maxRetries: number;
  private readonly concurrency: number;

  constructor(options: LocalQueueOptions = {}) {
    this.name = options.name ?? "jobs";
    this.maxRetries = options.maxRetries ?? 10;
    this.concurrency = options.concurrency ?? 1;
  }

  /** Sets the consumer; messages sent before it was set are delivered now. */
  consume(consumer: Consumer<Body>): void {
    this.consumer = consumer;
    this.pump();
  }

  async send(body: Body, options: QueueSendOptions = {}): Promise<void> {
    // A Queue stores a copy: what the sender changes afterwards is not what the consumer gets.
    const message = { id: randomUUID(), body: structuredClone(body), timestamp: new Date(), attempts: 1 };
    this.schedule(message, options.delaySeconds ?? 0);
  }

  async sendBatch(messages: Iterable<MessageSendRequest<Body>>, options: QueueSendBatchOptions = {}): Promise<void> {
    for (const m of messages) await this.send(m.body, { delaySeconds: m.delaySeconds ?? options.delaySeconds });
  }

  /** Resolves when nothing is waiting to run or running (delayed messages still count as waiting). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops delivering; what was not delivered is dropped (the watchdog re-sends it after a restart). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
  }

  private isIdle(): boolean {
    return this.running === 0 && this.ready.length === 0 && this.timers.size === 0;
  }

  private schedule(message: Pending<Body>, delaySeconds: number): void {
    if (this.stopped) return;
    if (delaySeconds <= 0) {
      this.ready.push(message);
      queueMicrotask(() => this.pump());
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready.push(message);
      this.pump();
    }, delaySeconds * 1000);
    // A delayed retry must not keep a finished process (or a test run) alive.
    timer.unref?.();
    this.timers.add(timer);
  }

  private pump(): void {
    while (this.consumer && !this.stopped && this.running < this.concurrency && this.ready.length > 0) {
      const message = this.ready.shift()!;
      this.running += 1;
      void this.deliver(this.consumer, message).finally(() => {
        this.running -= 1;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async deliver(consumer: Consumer<Body>, message: Pending<Body>): Promise<void> {
    let outcome: { ack: true } | { retry: number } | null = null;
    const handle: Message<Body> = {
      id: message.id,
      timestamp: message.timestamp,
      body: message.body,
      attempts: message.attempts,
      ack: () => {
        outcome ??= { ack: true };
      },
      retry: (options?: QueueRetryOptions) => {
        outcome ??= { retry: options?.delaySeconds ?? backoff(message.attempts) };
      },
    };
    const batch: MessageBatch<Body> = {
      queue: this.name,
      messages: [handle],
      metadata: {
        metrics: {
          backlogCount: this.ready.length + this.timers.size,
          backlogBytes: 0,
          oldestMessageTimestamp: message.timestamp,
        },
      },
      ackAll: () => handle.ack(),
      retryAll: (options?: QueueRetryOptions) => handle.retry(options),
    };
    try {
      await consumer(batch);
      outcome ??= { ack: true };
    } catch (err) {
      console.error(JSON.stringify({ type: "queue_consumer_failed", queue: this.name, error: errorText(err) }));
      outcome ??= { retry: backoff(message.attempts) };
    }
    if ("ack" in outcome) return;
    if (message.attempts > this.maxRetries) {
      console.error(JSON.stringify({ type: "queue_message_dropped", queue: this.name, attempts: message.attempts }));
      return;
    }
    this.schedule({ ...message, attempts: message.attempts + 1 }, outcome.retry);
  }
}

/** The delay before another try when the consumer named none: 2, 4, 8 ... seconds, at most 5 minutes. */
const backoff = (attempts: number) => Math.min(300, 2 ** attempts);
