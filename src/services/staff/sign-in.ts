/**
 * The console's sign-in: email, password and a second factor (the authenticator's code, or a recovery
 * code, each good once) in one form, so nothing tells an attacker which of the three was wrong.
 * Rate-limited per IP and per account; a customer's password opens nothing here (separate table).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { staff, staffRecoveryCodes } from "../../db/schema";
import { verifyAgainstDummy, verifyPassword } from "../../auth/password";
import { hit, LIMITS, clear } from "../../auth/rate-limit";
import { newStaffSession } from "../../auth/staff-session";
import { matchTotp } from "../../auth/totp";
import type { RequestMeta } from "../../lib/actor";
import { hashToken } from "../../auth/tokens";
import { normaliseRecoveryCode } from "./accounts";
import { staffAuditInsert } from "./staff-audit";

export type StaffSignInResult =
  | { ok: true; token: string; staffId: string; usedRecoveryCode: boolean }
  | { ok: false; reason: "invalid" | "limited"; retryAfter?: number };

export async function signInStaff(
  db: Database,
  input: { email: string; password: string; code: string },
  meta: RequestMeta,
): Promise<StaffSignInResult> {
  const perIp = await hit(db, LIMITS.staffLoginPerIp, meta.ip ?? "unknown", meta.now);
  if (!perIp.allowed) return { ok: false, reason: "limited", retryAfter: perIp.retryAfter };
  // Attempts at one address from one IP, counted whether or not the address is staff's: the answer is the same for
  // both (no list of staff addresses), and someone elsewhere cannot lock a staff member out (the code is the wall).
  const source = `${input.email} ${meta.ip ?? "unknown"}`;
  const failures = await hit(db, LIMITS.staffLoginFailures, source, meta.now);
  if (!failures.allowed) return { ok: false, reason: "limited", retryAfter: failures.retryAfter };
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.email, input.email), isNull(staff.disabledAt)))
    .limit(1);
  if (!row?.passwordHash) {
    await verifyAgainstDummy(input.password);
    return { ok: false, reason: "invalid" };
  }
  if (!(await verifyPassword(row.passwordHash, input.password))) return { ok: false, reason: "invalid" };

  const code = input.code.trim();
  const step = matchTotp(row.totpKey, code, meta.now, row.totpLastStep);
  const session = newStaffSession(db, row.id, meta.now);
  const audit = staffAuditInsert(db, { staffId: row.id, action: "staff.signed_in", ...meta });
  if (step !== null) {
    // The step is claimed by a conditional update, so two sign-ins racing with one code get one session.
    const [claimed] = await db.batch([
      db
        .update(staff)
        .set({ totpLastStep: step })
        .where(
          and(
            eq(staff.id, row.id),
            row.totpLastStep === null ? isNull(staff.totpLastStep) : eq(staff.totpLastStep, row.totpLastStep),
          ),
        )
        .returning({ id: staff.id }),
    ]);
    if (!claimed.length) return { ok: false, reason: "invalid" };
    await db.batch([session.query, audit]);
  } else {
    const used = await db
      .update(staffRecoveryCodes)
      .set({ usedAt: meta.now })
      .where(
        and(
          eq(staffRecoveryCodes.staffId, row.id),
          eq(staffRecoveryCodes.codeHash, hashToken(normaliseRecoveryCode(code))),
          isNull(staffRecoveryCodes.usedAt),
        ),
      )
      .returning({ staffId: staffRecoveryCodes.staffId });
    if (!used.length) return { ok: false, reason: "invalid" };
    await db.batch([session.query, audit]);
  }
  await clear(db, LIMITS.staffLoginFailures, source);
  return { ok: true, token: session.token, staffId: row.id, usedRecoveryCode: step === null };
}
