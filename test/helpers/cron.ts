/** The Worker's cron run by hand: its scheduled handler, called as the Cron Trigger calls it, at a chosen time. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

/** Runs the scheduled handler at `at`, with `bindings` laid over the test's bindings. */
export async function runCron(at: number, bindings: Partial<Cloudflare.Env> = {}): Promise<void> {
  const ctx = createExecutionContext();
  await (worker.scheduled as (c: ScheduledController, e: unknown, x: ExecutionContext) => Promise<void>)(
    createScheduledController({ scheduledTime: at, cron: "* * * * *" }),
    { ...env, ...bindings },
    ctx,
  );
  await waitOnExecutionContext(ctx);
}
