/**
 * "Select all matching" for sets larger than one request may change (over MATCHING_MAX): a bulk_jobs row
 * holding the list's filters (its query string, read again by every step) and the action, walked by a
 * Queue consumer in id order, BULK_MAX_IDS contacts a chunk, JOB_STEP_CHUNKS chunks a message.
 *
 * The walk stops at `up_to_id`, the workspace's highest contact id when the job was confirmed: the confirmation
 * promised the contacts matching then, not ones made while the job runs. Each step checks again that whoever
 * started it is still a member who may change contacts; else the job stops, saying why.
 *
 * A chunk's progress (the keyset `after_id`, the heartbeat) is written only if `after_id` is still where
 * the chunk started, so two deliveries of one step never both move on. A chunk run twice (a worker killed
 * after acting, before recording) is harmless: tagging skips contacts that have the tag, untagging those
 * without it, and deleting walks only the contacts still there (deleted ones went to the trash).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { placementForStep } from "../shards/workspace-db";
import { bulkJobs, memberships, type BulkJob, type BulkJobAction } from "../../db/schema";
import type { Bindings } from "../../env";
import { newId } from "../../lib/ids";
import { roleAtLeast } from "../../lib/roles";
import { parseContactFilters } from "../records/list-filters";
import { enqueue } from "../jobs/enqueue";
import { listTags } from "../records/tags";
import { BULK_MAX_IDS, tagContacts, untagContacts } from "./bulk";
import { deleteContacts } from "./delete";
import { matchingIdsQuery } from "./matching";

export type BulkJobMessage = { type: "contacts.bulk"; bulkJobId: string; tenantId: string };

/** Chunks one message walks: a delete chunk is about 15 queries, far inside D1's 1,000 per invocation. */
export const JOB_STEP_CHUNKS = 4;

export const BULK_JOB_STOPPED_MESSAGES = {
  filters: "The filters of this job could no longer be read (a field or tag was removed). What was done stays done.",
  tag: "The tag was removed while the job ran. Contacts tagged so far keep the tag.",
  creator: "The person who started this job no longer has an account. What was done stays done.",
  access:
    "The person who started this job is no longer a member of this workspace who may change contacts. What was done stays done.",
} as const;

export const bulkJobMessage = (job: Pick<BulkJob, "id" | "tenantId">): BulkJobMessage => ({
  type: "contacts.bulk",
  bulkJobId: job.id,
  tenantId: job.tenantId,
});

/**
 * Starts a job for `action` on every contact matching `matchQuery` (the list's canonical query string):
 * the row, then its first message. Returns the job's id.
 */
export async function startBulkJob(
  t: TenantDb,
  jobs: Queue<BulkJobMessage>,
  input: { action: BulkJobAction; tagId: number | null; matchQuery: string; total: number; userId: string },
  now: number,
): Promise<string> {
  const id = newId();
  await t.insert(bulkJobs, {
    id,
    entity: "contacts",
    action: input.action,
    tagId: input.tagId,
    matchQuery: input.matchQuery,
    status: "working",
    total: input.total,
    // In the insert itself: the bound is the highest id at the moment the job exists.
    upToId: sql`(SELECT coalesce(max(id), 0) FROM contacts WHERE tenant_id = ${t.tenantId})`,
    createdBy: input.userId,
    createdAt: now,
    updatedAt: now,
  });
  await enqueue(jobs, bulkJobMessage({ id, tenantId: t.tenantId }), id);
  return id;
}

/** One of the workspace's bulk jobs, or null (another workspace's id is simply not found). */
export async function getBulkJob(t: TenantDb, id: string): Promise<BulkJob | null> {
  const [job] = await t.db
    .select()
    .from(bulkJobs)
    .where(t.where(bulkJobs, eq(bulkJobs.id, id)))
    .limit(1);
  return job ?? null;
}

/** The workspace's jobs still working, newest first (the list's banner). */
export function workingBulkJobs(t: TenantDb): Promise<BulkJob[]> {
  return t.db
    .select()
    .from(bulkJobs)
    .where(t.where(bulkJobs, eq(bulkJobs.status, "working")))
    .orderBy(desc(bulkJobs.createdAt))
    .limit(5);
}

/** Whether the user is still a member of the workspace with a role that may change contacts (member and above). */
async function mayStillAct(t: TenantDb, userId: string): Promise<boolean> {
  // Memberships are the control database's (a shard's copy may lag behind a demotion).
  const [row] = await t.control
    .select({ role: memberships.role })
    .from(memberships)
    .where(t.where(memberships, eq(memberships.userId, userId)))
    .limit(1);
  return row !== undefined && roleAtLeast(row.role, "member");
}

function stop(t: TenantDb, job: BulkJob, message: string, now: number) {
  return t.update(bulkJobs, { status: "failed", message, finishedAt: now, updatedAt: now }, stillAt(job));
}

/** The row as this step read it: working, its keyset where the step found it. */
const stillAt = (job: BulkJob) =>
  and(eq(bulkJobs.id, job.id), eq(bulkJobs.status, "working"), eq(bulkJobs.afterId, job.afterId));

/** Applies the job's action to one chunk of ids; how many contacts it changed, or null when the tag is gone. */
async function act(t: TenantDb, job: BulkJob, ids: number[], now: number): Promise<number | null> {
  if (job.action === "delete")
    return deleteContacts(t, { userId: job.createdBy!, ip: null, userAgent: null, now }, ids, { bulk: true });
  const userId = job.createdBy!;
  return job.action === "tag"
    ? tagContacts(t, userId, ids, job.tagId ?? 0, now)
    : untagContacts(t, userId, ids, job.tagId ?? 0, now);
}

/**
 * The queue consumer's step: up to JOB_STEP_CHUNKS chunks from the job's keyset, each recorded as it
 * finishes, then the next message (or done). Safe to deliver twice, or after a worker was killed.
 */
export async function runBulkJobStep(env: Bindings, message: BulkJobMessage, now: number): Promise<void> {
  // On the workspace's database; nothing while a move has frozen it (the message comes back a minute later).
  const t = await placementForStep(env, message.tenantId, message);
  if (!t) return;
  const found = await getBulkJob(t, message.bulkJobId);
  if (found?.status !== "working") return;
  let job: BulkJob = found;
  if (job.createdBy === null) return void (await stop(t, job, BULK_JOB_STOPPED_MESSAGES.creator, now));
  if (!(await mayStillAct(t, job.createdBy))) return void (await stop(t, job, BULK_JOB_STOPPED_MESSAGES.access, now));
  const filters = await parseContactFilters(t, new URLSearchParams(job.matchQuery));
  if (filters.rejected.length) return void (await stop(t, job, BULK_JOB_STOPPED_MESSAGES.filters, now));
  if (job.action !== "delete" && !(await listTags(t)).some((tag) => tag.id === found.tagId))
    return void (await stop(t, job, BULK_JOB_STOPPED_MESSAGES.tag, now));
  for (let chunk = 0; chunk < JOB_STEP_CHUNKS; chunk += 1) {
    const walk = await matchingIdsQuery(t, filters, job.afterId, BULK_MAX_IDS, { upToId: job.upToId });
    const ids: number[] = walk.map((r) => r.id);
    const changed = ids.length ? await act(t, job, ids, now) : 0;
    if (changed === null) return void (await stop(t, job, BULK_JOB_STOPPED_MESSAGES.tag, now));
    const finished = ids.length < BULK_MAX_IDS;
    const progress = {
      afterId: ids.length ? ids[ids.length - 1]! : job.afterId,
      walked: sql`${bulkJobs.walked} + ${ids.length}`,
      changed: sql`${bulkJobs.changed} + ${changed}`,
      updatedAt: Math.max(Date.now(), job.updatedAt + 1),
      ...(finished ? { status: "done" as const, finishedAt: now } : {}),
    };
    const [moved] = await t.db
      .update(bulkJobs)
      .set(progress)
      .where(t.where(bulkJobs, stillAt(job)))
      .returning();
    // Another delivery of this step recorded the chunk first: it carries the job on.
    if (!moved || finished) return;
    job = moved;
  }
  await enqueue(env.JOBS, bulkJobMessage(job), job.id);
}
