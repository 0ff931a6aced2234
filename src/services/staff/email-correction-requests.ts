/**
 * Asking, from the console, to correct an account's address. Nothing changes when asked: whoever holds the new
 * address could take the account over with a password reset, so one staff member alone must not be able to move it.
 * The request waits in account_actions until a different staff admin approves it (approveAccountAction in
 * ./account-actions.ts), which runs correctEmail as /ops does.
 */
import type { Database } from "../../db/client";
import { accountActions } from "../../db/schema";
import type { StaffAuth } from "../../auth/staff-session";
import type { RequestMeta } from "../../lib/actor";
import { newId } from "../../lib/ids";
import { findUserByEmail } from "../account/accounts";
import { accountSummary, dropExpired, type StaffReason } from "./account-actions";
import { staffAuditInsert } from "./staff-audit";

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
  const id = newId();
  await db.batch([
    dropExpired(db, meta.now),
    db.insert(accountActions).values({
      id,
      kind: "correct_email",
      targetUserId: userId,
      staffId: who.id,
      staffName: who.name,
      reason: input.reason,
      ticket: input.ticket,
      newEmail,
      createdAt: meta.now,
    }),
    // In the console's trail about the user (so in the account's data export), as an erasure request is.
    staffAuditInsert(db, {
      staffId: who.id,
      staffName: who.name,
      action: "support.email_correction_requested",
      targetType: "user",
      targetId: userId,
      targetLabel: summary.email,
      detail: { reason: input.reason, ...(input.ticket ? { ticket: input.ticket } : {}) },
      ...meta,
    }),
  ]);
  return { ok: true, id };
}
