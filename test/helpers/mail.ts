/** Reads the outbox and the fake mail provider, as a user reads their inbox. */
import { env } from "cloudflare:workers";
import { inject } from "vitest";

export interface OutboxRow {
  id: string;
  to_address: string;
  kind: string;
  essential: number;
  subject: string;
  text_body: string;
  html_body: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/** Every outbox row addressed to `to`, oldest first. */
export async function mailTo(to: string): Promise<OutboxRow[]> {
  const rows = await env.DB.prepare("SELECT * FROM email_outbox WHERE to_address = ? ORDER BY created_at, rowid")
    .bind(to)
    .all<OutboxRow>();
  return rows.results;
}

/** The newest mail of a kind to an address; fails the test when there is none. */
export async function lastMail(to: string, kind: string): Promise<OutboxRow> {
  const mail = (await mailTo(to)).filter((m) => m.kind === kind).at(-1);
  if (!mail) throw new Error(`no ${kind} mail to ${to}`);
  return mail;
}

/** The path of the first link in a mail's text that starts with `prefix`, e.g. "/verify-email/". */
export function linkPath(mail: OutboxRow, prefix: string): string {
  const url = mail.text_body.match(new RegExp(`https?://[^\\s]+${prefix.replace(/\//g, "\\/")}[^\\s]+`))?.[0];
  if (!url) throw new Error(`no ${prefix} link in ${mail.kind} mail`);
  return new URL(url).pathname;
}

export interface ProviderRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What the fake mail provider received for an address. */
export async function deliveredTo(to: string): Promise<
  {
    headers: Record<string, string>;
    message: { to: string[]; subject: string; text: string; html: string; from: string };
  }[]
> {
  const all = (await (await fetch(`http://127.0.0.1:${inject("fakeApiPort")}/__received`)).json()) as ProviderRequest[];
  return all
    .filter((r) => r.path === "/mail/send")
    .map((r) => ({ headers: r.headers, message: JSON.parse(r.body) }))
    .filter((r) => r.message.to.includes(to));
}
