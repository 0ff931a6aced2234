/**
 * Correcting an account as its owner asked by mail: its email address (to be confirmed again), and
 * its email preferences ("or by contacting us").
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { emailPreferences, users } from "../../db/schema";
import { newAuthToken, retireTokens } from "../../auth/tokens";
import type { RequestMeta } from "../../lib/actor";
import { emailChangedNoticeMail, verifyEmailMail } from "../../mail/messages";
import { findUserByEmail, isEmailTaken, type BaseUrl } from "../account/accounts";
import { getEmailPreferences, type EmailPreferenceValues } from "../account/email-preferences";
import { queueAccountMail } from "../mail/outbox";
import { type AccountActor, accountActionAudit, workspaceIdsOf } from "./operator";

export type CorrectEmailResult =
  | { ok: true; userId: string; mailIds: string[] }
  | { ok: false; reason: "not_found" | "email_taken" | "same_address" };

/**
 * Corrects an account's address on a verified request. The new address must be confirmed again
 * (a verification link goes to it), and the old one is told, as with a change the user makes.
 * From the console it runs only once a second staff admin approves (approveAccountAction): a reset
 * link to the new address would otherwise let one person take the account over.
 */
export async function correctEmail(
  db: Database,
  oldEmail: string,
  newEmail: string,
  by: AccountActor,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CorrectEmailResult> {
  if (oldEmail === newEmail) return { ok: false, reason: "same_address" };
  const user = await findUserByEmail(db, oldEmail);
  if (!user) return { ok: false, reason: "not_found" };
  if (await findUserByEmail(db, newEmail)) return { ok: false, reason: "email_taken" };
  const tenantIds = await workspaceIdsOf(db, user.id);
  const verification = newAuthToken(db, { kind: "verify_email", userId: user.id, email: newEmail, now: meta.now });
  const link = `${meta.baseUrl}/verify-email/${verification.token}`;
  const confirm = queueAccountMail(db, newEmail, user.id, verifyEmailMail(link), meta.now);
  const notice = queueAccountMail(db, oldEmail, user.id, emailChangedNoticeMail(newEmail, true), meta.now);
  try {
    await db.batch([
      db
        .update(users)
        .set({ email: newEmail, emailVerifiedAt: null, updatedAt: meta.now })
        .where(eq(users.id, user.id)),
      // Links sent to the old address no longer work.
      retireTokens(db, user.id, "verify_email", meta.now),
      retireTokens(db, user.id, "change_email", meta.now),
      retireTokens(db, user.id, "password_reset", meta.now),
      verification.query,
      confirm.query,
      notice.query,
      ...accountActionAudit(db, by, meta, tenantIds, {
        opsAction: "ops.email_corrected",
        staffAction: "support.email_corrected",
        targetType: "user",
        targetId: user.id,
        targetLabel: oldEmail,
      }),
    ]);
  } catch (err) {
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    throw err;
  }
  return { ok: true, userId: user.id, mailIds: [confirm.id, notice.id] };
}

export type SetPreferencesResult =
  | { ok: true; preferences: EmailPreferenceValues }
  | { ok: false; reason: "not_found" };

/** Sets either list on or off, the other kept as it is. Audited with who acted, the reason and the new values. */
export async function setPreferencesFor(
  db: Database,
  email: string,
  change: Partial<EmailPreferenceValues>,
  by: AccountActor,
  meta: RequestMeta,
): Promise<SetPreferencesResult> {
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: false, reason: "not_found" };
  const [current, tenantIds] = await Promise.all([getEmailPreferences(db, user.id), workspaceIdsOf(db, user.id)]);
  const preferences: EmailPreferenceValues = {
    digest: change.digest ?? current.digest,
    news: change.news ?? current.news,
    reminders: change.reminders ?? current.reminders,
    agenda: change.agenda ?? current.agenda,
    mentions: change.mentions ?? current.mentions,
  };
  await db.batch([
    db
      .insert(emailPreferences)
      .values({ userId: user.id, ...preferences, updatedAt: meta.now })
      .onConflictDoUpdate({ target: emailPreferences.userId, set: { ...preferences, updatedAt: meta.now } }),
    ...accountActionAudit(db, by, meta, tenantIds, {
      opsAction: "ops.email_preferences_set",
      staffAction: "support.email_preferences_set",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      detail: preferences,
    }),
  ]);
  return { ok: true, preferences };
}
