import { Card } from "../../components/Card";
import type { RecordKind } from "../../lib/records";
import { FormAlert } from "../../components/Field";
import { JobStall, type JobStallView } from "../../components/JobStall";
import { Time } from "../../components/Time";
import { STATUS_LABELS, type ImportSummary } from "./ImportPage";
import { ImportReview, type ReviewListsView } from "./ImportReview";
import { Counts, Kept } from "./ImportJobCounts";
import { PlanRoomWarning, type PlanRoomView } from "./PlanRoomWarning";
import { MappingForm } from "./ImportMapping";

export interface ImportJobView extends ImportSummary {
  encoding: string | null;
  encodingChoice: string;
  delimiter: string | null;
  newCount: number;
  updateCount: number;
  unchangedCount: number;
  duplicateCount: number;
  invalidCount: number;
  emptyCount: number;
  conflictCount: number;
  possibleDuplicateCount: number;
  chunkCount: number;
  chunksDone: number;
  message: string | null;
  finishedAt: number | null;
  undoneAt: number | null;
  /** When retention removed the upload and the error file. */
  filesDeletedAt: number | null;
  /** When retention removed what undo needs; undo has ended. */
  recordsDeletedAt: number | null;
  /** When retention will remove it (the import's time plus the undo period). */
  undoUntil: number;
  canUndo: boolean;
  /** The step the job was in when the watchdog gave up on it (Retry goes back to it) or the user cancelled it. */
  stoppedDuring: "analysing" | "committing" | "undoing" | null;
  kept: {
    total: number;
    items: { type: RecordKind | "tag"; id: number; name: string; fields: string[] }[];
  } | null;
  /** Set while working when it has not moved for a while. */
  stall: JobStallView | null;
}

export interface ImportJobPageProps {
  job: ImportJobView;
  /** The first skipped rows, from the error file. */
  problems: { row: string; reason: string }[];
  headers: string[];
  mapping: string[];
  /** A few values of each column, shown under it in the mapping step. */
  samples: string[][];
  /** The first items of each review list, while the preview's files are kept. */
  review: ReviewListsView | null;
  targets: { value: string; label: string }[];
  alert?: string;
  mappingError?: string;
  /** A preview of contacts under a contact limit: the limit and the workspace's count, else null. */
  planRoom?: PlanRoomView | null;
}

const WORKING = new Set(["analysing", "committing", "undoing"]);
const DELIMITERS: Record<string, string> = { ",": "commas", ";": "semicolons", "\t": "tabs" };
const n = (v: number) => v.toLocaleString("en-US");

/** One import: its preview, progress, result or undo, with the column mapping while it is a preview. */
export function ImportJobPage(p: ImportJobPageProps) {
  return (
    <div class="stack">
      <p class="breadcrumbs">
        <a href="/app/import">Import</a> ›
      </p>
      <h1>Import of {p.job.fileName}</h1>
      <ImportJobStatus {...p} />
    </div>
  );
}

function Progress(p: { label: string; done: number; total: number }) {
  const pct = p.total ? Math.round((p.done / p.total) * 100) : 0;
  return (
    <div class="stack">
      <label for="import-progress">{p.label}</label>
      <progress id="import-progress" max={Math.max(1, p.total)} value={p.done}>
        {pct}%
      </progress>
      <p class="muted" role="status">
        {pct}% done. You can leave this page: the import goes on without it, and this page shows where it is when you
        come back.
      </p>
    </div>
  );
}

/** Stops a working job; while it polls, the form is swapped with the rest, which is harmless for a POST button. */
function CancelForm(p: { job: ImportJobView }) {
  const what =
    p.job.status === "analysing"
      ? "Nothing has been imported yet; the uploaded file is deleted."
      : p.job.status === "committing"
        ? "What is imported by then is kept, and you can undo it."
        : "What is undone by then stays undone; you can undo the rest later.";
  return (
    <form method="post" action={`/app/import/${p.job.id}/cancel`}>
      <p class="hint">{what}</p>
      {/* An id htmx finds again after each poll's swap, so keyboard focus on it stays there. */}
      <button type="submit" class="secondary" id="import-cancel">
        Cancel
      </button>
    </form>
  );
}

function Stopped(p: { job: ImportJobView }) {
  const j = p.job;
  const records = j.kind;
  if (j.status === "cancelled") {
    const text =
      j.stoppedDuring === "analysing"
        ? "Cancelled before anything was imported. The uploaded file was deleted."
        : j.stoppedDuring === "committing"
          ? `Cancelled while importing: ${n(j.createdCount)} ${records} created and ${n(j.updatedCount)} updated before it stopped are kept. Undo takes them back.`
          : "Cancelled while undoing: what was undone stays undone. Undo goes on with the rest.";
    return <FormAlert kind="warn">{text}</FormAlert>;
  }
  return (
    <FormAlert>
      {j.message ?? "The import stopped."}
      {j.message?.startsWith("The Free plan") ? (
        <>
          {" "}
          <a href="/app/settings/billing">See the plans</a>
        </>
      ) : null}
    </FormAlert>
  );
}

function UndoForm(p: { job: ImportJobView }) {
  const rest = p.job.stoppedDuring === "undoing";
  return (
    <details class="card">
      <summary>{rest ? "Undo the rest of this import…" : "Undo this import…"}</summary>
      <p>
        Undo deletes the records this import created and puts back the values it changed. Records someone has edited
        since the import are kept as they are and listed here afterwards. You can undo until{" "}
        <Time ms={p.job.undoUntil} />, when the record of what this import changed is deleted.
      </p>
      <form method="post" action={`/app/import/${p.job.id}/undo`}>
        <button type="submit" class="danger">
          {rest ? "Undo the rest" : "Undo the import"}
        </button>
      </form>
    </details>
  );
}

/** Everything under the heading. While the job works it asks for itself again every second (htmx). */
export function ImportJobStatus(p: ImportJobPageProps) {
  const j = p.job;
  const working = WORKING.has(j.status);
  const records = j.kind;
  return (
    <div
      id="import-job"
      class="stack"
      hx-get={working ? `/app/import/${j.id}?part=status` : undefined}
      hx-trigger={working ? "every 1s" : undefined}
      hx-swap={working ? "outerHTML" : undefined}
    >
      {p.alert ? <FormAlert>{p.alert}</FormAlert> : null}
      <p>
        <strong>{STATUS_LABELS[j.status] ?? j.status}</strong> · {records} · uploaded{" "}
        <Time ms={j.createdAt} precision="minute" />
        {j.encoding ? (
          <>
            {" "}
            · read as {j.encoding === "utf-8" ? "UTF-8" : j.encoding === "windows-1252" ? "Windows-1252" : "UTF-16"},
            columns separated by {DELIMITERS[j.delimiter ?? ","] ?? "commas"}
          </>
        ) : null}
      </p>
      {j.status === "analysing" ? (
        <Progress label="Checking the rows against your records" done={j.chunksDone} total={j.chunkCount} />
      ) : null}
      {j.status === "committing" ? (
        <Progress label={`Importing ${records}`} done={j.chunksDone} total={j.chunkCount} />
      ) : null}
      {j.status === "undoing" ? (
        <Progress
          label="Undoing the import"
          done={j.chunksDone}
          total={Math.max(j.chunksDone + 1, Math.ceil((j.createdCount + j.updatedCount) / 200))}
        />
      ) : null}
      {working ? <JobStall stall={j.stall} /> : null}
      {working ? <CancelForm job={j} /> : null}
      {working ? (
        <noscript>
          <p>
            <a href={`/app/import/${j.id}`}>Reload to see the progress.</a>
          </p>
        </noscript>
      ) : null}
      {j.status === "failed" || j.status === "cancelled" ? <Stopped job={j} /> : null}
      {/* Reading and importing need the upload's files, which retention may have deleted; undoing does not. */}
      {j.status === "failed" && j.stoppedDuring && (j.stoppedDuring === "undoing" || j.filesDeletedAt === null) ? (
        <form method="post" action={`/app/import/${j.id}/retry`}>
          <button type="submit">Retry</button>
        </form>
      ) : null}
      {j.status === "ready" ||
      j.status === "done" ||
      j.status === "failed" ||
      j.status === "undone" ||
      (j.status === "cancelled" && j.stoppedDuring !== "analysing") ? (
        <Counts job={j} problems={p.problems} />
      ) : null}
      {j.status === "ready" ? (
        <Card id="commit" title="Import">
          {j.newCount + j.updateCount === 0 ? (
            <p>Nothing to write: every valid row matches a record exactly as it is. Importing changes nothing.</p>
          ) : (
            <p>
              Creates {n(j.newCount)} {records} and updates {n(j.updateCount)}. Rows with problems, duplicates and rows
              whose email is another person's are skipped. Empty cells never clear a value you have, and an import never
              renames anyone.
            </p>
          )}
          <PlanRoomWarning room={p.planRoom ?? null} job={j} />
          <form method="post" action={`/app/import/${j.id}/commit`}>
            <button type="submit">
              Import {n(j.newCount + j.updateCount)} {records}
            </button>
          </form>
        </Card>
      ) : null}
      {(j.status === "ready" || j.status === "done") && p.review ? (
        <ImportReview
          jobId={j.id}
          kind={j.kind}
          counts={{ updates: j.updateCount, duplicates: j.possibleDuplicateCount, conflicts: j.conflictCount }}
          lists={p.review}
          committed={j.status === "done"}
        />
      ) : null}
      {j.status === "done" ? (
        <p>
          <a href={records === "deals" ? "/app/deals/list" : `/app/${records}`}>See your {records}</a>
        </p>
      ) : null}
      {j.canUndo && j.status !== "undoing" ? <UndoForm job={j} /> : null}
      {j.recordsDeletedAt !== null && j.status !== "undone" ? (
        <p class="muted">
          This import can no longer be undone: the record of what it changed was deleted on{" "}
          <Time ms={j.recordsDeletedAt} />, as the privacy policy's retention period says.
        </p>
      ) : null}
      {j.status === "undone" ? <Kept job={j} /> : null}
      {j.status === "ready" ? <MappingForm {...p} /> : null}
      {!working ? (
        <p>
          <a href="/app/import">Import another file</a>
        </p>
      ) : null}
    </div>
  );
}
