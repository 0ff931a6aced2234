/** Where mail goes: Cloudflare's send_email binding, or an HTTP provider. Chosen by configuration. */
import type { Bindings } from "../env";

export interface OutgoingMail {
  /** The outbox row's id: the provider's idempotency key, so a retry of a send it already took goes out once. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface Sender {
  readonly name: string;
  send(mail: OutgoingMail): Promise<void>;
}

export const DEFAULT_FROM = "CustomerTrackr <no-reply@customertrackr.test>";

function parseFrom(from: string): { email: string; name: string } | string {
  const m = from.match(/^\s*(.*?)\s*<([^>]+)>\s*$/);
  return m ? { name: m[1]!, email: m[2]! } : from;
}

/** The outbox's Reply-To header apart from the others: both APIs take it as a field of its own (Cloudflare refuses it as a header). */
function splitReplyTo(headers: Record<string, string> | undefined) {
  const { "Reply-To": replyTo, ...rest } = headers ?? {};
  return { replyTo, headers: rest };
}

/** Cloudflare Email Service through the `send_email` binding (also simulated by `wrangler dev`). */
export function bindingSender(binding: SendEmail, from: string): Sender {
  return {
    name: "cloudflare",
    async send(mail) {
      // The binding takes no idempotency key: a send it took whose "sent" could not be recorded may go out twice.
      const { replyTo, headers } = splitReplyTo(mail.headers);
      await binding.send({
        from: parseFrom(from),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers,
        ...(replyTo ? { replyTo } : {}),
      });
    },
  };
}

/** How long a mail provider has to answer one send before it counts as a failed attempt (retried later). */
export const SEND_TIMEOUT_MS = 10_000;

/** An HTTP mail API taking `{from, to, subject, text, html, headers}` as JSON with a bearer token (Resend's shape). */
export function httpSender(url: string, token: string, from: string, timeoutMs = SEND_TIMEOUT_MS): Sender {
  return {
    name: "http",
    async send(mail) {
      const { replyTo, headers } = splitReplyTo(mail.headers);
      const res = await fetch(url, {
        method: "POST",
        // A provider that never answers must not hold the sweep (and every later mail) past its lease.
        signal: AbortSignal.timeout(timeoutMs),
        // A send repeated within 24 h under the same Idempotency-Key (a timeout's retry) goes out once at Resend.
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": mail.id },
        body: JSON.stringify({
          from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers,
          ...(replyTo ? { reply_to: replyTo } : {}),
        }),
      });
      if (!res.ok) throw new Error(`mail provider answered ${res.status}`);
    },
  };
}

/** The sender the configuration asks for, or null when mail cannot be sent (it then waits in the outbox). */
export function senderFromEnv(env: Bindings): Sender | null {
  const from = env.MAIL_FROM || DEFAULT_FROM;
  if (env.MAIL_PROVIDER === "http") {
    return env.MAIL_HTTP_URL && env.MAIL_HTTP_TOKEN ? httpSender(env.MAIL_HTTP_URL, env.MAIL_HTTP_TOKEN, from) : null;
  }
  return env.EMAIL ? bindingSender(env.EMAIL, from) : null;
}
