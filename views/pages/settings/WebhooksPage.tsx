import { Card } from "../../components/Card";
import { Field, FieldError, FormAlert } from "../../components/Field";
import { Time } from "../../components/Time";
import { CreateCard } from "../../partials/CreateCard";
import { SettingsNav } from "./SettingsNav";

export const WEBHOOK_NOTICES = {
  deleted: "Endpoint deleted. Its delivery log went with it.",
} as const;
export type WebhookNotice = keyof typeof WEBHOOK_NOTICES;

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
}

export interface WebhooksPageProps {
  canSeeBilling?: boolean;
  endpoints: WebhookEndpointRow[];
  eventTypes: readonly string[];
  notice?: WebhookNotice | null;
  create?: { values: { url?: string; description?: string; events?: string[] }; errors: Record<string, string> };
}

/** The event checkboxes of the add and edit forms, all ticked until the admin chooses. */
export function EventChoices(p: { eventTypes: readonly string[]; chosen?: string[]; error?: string }) {
  return (
    <fieldset class="field event-choices" aria-describedby={p.error ? "f-events-error" : undefined}>
      <legend>Events</legend>
      {p.eventTypes.map((type) => (
        <label class="check">
          <input type="checkbox" name="events" value={type} checked={!p.chosen || p.chosen.includes(type)} />
          <span>
            <code>{type}</code>
          </span>
        </label>
      ))}
      <FieldError id="f-events" error={p.error} />
    </fieldset>
  );
}

/** Settings → Webhooks: the workspace's endpoints, and the form that adds one. */
export function WebhooksPage(p: WebhooksPageProps) {
  const create = p.create ?? { values: {}, errors: {} };
  return (
    <div class="stack">
      <h1>Webhooks</h1>
      <SettingsNav current="webhooks" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{WEBHOOK_NOTICES[p.notice]}</FormAlert> : null}
      <Card id="endpoints" title="Endpoints">
        <p class="muted">
          Each change in the workspace is POSTed to the endpoints subscribed to its event, signed per the Standard
          Webhooks specification, and tried again for three days when the receiver fails.
        </p>
        {p.endpoints.length === 0 ? (
          <p class="muted">No endpoints yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {p.endpoints.map((e) => (
                <tr>
                  <td data-label="URL">
                    <a href={`/app/settings/webhooks/${e.id}`}>{e.url}</a>
                    {e.description ? <div class="muted">{e.description}</div> : null}
                  </td>
                  <td data-label="Events">{e.events.length}</td>
                  <td data-label="State">
                    {e.enabled ? "Enabled" : `Disabled${e.disabledReason ? `: ${e.disabledReason}` : ""}`}
                  </td>
                  <td data-label="Added">
                    <Time ms={e.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <CreateCard id="new-endpoint" title="Add an endpoint" action="/app/settings/webhooks" submit="Add endpoint">
        <Field
          name="url"
          label="URL"
          value={create.values.url}
          error={create.errors.url}
          hint="HTTPS, on a public host."
          required
          maxlength={2000}
        />
        <Field
          name="description"
          label="Description (optional)"
          value={create.values.description}
          error={create.errors.description}
          maxlength={200}
        />
        <EventChoices eventTypes={p.eventTypes} chosen={create.values.events} error={create.errors.events} />
      </CreateCard>
    </div>
  );
}
