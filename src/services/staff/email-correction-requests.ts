/**
 * Asking, from the console, to correct an account's address. Nothing changes when asked: whoever holds the new
 * address could take the account over with a password reset, so one staff member alone must not be able to move it.
 * The request waits in account_actions until a different staff admin approves it (approveAccountAction in
 * ./account-actions.ts), which runs correctEmail as /ops does.
 */
import type { Database } from "../../db/client";
import type { StaffAuth } from "../../auth/staff-session";
import type { RequestMeta } from "../../lib/actor";
import { findUserByEmail } from "../account/accounts";
import { accountSummary, recordRequest, type StaffReason } from "./account-actions";

export type EmailCorrectionAsk =
  | { ok: true; id: string }
  | { ok: false; reason: "not_found" | "already_asked" | "email_taken" | "same_address" };

/**
 * Records the request for a second admin. Refused at once when the address is the account's or another
 * account's, as the correction itself would be, so the asker can fix it while the requester is on the line.
 */
export async function requestEmailCorrection(
  db: Database,
  who: StaffAuth,
  userId: string,
  newEmail: string,
  input: StaffReason,
  meta: RequestMeta,
): Promise<EmailCorrectionAsk> {
  const summary = await accountSummary(db, userId, meta.now);
  if (!summary) return { ok: false, reason: "not_found" };
  if (summary.email === newEmail) return { ok: false, reason: "same_address" };
  if (summary.pendingEmailCorrection) return { ok: false, reason: "already_asked" };
  if (await findUserByEmail(db, newEmail)) return { ok: false, reason: "email_taken" };
  const target = { kind: "correct_email" as const, userId, email: summary.email, newEmail };
  return { ok: true, id: await recordRequest(db, who, target, input, meta) };
}
