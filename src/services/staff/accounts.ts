/**
 * Staff accounts: created by an operator (the first admin, `npm run ops -- create-staff`) or by a staff
 * admin, enrolled by their owner through a one-time link (password, authenticator, recovery codes),
 * disabled when they leave. Never deleted: grants and trails keep their name.
 */
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { staff, staffRecoveryCodes, staffSessions, type StaffRole } from "../../db/schema";
import { hashPassword, passwordProblem } from "../../auth/password";
import { randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { matchTotp, newTotpKey, totpSetup } from "../../auth/totp";
import { newId } from "../../lib/ids";

export const ENROL_LINK_MS = 24 * 60 * 60 * 1000;
export const RECOVERY_CODE_COUNT = 10;

/** A recovery code as people type it: 10 base32 characters in two groups ("abcde-fghij"), 50 bits. */
function newRecoveryCode(): string {
  const bytes = new Uint8Array(7);
  crypto.getRandomValues(bytes);
  const raw = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Recovery codes are compared without case, spaces or dashes. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export type CreateStaffResult = { ok: true; id: string; enrolToken: string } | { ok: false; reason: "email_taken" };

/** A new staff member, not yet enrolled: the token is for their enrolment link (shown or mailed once). */
export async function createStaff(
  db: Database,
  input: { email: string; name: string; role: StaffRole },
  now: number,
): Promise<CreateStaffResult> {
  const enrolToken = randomToken();
  const id = newId();
  const inserted = await db
    .insert(staff)
    .values({
      id,
      email: input.email,
      name: input.name,
      role: input.role,
      totpKey: newTotpKey(),
      enrolTokenHash: hashToken(enrolToken),
      enrolExpiresAt: now + ENROL_LINK_MS,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: staff.id });
  return inserted.length ? { ok: true, id, enrolToken } : { ok: false, reason: "email_taken" };
}

/** The staff member an enrolment link is for, while it is good, with their authenticator's setup. */
export async function findEnrolment(db: Database, token: string, now: number) {
  const [row] = await db
    .select({ id: staff.id, email: staff.email, name: staff.name, totpKey: staff.totpKey })
    .from(staff)
    .where(and(eq(staff.enrolTokenHash, hashToken(token)), gt(staff.enrolExpiresAt, now), isNull(staff.disabledAt)))
    .limit(1);
  return row ? { ...row, setup: totpSetup(row.totpKey, row.email) } : null;
}

export type EnrolResult =
  | { ok: true; staffId: string; recoveryCodes: string[] }
  | { ok: false; field: "password" | "code" | "link"; message: string };

/**
 * Completes enrolment: the password (our usual rules) and a current code from the authenticator, which
 * proves it was set up. Returns the recovery codes to show once; only their hashes are kept.
 */
export async function completeEnrolment(
  db: Database,
  token: string,
  input: { password: string; code: string },
  now: number,
): Promise<EnrolResult> {
  const enrolment = await findEnrolment(db, token, now);
  if (!enrolment) return { ok: false, field: "link", message: "This enrolment link has expired or was used." };
  const problem = passwordProblem(input.password, { email: enrolment.email });
  if (problem) return { ok: false, field: "password", message: problem };
  const step = matchTotp(enrolment.totpKey, input.code.trim(), now, null);
  if (step === null)
    return { ok: false, field: "code", message: "That code is not the one your authenticator shows now." };
  const passwordHash = await hashPassword(input.password);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const claimed = await db.batch([
    db
      .update(staff)
      .set({ passwordHash, totpLastStep: step, enrolledAt: now, enrolTokenHash: null, enrolExpiresAt: null })
      .where(and(eq(staff.id, enrolment.id), eq(staff.enrolTokenHash, hashToken(token))))
      .returning({ id: staff.id }),
    db.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, enrolment.id)),
    db
      .insert(staffRecoveryCodes)
      .values(codes.map((code) => ({ staffId: enrolment.id, codeHash: hashToken(normaliseRecoveryCode(code)) }))),
  ]);
  if (!claimed[0].length) return { ok: false, field: "link", message: "This enrolment link has expired or was used." };
  return { ok: true, staffId: enrolment.id, recoveryCodes: codes };
}

/** Every staff member, for staff admins. */
export function listStaff(db: Database) {
  return db
    .select({
      id: staff.id,
      email: staff.email,
      name: staff.name,
      role: staff.role,
      enrolledAt: staff.enrolledAt,
      disabledAt: staff.disabledAt,
      createdAt: staff.createdAt,
    })
    .from(staff)
    .orderBy(asc(staff.name));
}

/** Disables a staff member and ends their sessions at once. */
export async function disableStaff(db: Database, id: string, now: number): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(staff)
      .set({ disabledAt: now, enrolTokenHash: null, enrolExpiresAt: null })
      .where(and(eq(staff.id, id), isNull(staff.disabledAt)))
      .returning({ id: staff.id }),
    db.delete(staffSessions).where(eq(staffSessions.staffId, id)),
  ]);
  return updated.length > 0;
}

/**
 * A fresh enrolment link for a staff member who has not enrolled yet (the earlier link stops working),
 * or null when they have (or do not exist). The local demo uses it to offer its staff admin's set-up.
 */
export async function reissueEnrolment(db: Database, email: string, now: number): Promise<string | null> {
  const token = randomToken();
  const updated = await db
    .update(staff)
    .set({ enrolTokenHash: hashToken(token), enrolExpiresAt: now + ENROL_LINK_MS })
    .where(and(eq(staff.email, email), isNull(staff.enrolledAt), isNull(staff.disabledAt)))
    .returning({ id: staff.id });
  return updated.length ? token : null;
}
