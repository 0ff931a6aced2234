import { LabelledField } from "../../components/Field";

/** A labelled stage select, its stages grouped under their pipeline's name (the deal form, the bulk move). */
export function StageSelect(p: {
  id: string;
  label: string;
  pipelines: { name: string; stages: { id: number; name: string }[] }[];
  value?: string;
  /** A first, empty choice ("Choose a stage"). */
  empty?: string;
  error?: string;
}) {
  return (
    <LabelledField id={p.id} label={p.label} error={p.error}>
      <select
        id={p.id}
        name="stage_id"
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
      >
        {p.empty !== undefined ? <option value="">{p.empty}</option> : null}
        {p.pipelines.map((pipeline) => (
          <optgroup label={pipeline.name}>
            {pipeline.stages.map((s) => (
              <option value={String(s.id)} selected={String(s.id) === p.value}>
                {s.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </LabelledField>
  );
}
