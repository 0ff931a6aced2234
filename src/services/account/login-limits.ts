/**
 * The guessing limits of a sign-in (docs/architecture.md, "Brute force"). Every counter takes the attempt with
 * one atomic upsert BEFORE the password is checked, and the decision comes from the count it returns: simultaneous
 * guesses each get their own number, so a burst from many IPs cannot all pass a look that counts nothing. What
 * turns out not to be a failure (a success, a refused turn) is given back afterwards.
 */
import type { Database } from "../../db/client";
import type { DeviceCookie } from "../../auth/device-cookie";
import { clear, hit, LIMITS, networkOf, refund } from "../../auth/rate-limit";

/**
 * Which limit refused a sign-in: this IP's failures at all accounts; this account's failures from this
 * source; the account's turns for unrecognised browsers while it is under attack; this browser's own
 * failures (device cookie).
 */
export type LoginLimitScope = "ip" | "source" | "account" | "device";

export type LoginAdmission =
  /** The password may be checked; `settle` says how it went, so a success gives back what it took. */
  | { ok: true; settle: (succeeded: boolean) => Promise<void> }
  | { ok: false; scope: LoginLimitScope; retryAfter: number };

/**
 * Counts a sign-in attempt and says whether its password may be checked. A browser with a valid device cookie
 * for the account (`device`, already matched to it) is limited by its own failures, whatever its IP; any
 * other by its IP's failures, by this account's failures from its IP, and, once the account has had 10 failures
 * from such browsers in the window, by one shared turn per 30 seconds. Every attempt, right or not, also counts
 * against a generous cap per network that nothing gives back (`loginAttemptsPerIp`).
 */
export async function admitLogin(
  db: Database,
  attempt: { email: string; ip: string | null; device: DeviceCookie | null; now: number },
): Promise<LoginAdmission> {
  const { email, device, now } = attempt;
  const refused = (limit: { retryAfter: number }, scope: LoginLimitScope) =>
    ({ ok: false, scope, retryAfter: limit.retryAfter }) as const;

  const network = networkOf(attempt.ip);
  const all = await hit(db, LIMITS.loginAttemptsPerIp, network, now);
  if (!all.allowed) return refused(all, "ip");

  if (device) {
    const own = await hit(db, LIMITS.loginFailuresPerDevice, device.nonce, now);
    if (!own.allowed) return refused(own, "device");
    return {
      ok: true,
      settle: async (succeeded) => {
        if (succeeded) await clear(db, LIMITS.loginFailuresPerDevice, device.nonce);
      },
    };
  }

  const source = `${email} ${network}`;
  const perIp = await hit(db, LIMITS.loginPerIp, network, now);
  if (!perIp.allowed) return refused(perIp, "ip");
  const fromSource = await hit(db, LIMITS.loginFailuresPerSource, source, now);
  if (!fromSource.allowed) return refused(fromSource, "source");
  const atAccount = await hit(db, LIMITS.loginFailuresPerAccount, email, now);
  if (!atAccount.allowed) {
    const turn = await hit(db, LIMITS.loginPaceUnderAttack, email, now);
    if (!turn.allowed) {
      // A refused turn is no failure from this source: the owner retrying on their network is not locked out by it.
      await refund(db, LIMITS.loginFailuresPerSource, source, now);
      return refused(turn, "account");
    }
  }
  return {
    ok: true,
    settle: async (succeeded) => {
      if (!succeeded) return;
      // Only failures count: the IP and the account get this attempt back (the account keeps others' failures),
      // and this source's failures are forgiven.
      await Promise.all([
        refund(db, LIMITS.loginPerIp, network, now),
        refund(db, LIMITS.loginFailuresPerAccount, email, now),
        clear(db, LIMITS.loginFailuresPerSource, source),
      ]);
    },
  };
}
