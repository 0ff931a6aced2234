/** The email sent when an owner closes a workspace: what happened, and the link that reopens it. */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton, EmailLayout } from "../../views/emails/EmailLayout";
import { formatInstant } from "../../views/lib/time";

const APP = "CustomerTrackr";

/** A reader's zone and locale: the mail and the pages name the cut-off in their own time. */
export interface DeadlineReader {
  timeZone: string;
  locale: string | null;
}

/**
 * The exact instant a reopen link stops working, with its time and zone ("3/30/2027, 10:00 PM PDT"): a bare
 * UTC day would promise hours the link does not have, or a day late for a reader west of UTC.
 */
export function closureDeadline(ms: number, reader: DeadlineReader): string {
  return formatInstant(ms, reader.timeZone, "minute", reader.locale);
}

/**
 * The workspace as the mail names it: its typed name only for a confirmed address, so that an unconfirmed
 * sign-up cannot have us mail words of its choosing to someone else's address.
 */
const named = (tenantName: string | null) => (tenantName === null ? "your workspace" : tenantName);

/**
 * Essential: it is the only way back into the workspace, and it says when everything is erased.
 * `tenantName` null: the owner's address is unconfirmed (see `named`).
 */
export function workspaceClosedMail(
  p: { tenantName: string | null; link: string; eraseAfter: number } & DeadlineReader,
): RenderedMail {
  const when = closureDeadline(p.eraseAfter, p);
  const name = named(p.tenantName);
  const subject = p.tenantName === null ? `Your workspace is closed on ${APP}` : `${name} is closed on ${APP}`;
  const what = p.tenantName === null ? name : `the workspace ${name}`;
  const text =
    `You closed ${what} on ${APP}. Everyone was signed out, and its subscription (if ` +
    `it had one) was cancelled.\n\n` +
    `Until ${when} you can reopen it with this link (it works once):\n${p.link}\n\n` +
    `After that, everything in the workspace is erased: its records, files, members who belong to no other ` +
    `workspace, and its history. ` +
    `We keep only a billing ledger the law requires (invoice references, amounts and dates; no contact data).\n\n` +
    `If you did not close it, open the link to reopen the workspace, then change your password.` +
    `\n\n--\nThis is an essential message about your ${APP} account.`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>
        You closed <WorkspaceWords typed={p.tenantName} name={name} /> on {APP}. Everyone was signed out, and its
        subscription (if it had one) was cancelled.
      </p>
      <p>Until {when} you can reopen it with this link (it works once).</p>
      <EmailButton href={p.link} label="Reopen the workspace" />
      <p>
        After that, everything in the workspace is erased: its records, files, members who belong to no other workspace,
        and its history. We keep only a billing ledger the law requires (invoice references, amounts and dates; no
        contact data).
      </p>
      <p>If you did not close it, open the link to reopen the workspace, then change your password.</p>
    </EmailLayout>
  ).toString();
  return { kind: "workspace_closed", essential: true, subject, text, html };
}

/** "the workspace <b>Acme</b>", or the neutral words `name` holds when the typed name is left out. */
function WorkspaceWords(p: { typed: string | null; name: string }) {
  return p.typed === null ? (
    p.name
  ) : (
    <>
      the workspace <strong>{p.name}</strong>
    </>
  );
}

/** Essential: a new reopen link the owner asked for from the workspaces page; the earlier one stops working. */
export function reopenLinkMail(
  p: { tenantName: string | null; link: string; eraseAfter: number } & DeadlineReader,
): RenderedMail {
  const when = closureDeadline(p.eraseAfter, p);
  const name = named(p.tenantName);
  const subject = `A new link to reopen ${name}`;
  const what = p.tenantName === null ? name : `the workspace ${name}`;
  const text =
    `You asked for a new link to reopen ${what} on ${APP}. Until ${when} it reopens ` +
    `the workspace (it works once):\n${p.link}\n\n` +
    `Any link we sent before no longer works. After ${when}, everything in the workspace is erased.` +
    `\n\n--\nThis is an essential message about your ${APP} account.`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>
        You asked for a new link to reopen <WorkspaceWords typed={p.tenantName} name={name} /> on {APP}. Until {when} it
        reopens the workspace (it works once).
      </p>
      <EmailButton href={p.link} label="Reopen the workspace" />
      <p>Any link we sent before no longer works. After {when}, everything in the workspace is erased.</p>
    </EmailLayout>
  ).toString();
  return { kind: "workspace_reopen_link", essential: true, subject, text, html };
}
