/**
 * The console's sign-in: email, password and a second factor (the authenticator's code, or a recovery
 * code, each good once) in one form, so nothing tells an attacker which of the three was wrong.
 * Rate-limited per IP, per address from one IP and per address from anywhere; a customer's password opens
 * nothing here (separate table). Failures go to the trail (tenant null), so a guessing attack shows.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { staff, staffRecoveryCodes } from "../../db/schema";
import { verifyAgainstDummy, verifyPassword } from "../../auth/password";
import { clear, hit, LIMITS, refund } from "../../auth/rate-limit";
import { newStaffSession } from "../../auth/staff-session";
import { matchTotp } from "../../auth/totp";
import type { RequestMeta } from "../../lib/actor";
import { hashToken } from "../../auth/tokens";
import type { DeviceCookie } from "../../auth/device-cookie";
import { recordAudit } from "../audit/audit";
import { normaliseRecoveryCode } from "./accounts";
import { staffAuditInsert } from "./staff-audit";

export type StaffSignInResult =
  | { ok: true; token: string; staffId: string; usedRecoveryCode: boolean }
  | { ok: false; reason: "invalid" | "limited"; retryAfter?: number };

/** How many of a staff member's recovery codes are still unused. */
export async function recoveryCodesLeft(db: Database, staffId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.staffId, staffId), isNull(staffRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/**
 * A failed or refused attempt, in the trail with no workspace and no actor (whoever tried is not known): aimed at
 * the staff member when the address is theirs, else at no one (the address is not kept: it may be anyone's).
 */
function recordStaffFailure(db: Database, staffId: string | null, reason: string, meta: RequestMeta) {
  return recordAudit(db, {
    tenantId: null,
    actorUserId: null,
    action: "auth.sign_in_failed",
    targetType: "staff",
    targetId: staffId ?? undefined,
    detail: { console: "staff", reason },
    ...meta,
  });
}

export async function signInStaff(
  db: Database,
  input: { email: string; password: string; code: string },
  meta: RequestMeta & { device?: DeviceCookie | null },
): Promise<StaffSignInResult> {
  const perIp = await hit(db, LIMITS.staffLoginPerIp, meta.ip ?? "unknown", meta.now);
  if (!perIp.allowed) return { ok: false, reason: "limited", retryAfter: perIp.retryAfter };
  const [row] = await db.select().from(staff).where(eq(staff.email, input.email)).limit(1);
  const staffId = row?.id ?? null;
  // A browser this staff member signed in with before (its signed cookie) is limited by its own failures only,
  // so someone guessing at the address from elsewhere cannot lock them out (device cookies, as customers have).
  const device = meta.device && row && meta.device.userId === row.id ? meta.device : null;
  const refuse = async (limit: { retryAfter: number }, reason: string) => {
    await recordStaffFailure(db, staffId, reason, meta);
    return { ok: false, reason: "limited", retryAfter: limit.retryAfter } as const;
  };
  // Attempts at one address from one IP, counted whether or not the address is staff's: the answer is the same for
  // both (no list of staff addresses).
  const source = `${input.email} ${meta.ip ?? "unknown"}`;
  // Each counter takes the attempt before the password is checked and decides from the count it returns, so guesses
  // sent all at once get no more checks than guesses sent one by one; a success gives the address's count back.
  if (device) {
    const own = await hit(db, LIMITS.loginFailuresPerDevice, device.nonce, meta.now);
    if (!own.allowed) return refuse(own, "locked (this browser)");
  } else {
    const failures = await hit(db, LIMITS.staffLoginFailures, source, meta.now);
    if (!failures.allowed) return refuse(failures, "locked (this address)");
    // Failures at the address from every IP: past the limit, unrecognised browsers share one attempt a minute, so
    // rotating IPv6 addresses buys no more guesses.
    const atAccount = await hit(db, LIMITS.staffLoginFailuresPerAccount, input.email, meta.now);
    if (!atAccount.allowed) {
      const turn = await hit(db, LIMITS.staffLoginPaceUnderAttack, input.email, meta.now);
      if (!turn.allowed) return refuse(turn, "slowed down");
    }
  }
  const fail = async (reason: string) => {
    await recordStaffFailure(db, staffId, reason, meta);
    return { ok: false, reason: "invalid" } as const;
  };
  if (!row?.passwordHash || row.disabledAt !== null) {
    await verifyAgainstDummy(input.password);
    return fail(row ? "disabled or not enrolled" : "unknown address");
  }
  if (!(await verifyPassword(row.passwordHash, input.password))) return fail("wrong password");

  const code = input.code.trim();
  const step = matchTotp(row.totpKey, code, meta.now, row.totpLastStep);
  const session = newStaffSession(db, row.id, meta.now);
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
    if (!claimed.length) return fail("code already used");
    await db.batch([session.query, staffAuditInsert(db, { staffId: row.id, action: "staff.signed_in", ...meta })]);
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
    if (!used.length) return fail("wrong code");
    const codesLeft = await recoveryCodesLeft(db, row.id);
    // A recovery code means the authenticator was not at hand (lost, or someone else has the code list): marked.
    const audit = staffAuditInsert(db, {
      staffId: row.id,
      action: "staff.signed_in",
      targetLabel: "with a recovery code",
      detail: { recovery_code: true, recovery_codes_left: codesLeft },
      ...meta,
    });
    await db.batch([session.query, audit]);
  }
  // Only this source's (or browser's) count is forgiven, and this attempt given back: others' failures stay.
  await clear(db, LIMITS.staffLoginFailures, source);
  if (device) await clear(db, LIMITS.loginFailuresPerDevice, device.nonce);
  else await refund(db, LIMITS.staffLoginFailuresPerAccount, input.email, meta.now);
  return { ok: true, token: session.token, staffId: row.id, usedRecoveryCode: step === null };
}
