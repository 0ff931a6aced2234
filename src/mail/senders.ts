/** Where mail goes: Cloudflare's send_email binding, or an HTTP provider. Chosen by configuration. */
import type { Bindings } from "../env";

export interface OutgoingMail {
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

/** Cloudflare Email Service through the `send_email` binding (also simulated by `wrangler dev`). */
export function bindingSender(binding: SendEmail, from: string): Sender {
  return {
    name: "cloudflare",
    async send(mail) {
      await binding.send({
        from: parseFrom(from),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
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
      const res = await fetch(url, {
        method: "POST",
        // A provider that never answers must not hold the sweep (and every later mail) past its lease.
        signal: AbortSignal.timeout(timeoutMs),
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({
          from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers ?? {},
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
