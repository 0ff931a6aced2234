/** The contact form's two emails: the message to our support address, and the sender's acknowledgement. */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailLayout } from "../../views/emails/EmailLayout";

const APP = "CustomerTrackr";

/** Both are transactional: sent because of what the sender did, whatever any email preference says. */
const ACK_NOTE =
  `This is an essential, transactional email: we sent it because this address was given on ` +
  `the ${APP} contact page. It is not marketing, and it is the only email we send about it besides our reply.`;

/** One bare address: no spaces, line breaks, controls, brackets, quotes or list separators. */
const ONE_ADDRESS = /^[^\s\u0000-\u001f\u007f<>,;:"()[\]\\]+@[^\s\u0000-\u001f\u007f<>,;:"()[\]\\@]+$/;

/** The message, to the support inbox. Carries what the sender typed (escaped in the HTML). */
export function supportMessageMail(p: { name: string; email: string; message: string; id: string }): RenderedMail {
  const subject = `Contact form: ${p.name}`.slice(0, 150);
  const text =
    `A message arrived through the contact page (reference ${p.id}).\n\nName: ${p.name}\n` +
    `Email: ${p.email}\n\n${p.message}\n\nReply to ${p.email}.`;
  const html = (
    <EmailLayout
      appName={APP}
      preheader={subject}
      essential={true}
      note="Sent to the support address by the contact page."
    >
      <p>A message arrived through the contact page (reference {p.id}).</p>
      <p>
        <strong>Name:</strong> {p.name}
        <br />
        <strong>Email:</strong> {p.email}
      </p>
      <p style="white-space:pre-wrap">{p.message}</p>
    </EmailLayout>
  ).toString();
  // Support's Reply goes to the sender. Only a bare address becomes the header (the form's rule allows nothing
  // else anyway): a line break or an address list here would be header text of the sender's choosing.
  const headers = ONE_ADDRESS.test(p.email) ? { "Reply-To": p.email } : undefined;
  return { kind: "support_message", essential: true, subject, text, html, headers };
}

/**
 * The acknowledgement to the address the sender gave. It repeats nothing they typed (neither name
 * nor message), so the form cannot be used to send someone else a text of one's choosing.
 */
export function supportAckMail(p: { id: string }): RenderedMail {
  const subject = `We received your message to ${APP}`;
  const text =
    `Thank you for writing to ${APP}. We received your message (reference ${p.id}) and will reply ` +
    `to this address as soon as we can.\n\nIf you did not write to us, you can ignore this email: nothing ` +
    `else will be sent.\n\n--\n${ACK_NOTE}`;
  const html = (
    <EmailLayout appName={APP} preheader={subject} essential={true} note={ACK_NOTE}>
      <p>Thank you for writing to {APP}.</p>
      <p>We received your message (reference {p.id}) and will reply to this address as soon as we can.</p>
      <p>If you did not write to us, you can ignore this email: nothing else will be sent.</p>
    </EmailLayout>
  ).toString();
  return { kind: "support_ack", essential: true, subject, text, html };
}
