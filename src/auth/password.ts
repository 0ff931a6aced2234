import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { COMMON_PASSWORDS } from "./common-passwords";

/**
 * scrypt parameters: OWASP Password Storage Cheat Sheet row N=2^14, r=8, p=5 (16 MiB per hash).
 * The stronger N=2^17 row needs 128 MiB, which is all a Worker has. ≈160 ms per hash here.
 */
export const PASSWORD_PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
let params: { N: number; r: number; p: number } = PASSWORD_PARAMS;

/**
 * Test suites only (test/setup.ts): new hashes use N=2^10, r=8, p=1 (≈1 ms instead of ≈160 ms), so
 * the hundreds of sign-ups and logins of `npm test` do not spend most of its time hashing. Hashes
 * name their parameters, so verification is unchanged; production code never calls this.
 */
export function usePasswordCostForTests(): void {
  params = { N: 2 ** 10, r: 8, p: 1 };
}
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

const common = new Set(COMMON_PASSWORDS);

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r; leave headroom.
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password into a self-describing string: `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = params,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost.N, cost.r, cost.p);
  return ["scrypt", cost.N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time. A malformed hash never matches. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N * r * p > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const actual = await derive(password, salt, N, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// A fixed hash to verify against when the account does not exist, so a login for an unknown email
// takes as long as one for a known email.
let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real verification; always false. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("dummy password for timing equalisation");
  await verifyPassword(await dummyHash, password);
  return false;
}

/**
 * Our password rules (NIST SP 800-63B): 8 to 256 characters, no composition rules, no truncation,
 * and not one of the commonest passwords. Returns a message for the user, or null when acceptable.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (common.has(lower)) return "This password is one of the most common ones. Choose something harder to guess.";
  if (context.email && lower === context.email.toLowerCase()) return "Your password cannot be your email address.";
  return null;
}
