/** The Worker's entry point. Only handlers may be exported from here (workerd rejects other exports). */
import { app } from "./app";
import { runCron } from "./cron";
import type { Bindings } from "./env";
import { consumeJobs, type JobMessage } from "./jobs";

export default {
  fetch: app.fetch,
  /**
   * Cron, every minute (src/cron.ts): mail delivery and retries, task reminders, retention, the privacy jobs and the
   * job watchdog. Time comes from the event, so tests can move the clock. One part failing does not
   * stop the others; the invocation is then reported as failed.
   */
  async scheduled(controller, env) {
    const report = await runCron(env, controller.scheduledTime);
    if (report.failures.length > 0)
      throw new Error(`cron: ${report.failures.map((f) => `${f.part}: ${f.error}`).join("; ")}`);
  },
  /** Queue consumer: background job steps (imports, data exports). */
  queue: consumeJobs,
} satisfies ExportedHandler<Bindings, JobMessage>;
