/** The email sent when an owner closes a workspace: what happened, and the link that reopens it. */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton, EmailLayout } from "../../views/emails/EmailLayout";

const APP = "CustomerTrackr";

/** A date as "26 December 2026" (UTC), the way the pages show it. */
export function closureDate(ms: number): string {
  return new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** Essential: it is the only way back into the workspace, and it says when everything is erased. */
export function workspaceClosedMail(p: { tenantName: string; link: string; eraseAfter: number }): RenderedMail {
  const when = closureDate(p.eraseAfter);
  const subject = `${p.tenantName} is closed on ${APP}`;
  const text =
    `You closed the workspace ${p.tenantName} on ${APP}. Everyone was signed out, and its subscription (if ` +
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
        You closed the workspace <strong>{p.tenantName}</strong>. Everyone was signed out, and its subscription (if it
        had one) was cancelled.
      </p>
      <p>Until {when} you can reopen it. The link works once.</p>
      <EmailButton href={p.link} label="Reopen the workspace" />
      <p>
        After that, everything in the workspace is erased: its records, files, members who belong to no other workspace,
        and its history. We keep only a billing ledger the law requires (invoice references, amounts and dates; no
        contact data).
      </p>
      <p>If you did not close it, reopen the workspace with the link, then change your password.</p>
    </EmailLayout>
  ).toString();
  return { kind: "workspace_closed", essential: true, subject, text, html };
}

/** Essential: a new reopen link the owner asked for from the workspaces page; the earlier one stops working. */
export function reopenLinkMail(p: { tenantName: string; link: string; eraseAfter: number }): RenderedMail {
  const when = closureDate(p.eraseAfter);
  const subject = `A new link to reopen ${p.tenantName}`;
  const text =
    `You asked for a new link to reopen the workspace ${p.tenantName} on ${APP}. Until ${when} it reopens ` +
    `the workspace (it works once):\n${p.link}\n\n` +
    `Any link we sent before no longer works. After ${when}, everything in the workspace is erased.` +
    `\n\n--\nThis is an essential message about your ${APP} account.`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true}>
      <p>
        You asked for a new link to reopen the workspace <strong>{p.tenantName}</strong>. It works once, until {when}.
      </p>
      <EmailButton href={p.link} label="Reopen the workspace" />
      <p>Any link we sent before no longer works. After {when}, everything in the workspace is erased.</p>
    </EmailLayout>
  ).toString();
  return { kind: "workspace_reopen_link", essential: true, subject, text, html };
}
