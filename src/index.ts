/** The Worker's entry point. Only handlers may be exported from here (workerd rejects other exports). */
import { app } from "./app";
import { createDb } from "./db/client";
import type { Bindings } from "./env";
import { senderFromEnv } from "./mail/senders";
import { consumeJobs, type JobMessage } from "./jobs";
import { deliverDue } from "./services/outbox";

export default {
  fetch: app.fetch,
  /** Cron: delivers due mail and retries. Time comes from the event, so tests can move the clock. */
  async scheduled(controller, env) {
    const report = await deliverDue(createDb(env.DB), senderFromEnv(env), controller.scheduledTime);
    if (report.sent + report.retrying + report.failed > 0) console.log(JSON.stringify({ type: "mail_sweep", ...report }));
  },
  /** Queue consumer: background job steps (imports, data exports). */
  queue: consumeJobs,
} satisfies ExportedHandler<Bindings, JobMessage>;
