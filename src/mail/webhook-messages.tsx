/** Mail about a workspace's webhooks. */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton } from "../../views/emails/EmailLayout";
import { compose } from "./messages";

/** To the workspace's admins: an endpoint failed for three days and was disabled. */
export function webhookDisabledMail(p: { tenantName: string; url: string; link: string }): RenderedMail {
  return compose(
    "webhook_disabled",
    true,
    `A webhook endpoint of ${p.tenantName} was disabled`,
    `Deliveries to ${p.url} have failed for three days, so the endpoint was disabled and no more events are sent ` +
      `to it.\n\nSee what it answered, fix the receiver and enable it again:\n${p.link}`,
    <>
      <p>
        Deliveries to <strong>{p.url}</strong> have failed for three days, so the endpoint was disabled and no more
        events are sent to it.
      </p>
      <p>See what it answered, fix the receiver and enable it again.</p>
      <EmailButton href={p.link} label="Open the endpoint" />
    </>,
  );
}
