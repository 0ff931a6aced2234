/**
 * Time-based one-time passwords (RFC 6238: 30-second steps, 6 digits) on @oslojs/otp's HOTP. A code is
 * accepted for the step before and after the current one (clock drift), and only once: the caller
 * stores the step it matched, and that step or an earlier one is refused next time.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeBase64, encodeBase32UpperCaseNoPadding, encodeBase64 } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";

export const TOTP_STEP_S = 30;
export const TOTP_DIGITS = 6;

/** A new TOTP key (160 bits, as RFC 4226 recommends), base64 for storage. */
export function newTotpKey(): string {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return encodeBase64(key);
}

/** What an authenticator app needs: the key in base32 to type in, and the otpauth:// URI. */
export function totpSetup(storedKey: string, accountName: string): { secret: string; uri: string } {
  const key = decodeBase64(storedKey);
  const secret = encodeBase32UpperCaseNoPadding(key);
  return { secret, uri: createTOTPKeyURI("CustomerTrackr staff", accountName, key, TOTP_STEP_S, TOTP_DIGITS) };
}

function stepAt(now: number): number {
  return Math.floor(now / 1000 / TOTP_STEP_S);
}

/** The code of a key at a time, as an authenticator app shows it (tests and the e2e's "phone" use it). */
export function totpCodeAt(storedKey: string, now: number): string {
  return generateHOTP(decodeBase64(storedKey), BigInt(stepAt(now)), TOTP_DIGITS);
}

/**
 * The step a code matches (previous, current or next), or null. `lastStep` is the last step accepted for
 * this key: that one and earlier are refused, so a code seen over someone's shoulder cannot be replayed.
 */
export function matchTotp(storedKey: string, code: string, now: number, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase64(storedKey);
  const given = new TextEncoder().encode(code);
  const current = stepAt(now);
  let matched: number | null = null;
  for (const step of [current - 1, current, current + 1]) {
    const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS));
    if (constantTimeEqual(expected, given) && (lastStep === null || step > lastStep)) matched = step;
  }
  return matched;
}
