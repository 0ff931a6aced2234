/**
 * Mail to a workspace's owner about support access: when it starts (given, approved, or opened in an
 * emergency), when it ends, and when support asks for it. Essential: they are how an owner knows who
 * may see their data.
 */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton, EmailLayout } from "../../views/emails/EmailLayout";
import { formatInstant } from "../../views/lib/time";

const APP = "CustomerTrackr";
const FOOTER = `\n\n--\nThis is an essential message about your ${APP} workspace.`;

/** "read-only" or "read and write". */
export function accessLabel(access: "read" | "write"): string {
  return access === "read" ? "read-only" : "read and write";
}

export function supportAccessStartedMail(p: {
  tenantName: string;
  access: "read" | "write";
  expiresAt: number;
  who: string;
  emergencyReason?: string;
  link: string;
  /** The owner's zone and locale: when access ends, in their time and written their way. */
  timeZone: string;
  locale: string;
}): RenderedMail {
  const ends = formatInstant(p.expiresAt, p.timeZone, "minute", p.locale);
  const subject = p.emergencyReason
    ? `Emergency support access to ${p.tenantName} was opened`
    : `Support access to ${p.tenantName} has started`;
  const lead = p.emergencyReason
    ? `Two ${APP} staff admins opened ${accessLabel(p.access)} access to ${p.tenantName} without a grant, for this reason: "${p.emergencyReason}".`
    : `${p.who} can now open ${p.tenantName} in ${APP}'s support view, ${accessLabel(p.access)}.`;
  const text =
    `${lead}\nIt ends by itself at ${ends}; you can end it earlier, and see every page support views, ` +
    `in Settings → Support access:\n${p.link}${FOOTER}`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>{lead}</p>
      <p>
        It ends by itself at {ends}; you can end it earlier, and see every page support views, in Settings → Support
        access.
      </p>
      <EmailButton href={p.link} label="Open Support access" />
    </EmailLayout>
  ).toString();
  return { kind: "support_access_started", essential: true, subject, text, html };
}

export function supportAccessEndedMail(p: { tenantName: string; endedEarly: boolean; link: string }): RenderedMail {
  const subject = `Support access to ${p.tenantName} has ended`;
  const lead = p.endedEarly ? "Support access was ended." : "Support access ran out.";
  const text = `${lead} Support can no longer open ${p.tenantName}. What they saw is listed in Settings → Support access:\n${p.link}${FOOTER}`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>
        {lead} Support can no longer open {p.tenantName}.
      </p>
      <EmailButton href={p.link} label="See what support viewed" />
    </EmailLayout>
  ).toString();
  return { kind: "support_access_ended", essential: true, subject, text, html };
}

export function supportAccessRequestedMail(p: {
  tenantName: string;
  staffName: string;
  access: "read" | "write";
  duration: string;
  ticket: string | null;
  message: string | null;
  link: string;
}): RenderedMail {
  const subject = `${p.staffName} from ${APP} support asks to access ${p.tenantName}`;
  const lines = [
    `${p.staffName} from ${APP} support asks for ${accessLabel(p.access)} access to ${p.tenantName} for ${p.duration}.`,
    p.ticket ? `Ticket: ${p.ticket}` : null,
    p.message ? `Message: ${p.message}` : null,
    `Nothing is opened until you approve. Approve or decline in Settings → Support access:\n${p.link}`,
  ].filter(Boolean);
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>
        {p.staffName} from {APP} support asks for {accessLabel(p.access)} access to <strong>{p.tenantName}</strong> for{" "}
        {p.duration}.
      </p>
      {p.ticket ? <p>Ticket: {p.ticket}</p> : null}
      {p.message ? <p>Message: {p.message}</p> : null}
      <p>Nothing is opened until you approve.</p>
      <EmailButton href={p.link} label="Approve or decline" />
    </EmailLayout>
  ).toString();
  return { kind: "support_access_requested", essential: true, subject, text: lines.join("\n") + FOOTER, html };
}

/** To a new staff member: the one-time link to set a password and an authenticator (24 hours). */
export function staffEnrolmentMail(p: { name: string; link: string }): RenderedMail {
  const subject = `Set up your ${APP} staff account`;
  const text =
    `Hello ${p.name},\n\nA staff admin added you to the ${APP} staff console. Set your password and your ` +
    `authenticator app with this link within 24 hours (it works once):\n${p.link}\n\n` +
    `If you did not expect this, ignore it and tell your team.`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>Hello {p.name},</p>
      <p>
        A staff admin added you to the {APP} staff console. Set your password and your authenticator app within 24
        hours; the link works once.
      </p>
      <EmailButton href={p.link} label="Set up your account" />
      <p>If you did not expect this, ignore it and tell your team.</p>
    </EmailLayout>
  ).toString();
  return { kind: "staff_enrolment", essential: true, subject, text, html };
}
