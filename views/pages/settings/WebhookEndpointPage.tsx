import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { Time } from "../../components/Time";
import { SettingsNav } from "./SettingsNav";
import type { WebhookEndpointRow } from "./WebhooksPage";

export const ENDPOINT_NOTICES = {
  created: "Endpoint added. Reveal its signing secret below to set up your receiver.",
  enabled: "Endpoint enabled.",
  disabled: "Endpoint disabled: no events are sent to it.",
  tested: "Test event queued. Its delivery shows below.",
  replayed: "Delivery queued again.",
} as const;
export type EndpointNotice = keyof typeof ENDPOINT_NOTICES;

export interface DeliveryRow {
  id: string;
  type: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatus: number | null;
  durationMs: number | null;
  response: string | null;
  nextAttemptAt: number;
  createdAt: number;
}

export interface WebhookEndpointPageProps {
  canSeeBilling?: boolean;
  endpoint: WebhookEndpointRow & { failingSince: number | null };
  deliveries: DeliveryRow[];
  logDays: number;
  notice?: EndpointNotice | null;
  /** Shown after an admin asked to reveal it. */
  secret?: string;
}

function statusText(d: DeliveryRow) {
  if (d.status === "succeeded") return "Succeeded";
  if (d.status === "failed") return "Failed";
  return d.attempts === 0 ? "Queued" : "Retrying";
}

/** One endpoint: its settings, its signing secret on request, and its delivery log with Replay. */
export function WebhookEndpointPage(p: WebhookEndpointPageProps) {
  const e = p.endpoint;
  const base = `/app/settings/webhooks/${e.id}`;
  return (
    <div class="stack">
      <h1>Webhook endpoint</h1>
      <SettingsNav current="webhooks" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <p>
        <a href="/app/settings/webhooks">All endpoints</a>
      </p>
      {p.notice ? <FormAlert kind="ok">{ENDPOINT_NOTICES[p.notice]}</FormAlert> : null}
      {!e.enabled ? (
        <FormAlert kind="warn">
          Disabled{e.disabledReason ? `: ${e.disabledReason}` : "."} No events are sent to it.
        </FormAlert>
      ) : null}
      <Card id="endpoint" title={e.url}>
        {e.description ? <p>{e.description}</p> : null}
        <p>
          Events: <code>{e.events.join(", ")}</code>
        </p>
        {e.failingSince ? (
          <p class="muted">
            Failing since <Time ms={e.failingSince} />; after three days without a success it is disabled.
          </p>
        ) : null}
        {p.secret ? (
          <p>
            Signing secret: <code id="signing-secret">{p.secret}</code>
          </p>
        ) : (
          <InlinePostButton action={`${base}/secret`}>Reveal signing secret</InlinePostButton>
        )}
        <div class="actions">
          <InlinePostButton action={`${base}/test`}>Send test event</InlinePostButton>
          {e.enabled ? (
            <InlinePostButton action={`${base}/disable`}>Disable</InlinePostButton>
          ) : (
            <InlinePostButton action={`${base}/enable`}>Enable</InlinePostButton>
          )}
          <a href={`${base}/delete`}>Delete</a>
        </div>
      </Card>
      <Card id="deliveries" title={`Deliveries of the last ${p.logDays} days`}>
        {p.deliveries.length === 0 ? (
          <p class="muted">No deliveries yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Duration</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.deliveries.map((d) => (
                <tr>
                  <td data-label="Event">
                    <code>{d.type}</code>
                  </td>
                  <td data-label="Status">
                    {statusText(d)}
                    {d.attempts > 1 ? ` (${d.attempts} attempts)` : ""}
                    {d.status === "pending" && d.attempts > 0 ? (
                      <div class="muted">
                        Next attempt <Time ms={d.nextAttemptAt} />
                      </div>
                    ) : null}
                  </td>
                  <td data-label="Response">
                    {d.lastStatus ?? "—"}
                    {d.response ? <div class="muted">{d.response.slice(0, 200)}</div> : null}
                  </td>
                  <td data-label="Duration">{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                  <td data-label="Created">
                    <Time ms={d.createdAt} />
                  </td>
                  <td>
                    <InlinePostButton
                      action={`/app/settings/webhooks/deliveries/${d.id}/replay`}
                      label={`Replay ${d.type}`}
                    >
                      Replay
                    </InlinePostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

/** Asks before deleting an endpoint (works without JavaScript). */
export function WebhookDeletePage(p: { endpoint: { id: string; url: string } }) {
  return (
    <div class="stack">
      <h1>Delete this endpoint?</h1>
      <p>
        <strong>{p.endpoint.url}</strong> gets no more events, and its delivery log is deleted. This cannot be undone.
      </p>
      <form method="post" action={`/app/settings/webhooks/${p.endpoint.id}/delete`} class="actions">
        <button type="submit" class="danger">
          Delete endpoint
        </button>
        <a href={`/app/settings/webhooks/${p.endpoint.id}`}>Cancel</a>
      </form>
    </div>
  );
}
