/** A preview's column mapping: each column of the file and the field it goes to, and the file's encoding. */
import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { SelectField } from "../companies/FormFields";
import type { ImportJobPageProps } from "./ImportJobPage";

export function MappingForm(p: ImportJobPageProps) {
  return (
    <Card id="mapping" title="Columns">
      <p>Each column of the file and the field it goes to. Change any, then update the preview.</p>
      {p.mappingError ? <FormAlert>{p.mappingError}</FormAlert> : null}
      <form class="stack" method="post" action={`/app/import/${p.job.id}/mapping`}>
        <div class="grid">
          {p.headers.map((h, i) => (
            <SelectField
              id={`col-${i}`}
              name={`col_${i}`}
              label={h || `Column ${i + 1}`}
              value={p.mapping[i] ?? ""}
              options={p.targets}
              hint={
                p.samples.length === 0
                  ? undefined
                  : p.samples[i]?.length
                    ? `e.g. ${p.samples[i]!.join(" · ")}`
                    : "Empty in the first rows"
              }
            />
          ))}
        </div>
        <SelectField
          name="encoding"
          label="Encoding"
          value={p.job.encodingChoice}
          options={[
            { value: "auto", label: "Detect (UTF-8, else Windows-1252)" },
            { value: "utf-8", label: "UTF-8" },
            { value: "windows-1252", label: "Windows-1252" },
          ]}
        />
        <div class="actions">
          <button type="submit" class="secondary">
            Update the preview
          </button>
        </div>
      </form>
    </Card>
  );
}
