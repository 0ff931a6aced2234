/**
 * The Node platform, chosen once at start: the Worker's bindings built from Node implementations
 * (DB: libSQL, FILES: the disk, JOBS: an in-process queue, mail: the HTTP provider, webhooks: a fetch that
 * refuses internal addresses in production) and the Worker's
 * own handlers wired to them (queue() consumes JOBS, scheduled() runs every minute). Nothing else in
 * the app knows which platform it runs on.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Client, createClient } from "@libsql/client";
import type { Bindings } from "../../env";
import type { JobMessage } from "../../jobs";
import { type CronTimer, startCronTimer } from "./cron-timer";
import { isProduction } from "../../lib/dev-tools";
import { d1OverLibsql, d1OverLocalFile } from "./d1-libsql";
import { guardedFetch } from "./guarded-fetch";
import { LocalQueue } from "./queue-local";
import { r2OnDisk } from "./r2-disk";
import { errorText } from "../../lib/error-text";

/** Queue messages the in-process consumer handles at once. */
export const QUEUE_CONCURRENCY = 4;

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
  close(): Promise<void>;
}

/** The handlers src/index.ts exports, as Node calls them. */
export interface WorkerHandlers {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response>;
  queue(batch: MessageBatch<JobMessage>, env: Bindings, ctx: ExecutionContext): Promise<void>;
  scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void>;
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
  mkdirSync(options.dataDir, { recursive: true });
  const url = options.libsqlUrl || `file:${path.join(options.dataDir, "customertrackr.db")}`;
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
  const env = {
    // Mail goes through the HTTP provider: there is no Email Service binding off Cloudflare.
    MAIL_PROVIDER: "http",
    ...Object.fromEntries(Object.entries(options.vars).filter(([, v]) => v !== undefined && v !== "")),
    DB: local ? local.db : d1OverLibsql(client),
    FILES: r2OnDisk(path.join(options.dataDir, "files")),
    JOBS: jobs as unknown as Queue<JobMessage>,
    // Outside production a developer's receiver on localhost is allowed, as the endpoint form allows it.
    ...(isProduction(options.vars) ? { WEBHOOK_FETCH: guardedFetch() } : {}),
  } as Bindings;
  let cron: CronTimer | null = null;
  return {
    env,
    client,
    jobs,
    run(worker, opts = {}) {
      jobs.consume(async (batch) => {
        const ctx = executionContext();
        await worker.queue(batch, env, ctx);
        await ctx.settled();
      });
      if (opts.cron !== false)
        cron = startCronTimer(async (controller) => {
          const ctx = executionContext();
          await worker.scheduled(controller, env, ctx);
          await ctx.settled();
        });
    },
    async close() {
      cron?.stop();
      jobs.stop();
      local?.close();
      client.close();
    },
  };
}
