/**
 * The queue consumer's step of "Download my data" (message "privacy.export"): the ZIP is written into
 * R2 as it is made (src/lib/zip-r2.ts), then the row is marked ready and the requester emailed the
 * link. A build beats a heartbeat, so the job watchdog sees it alive and it sees a cancellation.
 */
import { eq, sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { databasesOfUser, placementForStep } from "../shards/workspace-db";
import { dataExports, users } from "../../db/schema";
import type { Bindings } from "../../env";
import { newId } from "../../lib/ids";
import { R2ZipWriter } from "../../lib/zip-r2";
import { dataExportReadyMail } from "../../mail/messages";
import { senderFromEnv } from "../../mail/senders";
import { deliverDue, queueMail } from "../mail/outbox";
import { mailLink } from "../reminders/links";
import { writeDataExport } from "./archive-contents";
import { type DataExportMessage, EXPORT_LINK_MS } from "./archive-requests";

/** A build writes its heartbeat (updated_at) at most this often: the watchdog waits two minutes of silence. */
const HEARTBEAT_MS = 20_000;

/**
 * The R2 key of one build of an archive: each delivery of the message writes its own object, so two
 * deliveries running at once never write the same one; the one that marks the row ready keeps its own.
 */
export const exportObjectKey = (tenantId: string, userId: string, id: string, build: string) =>
  `exports/${tenantId}/${userId}/${id}-${build}.zip`;

class ExportStopped extends Error {}

/** The queue consumer's step: builds the archive, marks it ready and emails the link. Safe to run twice, or at once. */
export async function runDataExport(env: Bindings, message: DataExportMessage, now: number): Promise<void> {
  const db = createDb(env.DB);
  // The request is kept with the workspace's records; nothing is built while a move has frozen them.
  const t = await placementForStep(env, message.tenantId, message);
  if (!t) return;
  const [row] = await t.db
    .select()
    .from(dataExports)
    .where(t.where(dataExports, eq(dataExports.id, message.exportId), eq(dataExports.userId, message.userId)))
    .limit(1);
  if (row?.status !== "queued") return;
  const key = exportObjectKey(row.tenantId, row.userId, row.id, newId().slice(0, 12));
  const stillQueued = [eq(dataExports.id, row.id), eq(dataExports.status, "queued")];
  let beatAt = Date.now();
  const heartbeat = async () => {
    if (Date.now() - beatAt < HEARTBEAT_MS) return;
    beatAt = Date.now();
    const [alive] = await t
      .update(dataExports, { updatedAt: beatAt }, ...stillQueued)
      .returning({ id: dataExports.id });
    if (!alive) throw new ExportStopped();
  };
  const zip = await R2ZipWriter.open(env.FILES, key, { mtime: now, onProgress: heartbeat });
  let size: number;
  try {
    await writeDataExport(t, zip, row, now, await databasesOfUser(env, db, row.userId));
    size = await zip.close();
  } catch (err) {
    await zip.abort();
    if (err instanceof ExportStopped) return; // cancelled, or finished by another delivery
    // The reason is shown once the watchdog gives up; the heartbeat is left alone, since this is no progress.
    await t.update(
      dataExports,
      {
        message:
          "The archive could not be built. Try again later; " +
          "an administrator can also download each list from Export.",
      },
      ...stillQueued,
    );
    throw err;
  }
  const readyAt = Date.now();
  const expiresAt = readyAt + EXPORT_LINK_MS;
  const [ready] = await t
    .update(
      dataExports,
      { status: "ready", objectKey: key, size, message: null, readyAt, expiresAt, updatedAt: readyAt },
      ...stillQueued,
    )
    .returning({ id: dataExports.id });
  if (!ready) {
    // Another delivery finished first (its archive is the one kept, and it sent the mail), or the user cancelled.
    await env.FILES.delete(key);
    return;
  }
  const [user] = await db
    .select({
      email: users.email,
      timeZone: sql<string>`coalesce(${users.timeZone}, (SELECT time_zone FROM tenants WHERE id = ${row.tenantId}), 'UTC')`,
      locale: sql<string>`coalesce(${users.locale}, (SELECT locale FROM tenants WHERE id = ${row.tenantId}), 'en-US')`,
    })
    .from(users)
    .where(eq(users.id, row.userId))
    .limit(1);
  if (!user) return;
  const mail = queueMail(
    db,
    {
      to: user.email,
      tenantId: row.tenantId,
      userId: row.userId,
      ...dataExportReadyMail({
        link: mailLink(message.baseUrl, row.tenantId, `/app/settings/privacy/exports/${row.id}`),
        expiresAt,
        includesWorkspace: row.includesWorkspace,
        timeZone: user.timeZone,
        locale: user.locale,
      }),
    },
    readyAt,
  );
  await mail.query;
  // The cron sweep retries whatever does not go out now.
  await deliverDue(db, senderFromEnv(env), readyAt, { ids: [mail.id] }).catch(() => undefined);
}
