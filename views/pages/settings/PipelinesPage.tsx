import { DeleteLink } from "../../components/DeleteConfirm";
import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { InputField, type InputFieldProps } from "../companies/FormFields";
import { SettingsNav } from "./SettingsNav";

export const PIPELINE_NOTICES = {
  pipeline_created: "Pipeline added. It starts with one stage, “New”: add the others below.",
  pipeline_saved: "Pipeline renamed.",
  pipeline_moved: "Pipelines reordered.",
  pipeline_deleted: "Pipeline deleted.",
  stage_created: "Stage added.",
  stage_saved: "Stage saved.",
  stage_moved: "Stages reordered.",
  stage_deleted: "Stage removed.",
  stage_moved_deals: "Stage removed; its deals were moved.",
  reason_created: "Lost reason added.",
  reason_saved: "Lost reason renamed.",
  reason_moved: "Lost reasons reordered.",
  reason_deleted: "Lost reason removed. Deals lost for it keep the reason's text.",
} as const;
export type PipelineNotice = keyof typeof PIPELINE_NOTICES;

export interface PipelinesPageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  pipelines: {
    id: number;
    name: string;
    stages: { id: number; name: string; probability: number; openDeals: number }[];
  }[];
  lostReasons: { id: number; name: string }[];
  notice?: PipelineNotice | null;
  /** A refused form: its key ("new-pipeline", "pipeline-3", "stage-7", "new-stage-3", ...), what was typed, why. */
  problem?: { key: string; values: Record<string, string>; errors: Record<string, string> } | null;
}

type Problem = PipelinesPageProps["problem"];

/** What a form shows: what was typed when this form was refused, else the saved values. */
function formState(problem: Problem, key: string, saved: Record<string, string>) {
  const mine = problem?.key === key ? problem : null;
  return {
    value: (name: string) => mine?.values[name] ?? saved[name] ?? "",
    error: (name: string) => mine?.errors[name],
  };
}

type FormState = ReturnType<typeof formState>;

/** An input filled from its form's state: what was typed after a refusal, else the saved value; and its error. */
function StateField(p: Omit<InputFieldProps, "value" | "error"> & { form: FormState }) {
  const { form, ...field } = p;
  return <InputField {...field} value={form.value(p.name)} error={form.error(p.name)} />;
}

/** Up and down buttons: plain forms, so they work from the keyboard and without JavaScript. */
export function MoveButtons(p: { action: string; label: string; first: boolean; last: boolean }) {
  return (
    <span class="move-buttons">
      {(["up", "down"] as const).map((direction) => (
        <form method="post" action={p.action} class="inline-form">
          <input type="hidden" name="direction" value={direction} />
          <button
            type="submit"
            class="secondary small"
            disabled={direction === "up" ? p.first : p.last}
            aria-label={`Move ${p.label} ${direction}`}
          >
            {direction === "up" ? "↑ Up" : "↓ Down"}
          </button>
        </form>
      ))}
    </span>
  );
}

function StageRow(p: {
  stage: PipelinesPageProps["pipelines"][0]["stages"][0];
  first: boolean;
  last: boolean;
  problem: Problem;
}) {
  const s = p.stage;
  const key = `stage-${s.id}`;
  const f = formState(p.problem, key, { name: s.name, probability: String(s.probability) });
  return (
    <li id={key}>
      <form
        class="filters"
        method="post"
        action={`/app/settings/pipelines/stages/${s.id}`}
        aria-label={`Stage ${s.name}`}
      >
        <StateField form={f} id={`${key}-name`} name="name" label="Stage" required maxlength={50} />
        <StateField form={f} id={`${key}-probability`} name="probability" label="Win probability (%)" required />
        <button type="submit" class="secondary">
          Save<span class="visually-hidden"> {s.name}</span>
        </button>
      </form>
      <p class="muted">{s.openDeals === 1 ? "1 open deal" : `${s.openDeals} open deals`}</p>
      <MoveButtons
        action={`/app/settings/pipelines/stages/${s.id}/move`}
        label={`stage ${s.name}`}
        first={p.first}
        last={p.last}
      />
      {p.first && p.last ? null : (
        <a href={`/app/settings/pipelines/stages/${s.id}/delete`}>
          Remove<span class="visually-hidden"> stage {s.name}</span>
        </a>
      )}
    </li>
  );
}

function PipelineCard(p: {
  pipeline: PipelinesPageProps["pipelines"][0];
  first: boolean;
  last: boolean;
  only: boolean;
  problem: Problem;
}) {
  const pl = p.pipeline;
  const key = `pipeline-${pl.id}`;
  const f = formState(p.problem, key, { name: pl.name });
  const add = formState(p.problem, `new-stage-${pl.id}`, { probability: "0" });
  return (
    <section class="card stack" id={key} aria-labelledby={`${key}-heading`}>
      <h2 id={`${key}-heading`}>{pl.name}</h2>
      <form class="filters" method="post" action={`/app/settings/pipelines/${pl.id}`} aria-label={`Rename ${pl.name}`}>
        <StateField form={f} id={`${key}-name`} name="name" label="Pipeline name" required maxlength={50} />
        <button type="submit" class="secondary">
          Rename<span class="visually-hidden"> {pl.name}</span>
        </button>
      </form>
      <p class="actions">
        <MoveButtons
          action={`/app/settings/pipelines/${pl.id}/move`}
          label={`pipeline ${pl.name}`}
          first={p.first}
          last={p.last}
        />
        {p.only ? null : <DeleteLink href={`/app/settings/pipelines/${pl.id}/delete`} name={`pipeline ${pl.name}`} />}
      </p>
      <h3>Stages</h3>
      <ol class="plain-list settings-rows">
        {pl.stages.map((s, i) => (
          <StageRow stage={s} first={i === 0} last={i === pl.stages.length - 1} problem={p.problem} />
        ))}
      </ol>
      <form
        class="filters"
        method="post"
        action={`/app/settings/pipelines/${pl.id}/stages`}
        aria-label={`New stage in ${pl.name}`}
      >
        <StateField form={add} id={`new-stage-${pl.id}-name`} name="name" label="New stage" required maxlength={50} />
        <StateField
          form={add}
          id={`new-stage-${pl.id}-probability`}
          name="probability"
          label="Win probability (%)"
          required
        />
        <button type="submit">
          Add stage<span class="visually-hidden"> to {pl.name}</span>
        </button>
      </form>
    </section>
  );
}

/** Pipelines with their stages, and the lost reasons: everything an admin arranges about deals. */
export function PipelinesPage(p: PipelinesPageProps) {
  const add = formState(p.problem, "new-pipeline", {});
  const addReason = formState(p.problem, "new-reason", {});
  return (
    <div class="stack">
      <h1>Pipelines</h1>
      <SettingsNav current="pipelines" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{PIPELINE_NOTICES[p.notice]}</FormAlert> : null}
      <p class="muted">
        Won and Lost are not stages: they are a deal's outcome, which anyone who edits deals can set from the deal. A
        stage that holds deals can be removed once its deals are moved to another stage.
      </p>
      {p.pipelines.map((pl, i) => (
        <PipelineCard
          pipeline={pl}
          first={i === 0}
          last={i === p.pipelines.length - 1}
          only={p.pipelines.length === 1}
          problem={p.problem}
        />
      ))}
      <Card id="new-pipeline" title="New pipeline">
        <form class="filters" method="post" action="/app/settings/pipelines">
          <StateField form={add} id="new-pipeline-name" name="name" label="Name" required maxlength={50} />
          <button type="submit">Add pipeline</button>
        </form>
      </Card>
      <section class="card stack" id="lost-reasons" aria-labelledby="lost-reasons-heading">
        <h2 id="lost-reasons-heading">Lost reasons</h2>
        <p class="muted">
          Offered when a deal is marked lost (free text is allowed too). Removing one keeps it on deals that used it.
        </p>
        <ol class="plain-list settings-rows">
          {p.lostReasons.map((r, i) => {
            const key = `reason-${r.id}`;
            const f = formState(p.problem, key, { name: r.name });
            return (
              <li id={key}>
                <form
                  class="filters"
                  method="post"
                  action={`/app/settings/pipelines/lost-reasons/${r.id}`}
                  aria-label={`Lost reason ${r.name}`}
                >
                  <StateField form={f} id={`${key}-name`} name="name" label="Reason" required maxlength={80} />
                  <button type="submit" class="secondary">
                    Save<span class="visually-hidden"> {r.name}</span>
                  </button>
                </form>
                <MoveButtons
                  action={`/app/settings/pipelines/lost-reasons/${r.id}/move`}
                  label={`reason ${r.name}`}
                  first={i === 0}
                  last={i === p.lostReasons.length - 1}
                />
                <form method="post" action={`/app/settings/pipelines/lost-reasons/${r.id}/delete`} class="inline-form">
                  <button type="submit" class="secondary small">
                    Remove<span class="visually-hidden"> reason {r.name}</span>
                  </button>
                </form>
              </li>
            );
          })}
        </ol>
        <form class="filters" method="post" action="/app/settings/pipelines/lost-reasons">
          <StateField form={addReason} id="new-reason-name" name="name" label="New reason" required maxlength={80} />
          <button type="submit">Add reason</button>
        </form>
      </section>
    </div>
  );
}
