/** The privacy controls' share of the every-minute cron: expired data-export archives, and the weekly digest. */
import { createDb } from "../../db/client";
import { boundDatabases, eachDatabase } from "../shards/databases";
import { recordsDatabases } from "../shards/workspace-db";
import type { Bindings } from "../../env";
import { senderFromEnv } from "../../mail/senders";
import { purgeExpiredExports } from "./archive-purge";
import { runDigestStep } from "../mail/digest";
import { deliverDue } from "../mail/outbox";
import { errorText } from "../../lib/error-text";

export interface PrivacyCronReport {
  purged: number;
  digestsSent: number;
  /** The parts that failed, each logged; the other part still ran (the next minute tries again). */
  failures: { part: string; error: string }[];
}

/** Runs both; a failure of one is logged and reported and does not stop the other. */
export async function runPrivacyCron(env: Bindings, now: number): Promise<PrivacyCronReport> {
  const db = createDb(env.DB);
  const report: PrivacyCronReport = { purged: 0, digestsSent: 0, failures: [] };
  try {
    // Export requests are kept with their workspace's records: every database's expired archives go.
    await eachDatabase(env, boundDatabases(env), "data_export_purge_database_failed", async (d, name) => {
      const records = name === "DB" ? db : createDb(d);
      report.purged += await purgeExpiredExports(records, env.FILES, now, { sweepObjects: name === "DB" });
    });
    if (report.purged > 0) console.log(JSON.stringify({ type: "data_exports_purged", count: report.purged }));
  } catch (err) {
    console.error(JSON.stringify({ type: "data_export_purge_failed", error: errorText(err, 300) }));
    report.failures.push({ part: "data_export_purge", error: errorText(err, 300) });
  }
  try {
    const config = { baseUrl: env.APP_URL, secret: env.UNSUBSCRIBE_KEY };
    const digest = await runDigestStep(db, config, now, recordsDatabases(env, db), boundDatabases(env));
    if (digest.mailIds.length) await deliverDue(db, senderFromEnv(env), now, { ids: digest.mailIds });
    report.digestsSent = digest.mailIds.length;
    if (digest.looked > 0)
      console.log(
        JSON.stringify({
          type: "digest_sweep",
          week: digest.week,
          looked: digest.looked,
          sent: digest.mailIds.length,
          finished: digest.finished,
        }),
      );
  } catch (err) {
    console.error(JSON.stringify({ type: "digest_failed", error: errorText(err, 300) }));
    report.failures.push({ part: "digest", error: errorText(err, 300) });
  }
  return report;
}
