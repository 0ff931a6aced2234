/**
 * Background work, one Queue message per bounded step. A step that has more to do sends the next
 * message itself; a step that throws is retried by the queue (max_retries in wrangler.toml), and
 * every step is written so that running it again is harmless (chunks are keyed, see importChunks).
 *
 * Each job area adds its message type to JobMessage and its handler to HANDLERS.
 */
import type { Bindings } from "./env";
import { type BulkJobMessage, runBulkJobStep } from "./services/contacts/bulk-jobs";
import type { ImportMessage } from "./services/import/jobs";
import { runImportStep } from "./services/import/steps";
import { runDataExport } from "./services/privacy/archive-build";
import type { DataExportMessage } from "./services/privacy/archive-requests";
import { runWebhookDelivery, type WebhookMessage } from "./services/webhooks/deliver";
import { type MoveMessage, runMoveStep } from "./services/shards/move";

export type JobMessage = ImportMessage | DataExportMessage | BulkJobMessage | WebhookMessage | MoveMessage;

type Handler<M> = (env: Bindings, message: M, now: number) => Promise<void>;

const HANDLERS: { [T in JobMessage["type"]]: Handler<Extract<JobMessage, { type: T }>> } = {
  "import.analyse": runImportStep,
  "import.commit": runImportStep,
  "import.match": runImportStep,
  "import.undo": runImportStep,
  "privacy.export": runDataExport,
  "contacts.bulk": runBulkJobStep,
  "webhooks.deliver": runWebhookDelivery,
  "shards.move": runMoveStep,
};

/** The queue consumer: runs each message's step; a failure is retried later with a growing delay. */
export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    const handler = HANDLERS[body.type] as Handler<JobMessage> | undefined;
    if (!handler) {
      console.error(JSON.stringify({ type: "job_unknown", body }));
      message.ack();
      continue;
    }
    try {
      await handler(env, body, Date.now());
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ type: "job_failed", job: body.type, attempt: message.attempts, error: String(err) }),
      );
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) });
    }
  }
}
