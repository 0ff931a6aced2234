/**
 * A deal's page: its facts, contacts with roles, tags and custom fields; moving it to another stage,
 * marking it won or lost (with the actual close date and, when lost, a reason), reopening it; and
 * its Timeline with notes.
 */
import { Card } from "../../components/Card";
import { InlinePostButton } from "../../components/InlinePostButton";
import { FieldError, FormAlert, LabelledField } from "../../components/Field";
import { CustomFacts, EditDeleteActions, none } from "../../partials/RecordPage";
import { CalendarDate } from "../../components/Time";
import { RecordTasksSlot } from "../tasks/TasksPage";
import { Timeline, type TimelineProps } from "../../partials/timeline/Timeline";
import { SelectField, TagList, type CustomFieldDef, recordOptions } from "../companies/FormFields";

export interface DealView {
  id: number;
  name: string;
  amount: string;
  closeDate: string | null;
  overdue: boolean;
  owner: string | null;
  company: { id: number; name: string } | null;
  pipelineName: string;
  stageId: number;
  stageName: string;
  probability: number;
  status: "open" | "won" | "lost";
  lostReason: string | null;
  closedOn: string | null;
}

export interface DealPageProps {
  deal: DealView;
  contacts: { id: number; name: string; role: string | null }[];
  tags: { name: string; color: string }[];
  fields: CustomFieldDef[];
  values: Map<number, string>;
  stages: { id: number; name: string }[];
  lostReasons: { id: number; name: string }[];
  canWrite: boolean;
  today: string;
  /** Errors of the move, won or lost forms after a refused submission, and what was typed. */
  errors?: Record<string, string>;
  typed?: Record<string, string>;
  timeline: TimelineProps;
}

function MoveForm(p: DealPageProps) {
  const e = p.errors ?? {};
  return (
    <form class="move-form" id="move" method="post" action={`/app/deals/${p.deal.id}/move`}>
      <label for="f-move-stage">Move to</label>{" "}
      <select
        id="f-move-stage"
        name="stage_id"
        aria-invalid={e.stage_id ? "true" : undefined}
        aria-describedby={e.stage_id ? "f-move-stage-error" : undefined}
      >
        {p.stages.map((s) => (
          <option value={String(s.id)} selected={s.id === p.deal.stageId}>
            {s.name}
          </option>
        ))}
      </select>{" "}
      <button type="submit" class="secondary">
        Move
      </button>
      <FieldError id="f-move-stage" error={e.stage_id} />
    </form>
  );
}

/**
 * Won in one click (the date is today unless changed, beside the button); Lost behind a disclosure, since it
 * asks for a reason. A refused submission opens its form with the message by the field.
 */
function OutcomeForms(p: DealPageProps) {
  const e = p.errors ?? {};
  const typed = p.typed ?? {};
  const id = p.deal.id;
  if (p.deal.status !== "open") return <InlinePostButton action={`/app/deals/${id}/reopen`}>Reopen</InlinePostButton>;
  return (
    <>
      <form class="outcome-won" method="post" action={`/app/deals/${id}/won`} aria-label="Mark won">
        <label for="f-won-date">Won on</label>
        <DateInput id="f-won-date" value={typed.won_closed_on ?? p.today} error={e.won_closed_on} />
        <button type="submit">Mark won</button>
        <FieldError id="f-won-date" error={e.won_closed_on} />
      </form>
      <details class="outcome-lost" open={Boolean(e.reason || e.lost_closed_on)}>
        <summary>Mark lost…</summary>
        <form class="stack" method="post" action={`/app/deals/${id}/lost`} aria-label="Mark lost">
          <SelectField
            id="f-lost-reason"
            name="reason_id"
            label="Reason"
            empty="Choose a reason, or write one below"
            value={typed.reason_id}
            options={recordOptions(p.lostReasons)}
            error={e.reason}
          />
          <div class="field">
            <label for="f-lost-text">Other reason</label>
            <input id="f-lost-text" name="reason_text" maxlength={200} value={typed.reason_text ?? ""} />
          </div>
          <LabelledField id="f-lost-date" label="Lost on" error={e.lost_closed_on}>
            <DateInput id="f-lost-date" value={typed.lost_closed_on ?? p.today} error={e.lost_closed_on} />
          </LabelledField>
          <div class="actions">
            <button type="submit">Mark lost</button>
          </div>
        </form>
      </details>
    </>
  );
}

/** The date a deal was actually won or lost (today unless changed). */
function DateInput(p: { id: string; value: string; error?: string }) {
  return (
    <input
      id={p.id}
      type="date"
      name="closed_on"
      value={p.value}
      aria-invalid={p.error ? "true" : undefined}
      aria-describedby={p.error ? `${p.id}-error` : undefined}
    />
  );
}

const STATUS_TEXT = { open: "Open", won: "Won", lost: "Lost" } as const;

export function DealPage(p: DealPageProps) {
  const d = p.deal;
  const hasErrors = p.errors && Object.keys(p.errors).length > 0;
  return (
    <div class="stack deal-page">
      <p class="breadcrumbs">
        <a href="/app/deals">Deals</a> · {d.pipelineName}
      </p>
      <div class="record-head">
        <div>
          <h1>{d.name}</h1>
          <p class="muted">
            <span class={`deal-status status-${d.status}`}>{STATUS_TEXT[d.status]}</span>
            {d.status === "open" ? (
              <> · {d.stageName}</>
            ) : (
              <> · closed on {d.closedOn ? <CalendarDate date={d.closedOn} /> : null}</>
            )}
            {d.status === "lost" && d.lostReason ? <> · {d.lostReason}</> : null}
          </p>
        </div>
        {p.canWrite ? (
          <div class="actions">
            <EditDeleteActions path={`/app/deals/${d.id}`} />
          </div>
        ) : null}
      </div>
      {hasErrors ? <FormAlert>Please correct the fields marked below.</FormAlert> : null}
      {p.canWrite ? (
        <div class="deal-actions">
          {d.status === "open" ? <MoveForm {...p} /> : null}
          <OutcomeForms {...p} />
        </div>
      ) : null}
      <TagList tags={p.tags} />
      <div class="record-layout">
        <div class="stack">
          <Card id="details" title="Details">
            <dl class="facts">
              <dt>Amount</dt>
              <dd>{d.amount}</dd>
              <dt>Stage</dt>
              <dd>
                {d.stageName} ({d.probability} %)
              </dd>
              <dt>Expected close</dt>
              <dd>
                {d.closeDate ? <CalendarDate date={d.closeDate} /> : none}
                {d.overdue && d.status === "open" ? <strong class="overdue"> overdue</strong> : null}
              </dd>
              <dt>Owner</dt>
              <dd>{d.owner ?? none}</dd>
              <dt>Company</dt>
              <dd>{d.company ? <a href={`/app/companies/${d.company.id}`}>{d.company.name}</a> : none}</dd>
              <dt>Contacts</dt>
              <dd>
                {p.contacts.length ? (
                  <ul class="plain-list">
                    {p.contacts.map((c) => (
                      <li>
                        <a href={`/app/contacts/${c.id}`}>{c.name}</a>
                        {c.role ? <span class="muted"> · {c.role}</span> : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  none
                )}
              </dd>
              <CustomFacts fields={p.fields} values={p.values} />
            </dl>
          </Card>
          <RecordTasksSlot record={`deal:${p.timeline.subject.id}`} />
        </div>
        <Timeline {...p.timeline} />
      </div>
    </div>
  );
}
