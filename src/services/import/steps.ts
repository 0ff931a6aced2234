/**
 * The Queue steps of an import (src/jobs.ts delivers them):
 *
 *   analyse          → analyse.ts: the file read once into chunks in R2
 *   match (n steps)  → each chunk planned against the tenant's records: the preview's counts and
 *                      review lists (review.ts)
 *   commit (n steps) → each chunk written in one batch (write.ts)
 *   undo (n steps)   → a page of records per batch (undo.ts)
 *
 * A step does a bounded amount of work and sends the next message itself; each write is keyed, so
 * a message delivered twice, or a step that died halfway, resumes where the job stopped. A lost
 * message is re-sent by the job watchdog (services/jobs/watchdog.ts) once the job has been silent
 * for two minutes.
 */
import { eq, sql } from "drizzle-orm";
import { runRawBatch } from "../../db/raw-batch";
import { importJobs, memberships, tenants, users, type ImportJob } from "../../db/schema";
import type { Bindings } from "../../env";
import { billingConfig } from "../../lib/stripe";
import { importFields } from "./fields";
import { placementForStep } from "../shards/workspace-db";
import { analyse } from "./analyse";
import { CHUNK_ROWS, type ChunkContext, memberNameKey } from "./chunk";
import { readChunk } from "./files";
import { failImport, getImport, type ImportMessage, type ImportServices, moveImportOn } from "./jobs";
import { addToHead, emptyHead, reviewHead, saveChunkReview, saveReviewHead } from "./review";
import { planUndoPage, type KeptList } from "./undo";
import { commitChunk, isReplayed, planChunk } from "./write";

/** How long one step may work before it hands over to the next message. */
const STEP_MS = 15_000;
/** Chunks per step: about 25 batches of ~20 statements, well inside D1's 1,000 queries per invocation. */
const STEP_CHUNKS = 25;

/** The queue consumer's entry for import messages. */
export async function runImportStep(env: Bindings, message: ImportMessage, now: number): Promise<void> {
  // The import's rows are where the workspace's records are (a shard, after a move); its people on control.
  const t = await placementForStep(env, message.tenantId, message);
  if (!t) return;
  const lowered = Number(env.IMPORT_CHUNK_ROWS);
  const chunkRows = lowered > 0 && lowered < CHUNK_ROWS ? Math.floor(lowered) : CHUNK_ROWS;
  const s: ImportServices = { t, files: env.FILES, jobs: env.JOBS as Queue<ImportMessage>, chunkRows };
  const job = await getImport(t, message.importId);
  if (!job) return; // deleted with its tenant
  // A closed workspace is locked: its imports stop (and are erased with it after the grace period).
  const [tenant] = await t.control
    .select({ closedAt: tenants.closedAt })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
  if (!tenant || tenant.closedAt !== null) {
    if (tenant && ["analysing", "committing", "undoing"].includes(job.status))
      await failImport(t, job, "The workspace was closed, so the import stopped.", now);
    return;
  }
  // A step stops after its time or its number of chunks, whichever comes first, and hands over.
  const started = Date.now();
  const maxChunks = Number(env.IMPORT_STEP_CHUNKS) > 0 ? Number(env.IMPORT_STEP_CHUNKS) : STEP_CHUNKS;
  let used = 0;
  const budget = () => used++ < maxChunks && Date.now() - started < STEP_MS;
  switch (message.type) {
    case "import.analyse":
      return analyse(s, job, now);
    case "import.match":
      return match(s, job, now, budget, env.SUPPRESSION_KEY);
    case "import.commit":
      return commit(s, job, now, budget, billingConfig(env).limits?.contacts ?? null, env.SUPPRESSION_KEY);
    case "import.undo":
      return undo(s, job, budget);
  }
}

async function chunkContext(
  s: ImportServices,
  job: ImportJob,
  freeMaxContacts: number | null,
  suppressionKey: string | undefined,
): Promise<ChunkContext> {
  const [fields, members] = await Promise.all([
    importFields(s.t, job.kind),
    s.t.control
      .select({ id: users.id, email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(s.t.where(memberships)),
  ]);
  // An owner column of names (Pipedrive's, HubSpot's) links a member only by a name no other member has.
  const ownersByName = new Map<string, string | null>();
  for (const m of members) {
    const key = m.name ? memberNameKey(m.name) : "";
    if (key) ownersByName.set(key, ownersByName.has(key) ? null : m.id);
  }
  return {
    importId: job.id,
    actorId: job.createdBy,
    owners: new Map(members.map((m) => [m.email, m.id])),
    ownersByName,
    fields,
    freeMaxContacts,
    suppressionKey,
  };
}

/** The preview: each chunk planned (not written) against the tenant's records as they are now. */
async function match(
  s: ImportServices,
  job: ImportJob,
  now: number,
  budget: () => boolean,
  suppressionKey: string | undefined,
): Promise<void> {
  if (job.status !== "analysing" || job.chunkCount === 0) return;
  const ctx = await chunkContext(s, job, null, suppressionKey);
  let done = job.chunksDone;
  // The first REVIEW_LISTED of each review list, for the page (review.ts).
  const head = done > 0 ? await reviewHead(s.files, job, done) : emptyHead();
  const headFrom = head.chunks;
  while (done < job.chunkCount && budget()) {
    const plan = await planChunk(s.t, job.kind, ctx, done, await readChunk(s.files, job, done), now);
    if (plan.stale) return failImport(s.t, job, plan.stale, now);
    await saveChunkReview(s.files, job, done, plan.review);
    const [moved] = await s.t
      .update(
        importJobs,
        {
          newCount: sql`${importJobs.newCount} + ${plan.creates}`,
          updateCount: sql`${importJobs.updateCount} + ${plan.updates}`,
          unchangedCount: sql`${importJobs.unchangedCount} + ${plan.unchanged}`,
          duplicateCount: sql`${importJobs.duplicateCount} + ${plan.duplicates}`,
          conflictCount: sql`${importJobs.conflictCount} + ${plan.conflicts}`,
          possibleDuplicateCount: sql`${importJobs.possibleDuplicateCount} + ${plan.possibleDuplicates}`,
          chunksDone: done + 1,
          status: done + 1 === job.chunkCount ? "ready" : "analysing",
          updatedAt: now,
        },
        eq(importJobs.id, job.id),
        eq(importJobs.status, "analysing"),
        eq(importJobs.chunksDone, done),
      )
      .returning({ id: importJobs.id });
    if (!moved) return; // another delivery of this step got there first, or the mapping changed
    done += 1;
    addToHead(head, plan.review, done);
  }
  if (head.chunks > headFrom) await saveReviewHead(s.files, job, head);
  if (done < job.chunkCount) await s.jobs.send({ type: "import.match", importId: job.id, tenantId: job.tenantId });
}

async function commit(
  s: ImportServices,
  job: ImportJob,
  now: number,
  budget: () => boolean,
  freeMaxContacts: number | null,
  suppressionKey: string | undefined,
): Promise<void> {
  if (job.status !== "committing") return;
  const ctx = await chunkContext(s, job, freeMaxContacts, suppressionKey);
  let done = job.chunksDone;
  while (done < job.chunkCount && budget()) {
    // Cancelled between chunks: what is written stays, nothing more is.
    if (done > job.chunksDone && (await getImport(s.t, job.id))?.status !== "committing") return;
    const rows = await readChunk(s.files, job, done);
    const plan = await planChunk(s.t, job.kind, ctx, done, rows, Date.now());
    if (plan.stale) {
      // A chunk written by an earlier delivery before the change: carry on from where the job is.
      const fresh = await getImport(s.t, job.id);
      if (fresh?.status === "committing" && fresh.chunksDone > done) {
        done = fresh.chunksDone;
        continue;
      }
      // The workspace changed since the preview (a stage removed): stop, saying why, rather than fail the batch
      // and retry forever. The chunks before stay written, as when an import is cancelled; undo takes them back.
      const first = rows[0]?.rowNo ?? 1;
      const before =
        done > 0 ? ` The rows before row ${first.toLocaleString("en-US")} were imported; Undo takes them back.` : "";
      return failImport(s.t, job, `${plan.stale}${before}`, now);
    }
    const outcome = await commitChunk(s.t, ctx, plan);
    if (!outcome.ok && outcome.reason === "replayed") {
      // Written by an earlier delivery: carry on from where the job says it is.
      const fresh = await getImport(s.t, job.id);
      if (fresh?.status !== "committing" || fresh.chunksDone <= done) return;
      done = fresh.chunksDone;
      continue;
    }
    if (!outcome.ok) {
      // Chunks vary in rows (cut by size too): the file's rows before this chunk's first.
      const imported = (rows[0]?.rowNo ?? 1) - 1;
      const after = imported ? ` after about ${imported.toLocaleString("en-US")} rows` : "";
      const max = outcome.error.max.toLocaleString("en-US");
      const message = `The Free plan holds ${max} contacts. The import stopped there${after}; upgrade to import the rest, or undo it.`;
      return failImport(s.t, job, message, now);
    }
    done += 1;
  }
  if (done < job.chunkCount) {
    await s.jobs.send({ type: "import.commit", importId: job.id, tenantId: job.tenantId });
    return;
  }
  const finished = Date.now();
  await moveImportOn(s.t, job, "committing", { status: "done", finishedAt: finished, updatedAt: finished });
}

async function undo(s: ImportServices, job: ImportJob, budget: () => boolean): Promise<void> {
  if (job.status !== "undoing") return;
  let current: ImportJob | null = job;
  while (current && current.status === "undoing" && budget()) {
    const kept = (current.undoKept ? JSON.parse(current.undoKept) : { total: 0, items: [] }) as KeptList;
    const page = await planUndoPage(s.t, current.id, current.createdBy, current.chunksDone, kept, Date.now());
    if (page.handled === 0) {
      const undone = Date.now();
      await moveImportOn(s.t, job, "undoing", { status: "undone", undoneAt: undone, updatedAt: undone });
      return;
    }
    try {
      await runRawBatch(s.t.db, page.statements);
    } catch (err) {
      if (!isReplayed(err)) throw err;
    }
    current = await getImport(s.t, job.id);
  }
  if (current?.status === "undoing")
    await s.jobs.send({ type: "import.undo", importId: job.id, tenantId: job.tenantId });
}
