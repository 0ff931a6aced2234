import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { SettingsNav } from "../settings/SettingsNav";

export interface ExportDownload {
  href: string;
  /** What the file is, e.g. "Contacts as CSV". */
  label: string;
  /** Who it is for. */
  description: string;
}

export interface ExportSection {
  /** contacts | companies | notes: the section's id and heading. */
  key: string;
  title: string;
  downloads: ExportDownload[];
  /** The list filters these downloads carry ("Tag: VIP"); empty when they export everything. */
  filters: string[];
  /** The unfiltered page, when `filters` is not empty. */
  allHref?: string;
}

export interface ExportPageProps {
  sections: ExportSection[];
  /** Filter parameters of the link that could not be read (the downloads leave them out, as the list did). */
  ignored: string[];
  canSeeBilling: boolean;
}

/** The downloads of a workspace's data, for admins and owners. */
export function ExportPage(p: ExportPageProps) {
  return (
    <div class="stack">
      <h1>Export data</h1>
      <SettingsNav current="export" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <p>
        Download your workspace's records. Each file is made as you download it, so it holds everything as it is right
        now, however many records there are. Every export is written to the audit trail.
      </p>
      {p.ignored.length ? (
        <FormAlert kind="warn">
          The link named filters that could not be read ({p.ignored.join(", ")}). The downloads below leave them out, as
          the list did.
        </FormAlert>
      ) : null}
      {p.sections.map((s) => (
        <section class="card" aria-labelledby={`export-${s.key}-heading`}>
          <h2 id={`export-${s.key}-heading`}>{s.title}</h2>
          {s.filters.length ? (
            <p id={`export-${s.key}-filters`}>
              Only the {s.key} that match the list's filters: {s.filters.join("; ")}.{" "}
              {s.allHref ? <a href={s.allHref}>Export all {s.key} instead</a> : null}
            </p>
          ) : null}
          <ul class="plain-list">
            {s.downloads.map((d) => (
              <li>
                <a href={d.href} download aria-describedby={s.filters.length ? `export-${s.key}-filters` : undefined}>
                  {d.label}
                </a>
                <span class="muted"> · {d.description}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <Card id="export-about" title="About the files">
        <ul>
          <li>
            CSV files are UTF-8 with a byte order mark, so spreadsheets show accents correctly. A cell that begins with{" "}
            <code>=</code>, <code>+</code>, <code>-</code> or <code>@</code> starts with an apostrophe (<code>'</code>),
            so a spreadsheet shows it as text and never runs it as a formula. Phone numbers in international format
            therefore start with <code>'+</code>.
          </li>
          <li>
            Custom fields follow the built-in columns, one column each, named as the field. Dates are written
            YYYY-MM-DD, ticked checkboxes as <code>1</code>; times are in UTC (ISO 8601). Tags are separated by
            semicolons.
          </li>
          <li>
            The JSON files hold everything: every email and phone number, custom fields with their kind, tags, owners
            and notes.
          </li>
          <li>The contacts and companies CSV files import again as they are, into this workspace or another one.</li>
        </ul>
      </Card>
    </div>
  );
}

/** An export link whose filters could not be read: nothing is exported. */
export function ExportFilterProblemPage(p: { rejected: string[] }) {
  return (
    <section class="card narrow" aria-labelledby="export-problem-heading">
      <h1 id="export-problem-heading">That export could not be made</h1>
      <p>The link names filters that could not be read ({p.rejected.join(", ")}), so nothing was exported.</p>
      <p>
        <a href="/app/export">Go to the export page</a>
      </p>
    </section>
  );
}
