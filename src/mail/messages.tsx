/** Every email the app sends: subject, plain text and HTML, and whether it is essential. */
import type { Child } from "hono/jsx";
import { formatInstant } from "../../views/lib/time";
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton, EmailLayout } from "../../views/emails/EmailLayout";

const APP = "CustomerTrackr";

/**
 * A mail in both forms with its footer: essential mail says it is essential; non-essential mail
 * carries its one-click unsubscribe link (`unsubscribeUrl`, required for it).
 */
export function compose(
  kind: string,
  essential: boolean,
  subject: string,
  text: string,
  body: Child,
  unsubscribeUrl?: string,
): RenderedMail {
  if (!essential && !unsubscribeUrl) throw new Error(`${kind}: a non-essential mail needs its unsubscribe link`);
  const html = (
    <EmailLayout
      appName={APP}
      preheader={subject}
      essential={essential}
      unsubscribeHref={essential ? undefined : unsubscribeUrl}
    >
      {body}
    </EmailLayout>
  ).toString();
  const footer = essential
    ? `\n\n--\nThis is an essential message about your ${APP} account. It is sent whatever your email preferences.`
    : `\n\n--\nYou get this because it is on in your ${APP} email preferences. Unsubscribe with one click:\n` +
      `${unsubscribeUrl}\nor change your choices in your profile.`;
  return { kind, essential, subject, text: text + footer, html };
}

/** Confirms the address given at sign-up. */
export function verifyEmailMail(link: string): RenderedMail {
  return compose(
    "verify_email",
    true,
    `Confirm your email address for ${APP}`,
    `Welcome to ${APP}.\n\nPlease confirm your email address by opening this link (valid for 48 hours):\n` +
      `${link}\n\nIf you did not sign up, you can ignore this email.`,
    <>
      <p>Welcome to {APP}.</p>
      <p>Please confirm your email address. The link is valid for 48 hours.</p>
      <EmailButton href={link} label="Confirm my email" />
      <p>If you did not sign up, you can ignore this email.</p>
    </>,
  );
}

/** Sent to a new address to confirm an email change. */
export function confirmEmailChangeMail(link: string): RenderedMail {
  return compose(
    "change_email",
    true,
    `Confirm your new email address for ${APP}`,
    `Someone asked to use this address for a ${APP} account.\n\n` +
      `If that was you, confirm it by opening this link (valid for 48 hours):\n${link}\n\n` +
      `If not, ignore this email and nothing will change.`,
    <>
      <p>Someone asked to use this address for a {APP} account.</p>
      <p>If that was you, confirm it. The link is valid for 48 hours.</p>
      <EmailButton href={link} label="Confirm this address" />
      <p>If not, ignore this email and nothing will change.</p>
    </>,
  );
}

/**
 * Tells the old address that the account's email is changing or has changed. Once it has changed, a reset link
 * asked for with this address would never come (it no longer finds the account), so the advice is what works.
 */
export function emailChangedNoticeMail(newAddress: string, done: boolean): RenderedMail {
  const what = done
    ? `has been changed to ${newAddress}`
    : `is about to change to ${newAddress} once that address is confirmed`;
  const advice = done
    ? [
        `If you did not do this, sign in with ${newAddress} and your password, change the address back under ` +
          `Settings, Profile, and change your password.`,
        `If you cannot sign in, write to our support through the contact form on our website (Contact, at the ` +
          `bottom of every page), from this address: a password reset asked for with this address would not ` +
          `reach you, as the account no longer has it.`,
      ]
    : [
        `If you did not do this, reset your password at once with this address (it still finds your account): ` +
          `that signs everyone out and cancels the change.`,
      ];
  return compose(
    done ? "email_changed" : "email_change_requested",
    true,
    done ? `Your ${APP} email address was changed` : `Your ${APP} email address is being changed`,
    `The email address of your ${APP} account ${what}.\n\n${advice.join("\n\n")}`,
    <>
      <p>
        The email address of your {APP} account {what}.
      </p>
      {advice.map((line) => (
        <p>{line}</p>
      ))}
    </>,
  );
}

/** A password reset link. */
export function passwordResetMail(link: string): RenderedMail {
  return compose(
    "password_reset",
    true,
    `Reset your ${APP} password`,
    `Someone asked to reset the password of the ${APP} account for this address.\n\n` +
      `To choose a new password, open this link within an hour:\n${link}\n\n` +
      `If it was not you, ignore this email: your password stays as it is.`,
    <>
      <p>Someone asked to reset the password of the {APP} account for this address.</p>
      <p>To choose a new password, use this link within an hour.</p>
      <EmailButton href={link} label="Choose a new password" />
      <p>If it was not you, ignore this email: your password stays as it is.</p>
    </>,
  );
}

/** Tells the user their password changed. */
export function passwordChangedMail(resetLink: string): RenderedMail {
  return compose(
    "password_changed",
    true,
    `Your ${APP} password was changed`,
    `The password of your ${APP} account was just changed: your other sessions were signed out and ` +
      `calendar feed addresses stopped working.\n\n` +
      `If you did not do this, reset your password now:\n${resetLink}`,
    <>
      <p>
        The password of your {APP} account was just changed: your other sessions were signed out and calendar feed
        addresses stopped working.
      </p>
      <p>If you did not do this, reset your password now.</p>
      <EmailButton href={resetLink} label="Reset my password" />
    </>,
  );
}

/** An invitation to join a workspace. */
export function invitationMail(p: { tenantName: string; inviter: string; role: string; link: string }): RenderedMail {
  return compose(
    "invitation",
    true,
    `${p.inviter} invited you to ${p.tenantName} on ${APP}`,
    `${p.inviter} invited you to join ${p.tenantName} on ${APP} as ${p.role === "admin" ? "an" : "a"} ` +
      `${p.role}.\n\nAccept the invitation within 7 days:\n${p.link}\n\n` +
      `If you did not expect this, you can ignore it.`,
    <>
      <p>
        {p.inviter} invited you to join <strong>{p.tenantName}</strong> on {APP} as {p.role === "admin" ? "an" : "a"}{" "}
        {p.role}.
      </p>
      <EmailButton href={p.link} label="Accept the invitation" />
      <p>The invitation is valid for 7 days. If you did not expect it, you can ignore it.</p>
    </>,
  );
}

/** Account: the data export a user asked for is ready. Essential: they asked for it. */
export function dataExportReadyMail(p: {
  link: string;
  expiresAt: number;
  includesWorkspace: boolean;
  /** The reader's zone, named in the time, and their locale. */
  timeZone: string;
  locale: string;
}): RenderedMail {
  const until = formatInstant(p.expiresAt, p.timeZone, "minute", p.locale);
  const what = p.includesWorkspace ? "your account's data and your workspace's records" : "your account's data";
  return compose(
    "data_export_ready",
    true,
    `Your ${APP} data is ready to download`,
    `The copy of ${what} you asked for is ready: one ZIP file with JSON and CSV files and a manifest ` +
      `describing each.\n\nDownload it while signed in, until ${until}:\n${p.link}\n\n` +
      `If you did not ask for it, change your password and end your other sessions in your security settings.`,
    <>
      <p>
        The copy of {what} you asked for is ready: one ZIP file with JSON and CSV files and a manifest describing each.
      </p>
      <p>The link works for you only, while you are signed in, until {until}.</p>
      <EmailButton href={p.link} label="Download my data" />
      <p>If you did not ask for it, change your password and end your other sessions in your security settings.</p>
    </>,
  );
}

export interface DigestWorkspace {
  name: string;
  newContacts: number;
  updatedContacts: number;
  newCompanies: number;
  newNotes: number;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The lines of one workspace's week: counts only, never a record's content. */
function digestLines(w: DigestWorkspace): string[] {
  return [
    plural(w.newContacts, "new contact", "new contacts"),
    plural(w.updatedContacts, "contact updated", "contacts updated"),
    plural(w.newCompanies, "new company", "new companies"),
    plural(w.newNotes, "note added", "notes added"),
  ];
}

/**
 * Non-essential: the weekly activity digest. Counts per workspace only: no contact, company or note
 * content, so nothing a workspace keeps about its customers travels in it.
 */
export function weeklyDigestMail(p: {
  week: string;
  from: number;
  to: number;
  workspaces: DigestWorkspace[];
  appLink: string;
  unsubscribeUrl: string;
}): RenderedMail {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const span = `${day(p.from)} to ${day(p.to - 1)}`;
  const text = p.workspaces
    .map(
      (w) =>
        `${w.name}\n${digestLines(w)
          .map((l) => `  - ${l}`)
          .join("\n")}`,
    )
    .join("\n\n");
  return compose(
    "weekly_digest",
    false,
    `Your week in ${APP} (${span})`,
    `What happened in your workspaces from ${span} (UTC):\n\n${text}\n\nOpen ${APP}: ${p.appLink}`,
    <>
      <p>What happened in your workspaces from {span} (UTC):</p>
      {p.workspaces.map((w) => (
        <>
          <p style="margin:16px 0 4px;font-weight:600">{w.name}</p>
          <ul style="margin:0;padding-left:20px">
            {digestLines(w).map((l) => (
              <li>{l}</li>
            ))}
          </ul>
        </>
      ))}
      <EmailButton href={p.appLink} label={`Open ${APP}`} />
    </>,
    p.unsubscribeUrl,
  );
}

/** Non-essential: product news, only to users who turned it on. The operator writes the text. */
export function productNewsMail(p: { title: string; body: string; unsubscribeUrl: string }): RenderedMail {
  return compose(
    "product_news",
    false,
    `${APP} news: ${p.title}`.slice(0, 150),
    `${p.title}\n\n${p.body}`,
    <>
      <p style="font-weight:600">{p.title}</p>
      <p style="white-space:pre-wrap">{p.body}</p>
    </>,
    p.unsubscribeUrl,
  );
}
