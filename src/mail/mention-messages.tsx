/** The mail telling a member that a colleague mentioned them in a note (non-essential: one-click unsubscribe). */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton } from "../../views/emails/EmailLayout";
import { compose } from "./messages";

/** A name on one line: it goes into a subject header. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/** "Ada Lovelace mentioned you in a note on a contact": what the bell and the mail say. */
export function mentionTitle(author: string, subjectType: string): string {
  const what = subjectType === "company" ? "a company" : subjectType === "deal" ? "a deal" : "a contact";
  return `${oneLine(author)} mentioned you in a note on ${what}`.slice(0, 200);
}

/**
 * The mail names who mentioned the reader and links to the record; the note's words stay in the app,
 * so a mail (kept in the outbox) holds no contact's personal data.
 */
export function mentionMail(p: {
  author: string;
  subjectType: string;
  workspace: string;
  link: string;
  unsubscribeUrl: string;
}): RenderedMail {
  const headline = mentionTitle(p.author, p.subjectType);
  return compose(
    "mention",
    false,
    headline.slice(0, 150),
    `${headline}\nWorkspace: ${oneLine(p.workspace)}\n\nOpen it: ${p.link}`,
    <>
      <p style="font-weight:600">{headline}</p>
      <p>Workspace: {p.workspace}</p>
      <EmailButton href={p.link} label="Open the note" />
    </>,
    p.unsubscribeUrl,
  );
}
