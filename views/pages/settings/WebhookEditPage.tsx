import { Card } from "../../components/Card";
import { Field, FormAlert } from "../../components/Field";
import { SettingsNav } from "./SettingsNav";
import { EventChoices } from "./WebhooksPage";

export interface WebhookEditPageProps {
  canSeeBilling?: boolean;
  id: string;
  /** The endpoint's updated_at as the form was filled: a change by someone else since is a conflict. */
  version: number;
  eventTypes: readonly string[];
  values: { url?: string; description?: string; events?: string[] };
  errors?: Record<string, string>;
  /** A page-level problem (someone else saved first). */
  alert?: string;
}

/** Edits an endpoint's URL, description and events (the signing secret has its own Rotate). */
export function WebhookEditPage(p: WebhookEditPageProps) {
  const errors = p.errors ?? {};
  const base = `/app/settings/webhooks/${p.id}`;
  return (
    <div class="stack">
      <h1>Edit webhook endpoint</h1>
      <SettingsNav current="webhooks" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.alert ? <FormAlert kind="error">{p.alert}</FormAlert> : null}
      <Card id="edit-endpoint" title="Endpoint">
        <form class="stack" method="post" action={base}>
          <input type="hidden" name="version" value={String(p.version)} />
          <Field
            name="url"
            label="URL"
            value={p.values.url}
            error={errors.url}
            hint="HTTPS, on a public host."
            required
            maxlength={2000}
          />
          <Field
            name="description"
            label="Description (optional)"
            value={p.values.description}
            error={errors.description}
            maxlength={200}
          />
          <EventChoices eventTypes={p.eventTypes} chosen={p.values.events} error={errors.events} />
          <div class="actions">
            <button type="submit">Save endpoint</button>
            <a href={base}>Cancel</a>
          </div>
        </form>
      </Card>
    </div>
  );
}
