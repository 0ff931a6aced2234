/** The privacy controls' share of the every-minute cron: expired data-export archives, and the weekly digest. */
import { createDb } from "../db/client";
import type { Bindings } from "../env";
import { senderFromEnv } from "../mail/senders";
import { purgeExpiredExports } from "./data-export";
import { runDigestStep } from "./digest";
import { deliverDue } from "./outbox";

/** Runs both; a failure of one is logged and does not stop the other (the next minute tries again). */
export async function runPrivacyCron(env: Bindings, now: number): Promise<void> {
  const db = createDb(env.DB);
  try {
    const purged = await purgeExpiredExports(db, env.FILES, now);
    if (purged > 0) console.log(JSON.stringify({ type: "data_exports_purged", count: purged }));
  } catch (err) {
    console.error(JSON.stringify({ type: "data_export_purge_failed", error: String(err).slice(0, 300) }));
  }
  try {
    const digest = await runDigestStep(db, { baseUrl: env.APP_URL, secret: env.UNSUBSCRIBE_KEY }, now);
    if (digest.mailIds.length) await deliverDue(db, senderFromEnv(env), now, { ids: digest.mailIds });
    if (digest.looked > 0) console.log(JSON.stringify({ type: "digest_sweep", week: digest.week, looked: digest.looked, sent: digest.mailIds.length, finished: digest.finished }));
  } catch (err) {
    console.error(JSON.stringify({ type: "digest_failed", error: String(err).slice(0, 300) }));
  }
}
