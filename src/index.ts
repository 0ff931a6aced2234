/** The Worker's entry point. Only handlers may be exported from here (workerd rejects other exports). */
import { app } from "./app";
import { createDb } from "./db/client";
import type { Bindings } from "./env";
import { senderFromEnv } from "./mail/senders";
import { consumeJobs, type JobMessage } from "./jobs";
import { deliverDue } from "./services/outbox";
import { runPrivacyCron } from "./services/privacy-cron";
import { retentionDidSomething, runRetention } from "./services/retention";

export default {
  fetch: app.fetch,
  /**
   * Cron, every minute: delivers due mail and retries, then runs the retention job (src/services/
   * retention.ts). Time comes from the event, so tests can move the clock. One failing does not stop
   * the other; the first failure is rethrown so the invocation is reported as failed.
   */
  async scheduled(controller, env) {
    const failures: unknown[] = [];
    try {
      const report = await deliverDue(createDb(env.DB), senderFromEnv(env), controller.scheduledTime);
      if (report.sent + report.retrying + report.failed > 0) console.log(JSON.stringify({ type: "mail_sweep", ...report }));
    } catch (err) {
      failures.push(err);
    }
    try {
      const report = await runRetention(env, controller.scheduledTime);
      if (retentionDidSomething(report)) console.log(JSON.stringify({ type: "retention", ...report }));
    } catch (err) {
      console.error(JSON.stringify({ type: "retention_failed", error: String(err).slice(0, 500) }));
      failures.push(err);
    }
    // Expired data-export archives and the weekly digest (src/services/privacy-cron.ts; logs its own failures).
    await runPrivacyCron(env, controller.scheduledTime);
    if (failures.length > 0) throw failures[0];
  },
  /** Queue consumer: background job steps (imports, data exports). */
  queue: consumeJobs,
} satisfies ExportedHandler<Bindings, JobMessage>;
