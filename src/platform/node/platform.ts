/**
 * The Node platform, chosen once at start: the Worker's bindings built from Node implementations
 * (DB: libSQL, FILES: the disk, JOBS: an in-process queue, mail: the HTTP provider, webhooks: a fetch that
 * refuses internal addresses) and the Worker's
 * own handlers wired to them (queue() consumes JOBS, scheduled() runs every minute). Nothing else in
 * the app knows which platform it runs on.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { type Client, createClient } from "@libsql/client";
import type { Bindings } from "../../env";
import type { JobMessage } from "../../jobs";
import type { WebhookMessage } from "../../services/webhooks/deliver";
import { type CronTimer, startCronTimer } from "./cron-timer";
import { isProduction } from "../../lib/dev-tools";
import { d1OverLibsql, d1OverLocalFile } from "./d1-libsql";
import { guardedFetch } from "./guarded-fetch";
import { LocalQueue } from "./queue-local";
import { r2OnDisk } from "./r2-disk";
import { errorText } from "../../lib/error-text";

/** Queue messages the in-process consumer handles at once. */
export const QUEUE_CONCURRENCY = 4;

/** How long close() waits for running jobs and the cron's run before it closes the database anyway. */
export const CLOSE_WAIT_MS = 30_000;

export interface NodePlatformOptions {
  /** Settings as the Worker reads them ([vars], .dev.vars, the process environment). */
  vars: Record<string, string | undefined>;
  /** Where files (and the default database file) are kept. */
  dataDir: string;
  /** A libSQL URL (file:, libsql:, http(s):); default a file in dataDir. */
  libsqlUrl?: string;
  libsqlAuthToken?: string;
}

export interface NodePlatform {
  env: Bindings;
  client: Client;
  jobs: LocalQueue<JobMessage>;
  /** Starts delivering jobs to the worker's queue() and, unless cron is false, its scheduled() every minute. */
  run(worker: WorkerHandlers, opts?: { cron?: boolean }): void;
  /** Stops taking work, waits (up to `waitMs`, default CLOSE_WAIT_MS) for what runs, then closes the database. */
  close(opts?: { waitMs?: number }): Promise<void>;
}

/** The handlers src/index.ts exports, as Node calls them. */
/**
 * The JOBS binding over two lanes: webhook deliveries in one of their own, so a backlog of them (the sweep queues
 * up to 2,000 a minute, each up to 15 s against a slow receiver) never holds an import's or export's next step;
 * and a delivery already waiting in its lane is not queued again (the sweep re-sends those silent for minutes).
 * `started` is told when a delivery's message starts, after which a new message for it is queued again.
 */
export function lanedJobs(jobs: LocalQueue<JobMessage>, deliveries: LocalQueue<JobMessage>) {
  const waiting = new Set<string>();
  const deliveryOf = (body: JobMessage) =>
    body.type === "webhooks.deliver" ? `${body.tenantId}/${(body as WebhookMessage).deliveryId}` : null;
  const send = async (body: JobMessage, options: QueueSendOptions = {}) => {
    const id = deliveryOf(body);
    if (id === null) return jobs.send(body, options);
    if (waiting.has(id)) return;
    waiting.add(id);
    return deliveries.send(body, options);
  };
  return {
    binding: {
      send,
      async sendBatch(messages: Iterable<MessageSendRequest<JobMessage>>, options: QueueSendBatchOptions = {}) {
        for (const m of messages) await send(m.body, { delaySeconds: m.delaySeconds ?? options.delaySeconds });
      },
    } as unknown as Queue<JobMessage>,
    started(body: JobMessage) {
      const id = deliveryOf(body);
      if (id !== null) waiting.delete(id);
    },
  };
}

export interface WorkerHandlers {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response>;
  queue(batch: MessageBatch<JobMessage>, env: Bindings, ctx: ExecutionContext): Promise<void>;
  scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void>;
}

/** Whether webhooks may reach this machine's network: only by asking, and never in production. */
export function allowPrivateWebhooks(vars: Record<string, string | undefined>): boolean {
  return vars.ALLOW_PRIVATE_WEBHOOKS === "1" && !isProduction(vars);
}

/** waitUntil as Workers has it: the work goes on after the response; a failure is logged, not lost silently. */
export function executionContext(): ExecutionContext & { settled(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  return {
    waitUntil(promise: Promise<unknown>) {
      pending.push(
        promise.catch((err) => console.error(JSON.stringify({ type: "wait_until_failed", error: errorText(err) }))),
      );
    },
    passThroughOnException() {},
    props: {},
    async settled() {
      while (pending.length) await Promise.all(pending.splice(0));
    },
  } as unknown as ExecutionContext & { settled(): Promise<void> };
}

export function createNodePlatform(options: NodePlatformOptions): NodePlatform {
  // Every workspace's data and the password hashes: this user's alone, whatever the umask. An existing folder is
  // tightened too, which also covers what older versions wrote inside it.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(options.dataDir, 0o700);
  const url = options.libsqlUrl || `file:${path.join(options.dataDir, "customertrackr.db")}`;
  // SQLite gives its -wal and -shm files the database file's mode: created here as 0600, before libSQL opens it.
  const file = url.startsWith("file:") ? url.replace(/^file:(\/\/(?=\/))?/, "").replace(/\?.*$/, "") : null;
  if (file && file !== ":memory:" && !existsSync(file)) closeSync(openSync(file, "a", 0o600));
  // One connection to a local file: every call but a transaction's runs synchronously once it has one, so a second
  // adds nothing, and the connection's settings (openPlatform's PRAGMAs) then hold for every statement.
  const client = createClient({
    url,
    authToken: options.libsqlAuthToken || undefined,
    intMode: "number",
    ...(url.startsWith("file:") ? { concurrency: 1 } : {}),
  });
  // The client applies the migrations; a local file's requests then run on a connection of their own that keeps
  // its statements prepared (src/platform/node/libsql-local.ts). A server's go through the client.
  const local = url.startsWith("file:") ? d1OverLocalFile(url.replace(/^file:(\/\/(?=\/))?/, "")) : null;
  // The Worker's queue settings (wrangler.toml [[queues.consumers]]): one message per batch, 10 retries; several at
  // once, as Queues run consumers side by side, so a step waiting on the network (a webhook delivery given 15 s, an
  // export's upload) does not hold an import's next step until the watchdog gives it up.
  const jobs = new LocalQueue<JobMessage>({
    name: "customertrackr-jobs",
    maxRetries: 10,
    concurrency: QUEUE_CONCURRENCY,
  });
  const deliveries = new LocalQueue<JobMessage>({
    name: "customertrackr-webhook-deliveries",
    maxRetries: 10,
    concurrency: QUEUE_CONCURRENCY,
  });
  const lanes = lanedJobs(jobs, deliveries);
  const env = {
    // Mail goes through the HTTP provider: there is no Email Service binding off Cloudflare.
    MAIL_PROVIDER: "http",
    ...Object.fromEntries(Object.entries(options.vars).filter(([, v]) => v !== undefined && v !== "")),
    DB: local ? local.db : d1OverLibsql(client),
    FILES: r2OnDisk(path.join(options.dataDir, "files")),
    JOBS: lanes.binding,
    // Internal addresses are refused whatever ENVIRONMENT says (.dev.vars.example's "development" must not open the
    // server's network to any workspace admin); ALLOW_PRIVATE_WEBHOOKS=1 outside production reaches a local receiver.
    ...(allowPrivateWebhooks(options.vars) ? {} : { WEBHOOK_FETCH: guardedFetch() }),
  } as Bindings;
  let cron: CronTimer | null = null;
  return {
    env,
    client,
    jobs,
    run(worker, opts = {}) {
      const consumer = async (batch: MessageBatch<JobMessage>) => {
        for (const m of batch.messages) lanes.started(m.body);
        const ctx = executionContext();
        await worker.queue(batch, env, ctx);
        await ctx.settled();
      };
      jobs.consume(consumer);
      deliveries.consume(consumer);
      if (opts.cron !== false)
        cron = startCronTimer(async (controller) => {
          const ctx = executionContext();
          await worker.scheduled(controller, env, ctx);
          await ctx.settled();
        });
    },
    async close({ waitMs = CLOSE_WAIT_MS } = {}) {
      // A job or cron run cut off by a closed database would leave half its work: they finish first (a deploy's
      // SIGTERM), within a bound, and what had not started is re-sent by the watchdog after the restart.
      jobs.stop();
      deliveries.stop();
      const running = Promise.all([jobs.idle(), deliveries.idle(), cron?.stop()]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([
        running.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), waitMs);
        }),
      ]);
      clearTimeout(timer);
      if (late) console.error(JSON.stringify({ type: "close_gave_up_waiting", waitMs }));
      local?.close();
      client.close();
    },
  };
}
