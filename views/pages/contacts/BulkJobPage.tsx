/**
 * A background "select all matching" job (src/services/contacts/bulk-jobs.ts): what it does, how far it
 * got, and how it ended. While it works the status part asks for itself again every two seconds (htmx).
 */
import { FormAlert } from "../../components/Field";
import { JobStall, type JobStallView } from "../../components/JobStall";

export interface BulkJobView {
  id: string;
  action: "tag" | "untag" | "delete";
  /** The tag's name (tag and untag), when the tag still exists. */
  tagName: string | null;
  status: "working" | "done" | "failed";
  /** Formatted counts: matches when it started ("over 10,000" when more), walked, changed. */
  total: string;
  walked: string;
  changed: string;
  /** 0–100 (an estimate while working: the total was counted when it started). */
  percent: number;
  message: string | null;
  /** Set while working when it has not moved for a while. */
  stall: JobStallView | null;
}

function describe(j: BulkJobView): string {
  if (j.action === "delete") return "Deleting matching contacts";
  const tag = j.tagName ? `"${j.tagName}"` : "a tag";
  return j.action === "tag" ? `Adding ${tag} to matching contacts` : `Removing ${tag} from matching contacts`;
}

function outcome(j: BulkJobView): string {
  if (j.action === "delete") return `${j.changed} contacts moved to the trash.`;
  return j.action === "tag" ? `${j.changed} contacts tagged.` : `${j.changed} contacts untagged.`;
}

/** The part that polls: progress while working, then the result or why it stopped. */
export function BulkJobStatus(p: { job: BulkJobView; back: string }) {
  const j = p.job;
  const working = j.status === "working";
  return (
    <div
      id="bulk-job"
      class="stack"
      hx-get={working ? `/app/contacts/bulk-jobs/${j.id}?part=status` : undefined}
      hx-trigger={working ? "every 2s" : undefined}
      hx-swap={working ? "outerHTML" : undefined}
    >
      {working ? (
        <div class="stack">
          <label for="bulk-progress">{describe(j)}</label>
          <progress id="bulk-progress" max="100" value={j.percent}>
            {j.percent}%
          </progress>
          <p class="muted" role="status">
            {j.walked} of {j.total} contacts done. You can leave this page: the job goes on without it.
          </p>
          <JobStall stall={j.stall} />
          <noscript>
            <p>
              <a href={`/app/contacts/bulk-jobs/${j.id}`}>Reload to see the progress.</a>
            </p>
          </noscript>
        </div>
      ) : null}
      {j.status === "done" ? (
        <p role="status">
          <strong>Done.</strong> {outcome(j)}
        </p>
      ) : null}
      {j.status === "failed" ? (
        <>
          <FormAlert>{`Stopped after ${j.walked} contacts. ${j.message ?? ""}`}</FormAlert>
          <p>{outcome(j)}</p>
        </>
      ) : null}
      <p>
        {/* An id htmx finds again after each poll's swap, so keyboard focus on it stays there. */}
        <a href={p.back} id="bulk-job-back">
          Back to the contacts
        </a>
      </p>
    </div>
  );
}

/** The whole page. */
export function BulkJobPage(p: { job: BulkJobView; back: string }) {
  return (
    <div class="stack narrow">
      <h1>{describe(p.job)}</h1>
      <BulkJobStatus job={p.job} back={p.back} />
    </div>
  );
}
