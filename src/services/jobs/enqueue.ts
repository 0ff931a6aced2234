/**
 * Sends a job's next message after its row is written. A queue that refuses it does not fail the
 * request: the row is there, and the watchdog (watchdog.ts) sends the step again once it is silent.
 */
import { errorText } from "../../lib/error-text";
export async function enqueue<M extends { type: string }>(jobs: Queue<M>, message: M, id: string): Promise<void> {
  try {
    await jobs.send(message);
  } catch (err) {
    console.error(JSON.stringify({ type: "job_send_failed", job: message.type, id, error: errorText(err, 300) }));
  }
}
