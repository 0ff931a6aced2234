/**
 * Secrets that outlive a password reset (API keys, webhook endpoints, calendar feeds) need a confirmed address:
 * whoever signed up with someone else's address could otherwise set one up, and keep reading the account's data
 * after its owner takes it back by a reset (which ends sessions and emailed links, not these).
 */
import type { Context } from "hono";
import type { AppEnv } from "../../../env";
import { authOf } from "../../context";

/** The refusal to show beside the form, or null when the reader's address is confirmed. */
export function unconfirmedRefusal(c: Context<AppEnv>, what: string): string | null {
  const { user } = authOf(c);
  if (user.emailVerifiedAt !== null) return null;
  return `Confirm your email address before ${what}: use the link we emailed to ${user.email} (your profile can send it again).`;
}
