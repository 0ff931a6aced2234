import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { TimeCell } from "../../components/Time";
import { SelectField } from "../companies/FormFields";
import { SettingsNav } from "../settings/SettingsNav";
import { TableHead } from "../../components/TableHead";

export type ImportFormErrors = Partial<Record<"kind" | "encoding" | "file" | "pipeline", string>>;

export interface ImportSummary {
  id: string;
  kind: "contacts" | "companies" | "deals";
  status: string;
  fileName: string;
  createdAt: number;
  createdCount: number;
  updatedCount: number;
  totalRows: number;
}

export const STATUS_LABELS: Record<string, string> = {
  analysing: "Reading the file",
  ready: "Preview ready: not imported yet",
  committing: "Importing",
  done: "Imported",
  failed: "Stopped",
  undoing: "Undoing",
  undone: "Undone",
  cancelled: "Cancelled",
};

/** What an uploaded file may hold, and the encodings it may be read in. */
const KIND_OPTIONS = [
  { value: "contacts", label: "Contacts (people)" },
  { value: "companies", label: "Companies" },
  { value: "deals", label: "Deals" },
];
const ENCODING_OPTIONS = [
  { value: "auto", label: "Detect (UTF-8, else Windows-1252)" },
  { value: "utf-8", label: "UTF-8" },
  { value: "windows-1252", label: "Windows-1252 (older Excel and Outlook on Windows)" },
];

export interface ImportPageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  jobs: ImportSummary[];
  kind: string;
  encoding: string;
  errors: ImportFormErrors;
  maxMb: number;
  /** The workspace's pipelines, for a deals file's stage names (the first is the default). */
  pipelines: { id: number; name: string }[];
  pipeline: string;
}

/** Upload a CSV, and the workspace's recent imports. */
export function ImportPage(p: ImportPageProps) {
  const fileError = p.errors.file;
  return (
    <div class="stack">
      <h1>Import</h1>
      <SettingsNav current="import" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {Object.keys(p.errors).length ? (
        <FormAlert>The file was not imported. Check the fields marked below.</FormAlert>
      ) : null}
      <Card id="upload" title="Import a CSV file">
        <p>
          Exports of Google Contacts, Outlook, HubSpot and most spreadsheets work as they are. You see a preview — new
          records, updates, duplicates and rows with problems — before anything is written, and you can undo an import
          afterwards.
        </p>
        <form class="stack record-form" method="post" action="/app/import" enctype="multipart/form-data">
          <SelectField name="kind" label="The file holds" value={p.kind} options={KIND_OPTIONS} error={p.errors.kind} />
          <SelectField
            name="pipeline"
            label="Pipeline (deals only)"
            hint="A deals file's stages are named as in this pipeline; a stage it lacks is reported as a row problem."
            value={p.pipeline}
            options={p.pipelines.map((pipe) => ({ value: String(pipe.id), label: pipe.name }))}
            error={p.errors.pipeline}
          />
          <div class="field">
            <label for="f-file">CSV file</label>
            <p class="hint" id="f-file-hint">
              Up to {p.maxMb} MB and 100,000 rows, with a header row. Commas, semicolons or tabs between columns.
            </p>
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              required
              aria-invalid={fileError ? "true" : undefined}
              aria-describedby={fileError ? "f-file-hint f-file-error" : "f-file-hint"}
            />
            {fileError ? (
              <p class="field-error" id="f-file-error">
                {fileError}
              </p>
            ) : null}
          </div>
          <SelectField
            name="encoding"
            label="Encoding"
            hint="Leave on Detect unless accented letters look wrong in the preview."
            value={p.encoding}
            options={ENCODING_OPTIONS}
            error={p.errors.encoding}
          />
          <div class="actions">
            <button type="submit">Upload and preview</button>
          </div>
        </form>
      </Card>
      <Card id="history" title="Recent imports">
        {p.jobs.length === 0 ? (
          <p class="muted">No imports yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="records">
              <TableHead columns={["File", "Kind", "Uploaded", "Status", "Created", "Updated"]} />
              <tbody>
                {p.jobs.map((j) => (
                  <tr>
                    <td>
                      <a href={`/app/import/${j.id}`}>{j.fileName}</a>
                    </td>
                    <td data-label="Kind">{j.kind}</td>
                    <TimeCell ms={j.createdAt} precision="minute" label="Uploaded" />
                    <td data-label="Status">{STATUS_LABELS[j.status] ?? j.status}</td>
                    <td data-label="Created">{j.createdCount}</td>
                    <td data-label="Updated">{j.updatedCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
