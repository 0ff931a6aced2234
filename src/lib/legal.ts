/**
 * The dates of our legal pages. Each is the page's "Last updated" date and its version: a consent
 * records the cookie policy's date it was given under, and a newer privacy policy date shows
 * signed-in users a notice once. Change a date only when the page's text changes materially.
 */
export const LEGAL_DATES = {
  privacy: "2026-12-05",
  terms: "2026-11-26",
  cookies: "2026-12-05",
} as const;

/** The version signed-in users are told about once (users.privacy_seen_version). */
export const PRIVACY_VERSION: string = LEGAL_DATES.privacy;

/** The version an analytics consent is recorded under; a consent given under another is asked again. */
export const COOKIE_POLICY_VERSION: string = LEGAL_DATES.cookies;

const VERSION = /^\d{4}-\d{2}-\d{2}$/;

/** True for a policy version string ("YYYY-MM-DD"). */
export function isPolicyVersion(value: unknown): value is string {
  return typeof value === "string" && VERSION.test(value);
}

/**
 * Whether a signed-in user should see the privacy-policy change notice: they have not dismissed it
 * for the current version, and they accepted the policy (at sign-up) before its current date. A
 * user who signed up under the current policy has read it and is not told it changed.
 */
export function needsPrivacyNotice(
  user: { privacySeenVersion: string | null; termsAcceptedAt: number },
  current = PRIVACY_VERSION,
): boolean {
  if (user.privacySeenVersion !== null && user.privacySeenVersion >= current) return false;
  return user.termsAcceptedAt < Date.parse(`${current}T00:00:00Z`);
}

/**
 * How long we keep what, as the privacy policy states it. The retention job (and the account
 * closure) must use these as their defaults, so the published periods and the code agree.
 */
export const RETENTION = {
  /** A closed account can be reopened for this long; then everything of it is erased. */
  closureGraceDays: 30,
  /** The billing ledger kept after closure (invoice references, amounts, dates; no contact data). */
  billingLedgerYears: 7,
  /** D1 Time Travel: point-in-time restores age out after this. */
  backupDays: 30,
  /** Workers Logs (request logs) on the Workers Paid plan. */
  requestLogDays: 7,
  /** Messages sent through /contact. */
  supportMessageDays: 365,
  /** The workspace audit trail. */
  auditLogDays: 365,
  /** The text of emails we sent (the outbox keeps a copy for retries and support). */
  mailBodyDays: 30,
  /** Uploaded import files and their error files. */
  importFileDays: 30,
  /** What an import changed (the values before, so undo can put them back); undo ends with them. */
  importUndoDays: 30,
  /** Deleted records wait in the trash (restorable) this long, then the retention job deletes them. */
  trashDays: 30,
  /** The weekly digest's record of each run (the week, and how far the run got); no content. */
  digestRunDays: 28,
  /** Data-export archives: the download link works for 24 hours. */
  exportArchiveHours: 24,
  /** The API's answers to requests sent with an Idempotency-Key, kept to answer a retry the same way. */
  apiAnswerHours: 24,
  /** The record of each analytics cookie choice (proof of consent): the choice lasts 6 months; its record two years. */
  consentRecordDays: 730,
} as const;
