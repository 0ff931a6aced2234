import { DangerButtons } from "../../components/DeleteConfirm";
import { FormAlert } from "../../components/Field";
import { SelectField, recordOptions } from "../companies/FormFields";

const BACK = "/app/settings/pipelines";

/** Asks before deleting a pipeline, or says why it cannot go (its deals, with a link to them; the last one). */
export function PipelineDeletePage(p: { pipeline: { id: number; name: string }; deals: number; last: boolean }) {
  const blocked = p.deals > 0 || p.last;
  return (
    <div class="stack narrow">
      <h1>Delete the pipeline {p.pipeline.name}?</h1>
      {p.last ? (
        <FormAlert kind="error">This is the workspace's only pipeline: add another before deleting this one.</FormAlert>
      ) : p.deals > 0 ? (
        <FormAlert kind="error">
          {p.pipeline.name} holds {p.deals === 1 ? "1 deal" : `${p.deals} deals`}. Move or delete them first:{" "}
          <a href={`/app/deals/list?pipeline=${p.pipeline.id}`}>see its deals</a>.
        </FormAlert>
      ) : (
        <p>The pipeline and its stages are deleted. It holds no deals. This cannot be undone.</p>
      )}
      <form method="post" action={`${BACK}/${p.pipeline.id}/delete`} class="actions">
        {blocked ? null : (
          <button type="submit" class="danger">
            Delete pipeline
          </button>
        )}
        <a class="button secondary" href={BACK}>
          {blocked ? "Back to pipelines" : "Cancel"}
        </a>
      </form>
    </div>
  );
}

/**
 * Asks before removing a stage. A stage holding deals offers to move them to another stage of the
 * same pipeline, which removes the stage in the same step; the last stage of a pipeline stays.
 */
export function StageDeletePage(p: {
  stage: { id: number; name: string; pipelineName: string };
  deals: number;
  others: { id: number; name: string }[];
  error?: string;
  target?: string;
  status?: number;
}) {
  const last = p.others.length === 0;
  return (
    <div class="stack narrow">
      <h1>
        Remove the stage {p.stage.name} from {p.stage.pipelineName}?
      </h1>
      {last ? (
        <FormAlert kind="error">A pipeline keeps at least one stage: add another before removing this one.</FormAlert>
      ) : p.deals > 0 ? (
        <>
          <p>
            {p.stage.name} holds {p.deals === 1 ? "1 deal" : `${p.deals} deals`} (open, won or lost). A stage with deals
            cannot be removed until they are moved.
          </p>
          <form method="post" action={`${BACK}/stages/${p.stage.id}/delete`} class="stack">
            <SelectField
              name="target_stage_id"
              id="f-target-stage"
              label={`Move its ${p.deals === 1 ? "deal" : `${p.deals} deals`} to`}
              value={p.target}
              options={recordOptions(p.others)}
              error={p.error}
              required
            />
            <div class="actions">
              <DangerButtons button={<>Move the deals and remove {p.stage.name}</>} cancelHref={BACK} />
            </div>
          </form>
        </>
      ) : (
        <form method="post" action={`${BACK}/stages/${p.stage.id}/delete`} class="stack">
          <p>It holds no deals.</p>
          <div class="actions">
            <DangerButtons button="Remove stage" cancelHref={BACK} />
          </div>
        </form>
      )}
      {last ? (
        <p>
          <a href={BACK}>Back to pipelines</a>
        </p>
      ) : null}
    </div>
  );
}
