import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { Time } from "../../components/Time";
import { SettingsNav } from "./SettingsNav";
import { WebhookDeliveryLog, type DeliveryLogProps } from "./WebhookDeliveryLog";
import type { WebhookEndpointRow } from "./WebhooksPage";

export const ENDPOINT_NOTICES = {
  created: "Endpoint added. Reveal its signing secret below to set up your receiver.",
  updated: "Endpoint saved.",
  enabled: "Endpoint enabled.",
  disabled: "Endpoint disabled: no events are sent to it.",
  tested: "Test event queued. Its delivery shows below.",
  replayed: "Delivery queued again.",
  failed_replayed: "Failed deliveries queued again. They show below as they are sent.",
  failed_replayed_some:
    "The oldest failed deliveries were queued again. More are left: press Replay failed deliveries again for them.",
  none_failed:
    "No failed deliveries to replay from the last 27 days (older ones leave the log before new retries could end).",
} as const;
export type EndpointNotice = keyof typeof ENDPOINT_NOTICES;

/** Why a replay was refused: sending to a disabled endpoint would only fail. */
export const REPLAY_DISABLED = "Enable the endpoint first: a disabled endpoint gets no deliveries, replayed or not.";

export interface WebhookEndpointPageProps {
  canSeeBilling?: boolean;
  endpoint: WebhookEndpointRow & { failingSince: number | null; previousSecretExpiresAt: number | null };
  log: Omit<DeliveryLogProps, "endpointId" | "enabled">;
  notice?: EndpointNotice | null;
  /** A refusal, shown as an error. */
  alert?: string;
  /** Shown after an admin asked to reveal it. */
  secret?: string;
  /** The secret was just made by a rotation: shown this once. */
  rotated?: boolean;
  now: number;
}

/** One endpoint: its settings, its signing secret on request, and its delivery log with Replay. */
export function WebhookEndpointPage(p: WebhookEndpointPageProps) {
  const e = p.endpoint;
  const base = `/app/settings/webhooks/${e.id}`;
  const previousUntil =
    e.previousSecretExpiresAt && e.previousSecretExpiresAt > p.now ? e.previousSecretExpiresAt : null;
  return (
    <div class="stack">
      <h1>Webhook endpoint</h1>
      <SettingsNav current="webhooks" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <p>
        <a href="/app/settings/webhooks">All endpoints</a>
      </p>
      {p.notice ? <FormAlert kind="ok">{ENDPOINT_NOTICES[p.notice]}</FormAlert> : null}
      {p.alert ? <FormAlert kind="error">{p.alert}</FormAlert> : null}
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
            Failing since <Time ms={e.failingSince} precision="minute" />; after three days without a success it is
            disabled.
          </p>
        ) : null}
        {p.secret ? (
          <p>
            {p.rotated ? "New signing secret (shown this once)" : "Signing secret"}:{" "}
            <code id="signing-secret">{p.secret}</code>
          </p>
        ) : (
          <InlinePostButton action={`${base}/secret`}>Reveal signing secret</InlinePostButton>
        )}
        {previousUntil ? (
          <p class="muted">
            Deliveries are signed with the previous secret too until <Time ms={previousUntil} precision="minute" />, so
            your receiver can switch over.
          </p>
        ) : null}
        <div class="actions">
          <a href={`${base}/edit`}>Edit</a>
          <InlinePostButton action={`${base}/test`}>Send test event</InlinePostButton>
          <InlinePostButton
            action={`${base}/rotate`}
            confirm={
              previousUntil
                ? "Make a new signing secret? The current one stops at once; the previous one keeps signing until its time ends."
                : "Make a new signing secret? The current one keeps working for 24 hours."
            }
          >
            Rotate signing secret
          </InlinePostButton>
          {e.enabled ? (
            <InlinePostButton action={`${base}/disable`}>Disable</InlinePostButton>
          ) : (
            <InlinePostButton action={`${base}/enable`}>Enable</InlinePostButton>
          )}
          <a href={`${base}/delete`}>Delete</a>
        </div>
      </Card>
      <WebhookDeliveryLog endpointId={e.id} enabled={e.enabled} {...p.log} />
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
