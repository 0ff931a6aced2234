import { Card } from "../../components/Card";
/** The import job page's numbers (what the file holds, what was written) and the records an undo kept. */
import { recordPath } from "../../lib/records";
import { FormAlert } from "../../components/Field";
import { Time } from "../../components/Time";

import type { ImportJobView } from "./ImportJobPage";
import { TableHead } from "../../components/TableHead";

const n = (v: number) => v.toLocaleString("en-US");

export function Counts(p: { job: ImportJobView; problems: { row: string; reason: string }[] }) {
  const j = p.job;
  const done = j.status !== "ready";
  const problems = j.invalidCount + j.duplicateCount;
  // Rows of people on the suppression list are skipped without a trace; they are what the other counts leave.
  const skipped = j.duplicateCount + j.invalidCount + j.conflictCount + j.emptyCount;
  const suppressed = done ? 0 : Math.max(0, j.totalRows - j.newCount - j.updateCount - j.unchangedCount - skipped);
  return (
    <Card id="counts" title={done ? "Result" : "Preview"}>
      <ul class="stat-list">
        <li>
          <span class="stat">{n(j.totalRows)}</span> rows in the file
        </li>
        {done ? (
          <>
            <li>
              <span class="stat">{n(j.createdCount)}</span> created
            </li>
            <li>
              <span class="stat">{n(j.updatedCount)}</span> updated
            </li>
          </>
        ) : (
          <>
            <li>
              <span class="stat">{n(j.newCount)}</span> new
              {j.possibleDuplicateCount > 0
                ? ` (${n(j.possibleDuplicateCount)} possible ${j.possibleDuplicateCount === 1 ? "duplicate" : "duplicates"}, listed below)`
                : ""}
            </li>
            <li>
              <span class="stat">{n(j.updateCount)}</span> updates
            </li>
            <li>
              <span class="stat">{n(j.unchangedCount)}</span> unchanged
            </li>
          </>
        )}
        <li>
          <span class="stat">{n(j.duplicateCount)}</span> duplicates in the file
        </li>
        <li>
          <span class="stat">{n(j.invalidCount)}</span> rows with problems
        </li>
        {j.conflictCount > 0 ? (
          <li>
            <span class="stat">{n(j.conflictCount)}</span> not imported: the email is another person's
          </li>
        ) : null}
        {j.emptyCount > 0 ? (
          <li>
            <span class="stat">{n(j.emptyCount)}</span> {j.emptyCount === 1 ? "empty row" : "empty rows"} skipped
          </li>
        ) : null}
        {suppressed > 0 ? (
          <li>
            <span class="stat">{n(suppressed)}</span> skipped: erased on request (suppression list)
          </li>
        ) : null}
      </ul>
      {p.problems.length ? (
        <div class="table-wrap">
          <table class="records">
            <caption>
              {problems > p.problems.length ? `The first ${p.problems.length} skipped rows` : "Skipped rows"} (row 1 is
              the first row after the header)
            </caption>
            <TableHead columns={["Row", "Why"]} />
            <tbody>
              {p.problems.map((r) => (
                <tr>
                  <td data-label="Row">{r.row}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {j.filesDeletedAt !== null ? (
        <p class="muted">
          The uploaded file, the file of skipped rows and the preview's lists were deleted on{" "}
          <Time ms={j.filesDeletedAt} />, as the privacy policy's retention period says.
        </p>
      ) : null}
      {problems > 0 && j.filesDeletedAt === null ? (
        <p>
          <a href={`/app/import/${j.id}/errors.csv`} download>
            Download the skipped rows (CSV, with the reason for each)
          </a>
        </p>
      ) : null}
    </Card>
  );
}

export function Kept(p: { job: ImportJobView }) {
  const kept = p.job.kept;
  if (!kept || kept.total === 0)
    return (
      <FormAlert kind="ok">
        The import is undone: everything it created is gone and every value it changed is back.
      </FormAlert>
    );
  return (
    <Card id="kept" title={`Kept because they changed or were worked on after the import (${n(kept.total)})`}>
      <ul>
        {kept.items.map((k) => (
          <li>
            {k.type === "tag" ? (
              <a href="/app/settings/tags">Tag {k.name}</a>
            ) : (
              <a href={recordPath({ type: k.type, id: k.id })}>{k.name || `#${k.id}`}</a>
            )}
            : {k.fields.join(", ")}
          </li>
        ))}
      </ul>
      {kept.total > kept.items.length ? <p class="muted">and {n(kept.total - kept.items.length)} more.</p> : null}
    </Card>
  );
}
