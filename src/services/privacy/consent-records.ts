/** Records of analytics consent, and which privacy-policy notice a user has dismissed. */
import { and, desc, eq, isNull, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { consentRecords, users, type ConsentChoice } from "../../db/schema";

/** Appends one choice to the record (a changed mind is a new row; the history stays). */
export async function recordConsent(
  db: Database,
  e: { consentId: string; analytics: ConsentChoice; policyVersion: string; userId: string | null; now: number },
): Promise<void> {
  await db.insert(consentRecords).values({
    consentId: e.consentId,
    analytics: e.analytics,
    policyVersion: e.policyVersion,
    userId: e.userId,
    createdAt: e.now,
  });
}

/** The newest 50 recorded choices that match `which`, newest first. */
function latestChoices(db: Database, which: SQL) {
  return db.select().from(consentRecords).where(which).orderBy(desc(consentRecords.id)).limit(50);
}

/** The choices recorded for one consent id, newest first. */
export async function consentHistory(db: Database, consentId: string) {
  return latestChoices(db, eq(consentRecords.consentId, consentId));
}

/** The choices a signed-in user made, newest first (for their profile). */
export async function consentChoicesOfUser(db: Database, userId: string) {
  return latestChoices(db, eq(consentRecords.userId, userId));
}

/** Marks the privacy policy of `version` as seen; never moves the mark back to an older version. */
export async function markPrivacyNoticeSeen(db: Database, userId: string, version: string, now: number): Promise<void> {
  await db
    .update(users)
    .set({ privacySeenVersion: version, updatedAt: now })
    .where(and(eq(users.id, userId), or(isNull(users.privacySeenVersion), lt(users.privacySeenVersion, version))));
}
