/**
 * The end of "Download my data" archives: each is deleted once its link's 24 hours are over, and its
 * row a month later (so an old link says "expired"). Run every minute by the privacy cron, on each database
 * holding workspaces' records (the requests are kept with them); R2's own sweep once, with the first.
 */
import { and, eq, inArray, lt, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { dataExports } from "../../db/schema";
import { EXPORT_LINK_MS } from "./archive-requests";

/** Rows of expired archives are kept this long (so an old link says "expired"), then deleted. */
const EXPORT_ROW_KEEP_MS = 30 * 86_400_000;
/** Objects under exports/ looked at per hourly sweep (ten list pages). */
const SWEEP_MAX_OBJECTS = 10_000;

/**
 * Deletes every archive in R2 older than the link's 24 hours, whatever became of its row: a user
 * who deleted their account or a workspace erased takes its data_exports rows with it (ON DELETE
 * CASCADE), but not its objects. Run hourly by purgeExpiredExports.
 */
async function sweepExportObjects(files: R2Bucket, now: number): Promise<number> {
  let cursor: string | undefined;
  let seen = 0;
  let deleted = 0;
  do {
    const page = await files.list({ prefix: "exports/", cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.uploaded.getTime() <= now - EXPORT_LINK_MS).map((o) => o.key);
    if (old.length) await files.delete(old);
    deleted += old.length;
    seen += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor && seen < SWEEP_MAX_OBJECTS);
  return deleted;
}

/**
 * Deletes archives whose link has expired (the privacy page promises 24 hours) and forgets rows a
 * month old (a build that went silent is the job watchdog's); once an hour also sweeps R2 for archives whose
 * row is gone. Bounded per run, across all workspaces.
 */
export async function purgeExpiredExports(
  db: Database,
  files: R2Bucket,
  now: number,
  opts: { sweepObjects: boolean } = { sweepObjects: true },
): Promise<number> {
  const swept = opts.sweepObjects && new Date(now).getUTCMinutes() === 0 ? await sweepExportObjects(files, now) : 0;
  const due = await db
    .select({ id: dataExports.id, objectKey: dataExports.objectKey })
    .from(dataExports)
    .where(and(eq(dataExports.status, "ready"), lte(dataExports.expiresAt, now)))
    .limit(100);
  const keys = due.map((d) => d.objectKey).filter((k): k is string => !!k);
  if (keys.length) await files.delete(keys);
  const forget = db.delete(dataExports).where(lt(dataExports.updatedAt, now - EXPORT_ROW_KEEP_MS));
  const expire = db
    .update(dataExports)
    .set({ status: "expired", objectKey: null, updatedAt: now })
    .where(
      inArray(
        dataExports.id,
        due.map((d) => d.id),
      ),
    );
  if (due.length) await db.batch([expire, forget]);
  else await forget;
  return due.length + swept;
}
