/**
 * Fixed-window counters in D1 for brute-force protection. They work the same under `wrangler dev`,
 * in tests and in production, and count globally (the Rate Limiting binding counts per location).
 * Keys are hashed, so the table holds no email address or IP.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64url } from "@oslojs/encoding";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { rateLimits } from "../db/schema";

export interface Limit {
  /** What is limited, e.g. "login-ip". */
  name: string;
  max: number;
  windowMs: number;
}

export const LIMITS = {
  // Sign-in (src/services/account/login-limits.ts): failed or refused attempts per IP (an IPv6 /64), by browsers
  // not recognised for the account; failures per account and source (IP), which locks that source out of that
  // account; failures per account from all unrecognised browsers, past which they get one attempt per
  // `loginPaceUnderAttack` window; failures per device cookie, past which that cookie is refused for a while.
  loginPerIp: { name: "login-ip", max: 30, windowMs: 10 * 60 * 1000 },
  // Every sign-in from one network, right or wrong, recognised browser or not, never given back: each costs a
  // password hash and, when right, a session and an audit entry.
  loginAttemptsPerIp: { name: "login-ip-all", max: 300, windowMs: 10 * 60 * 1000 },
  loginFailuresPerSource: { name: "login-account-ip", max: 10, windowMs: 15 * 60 * 1000 },
  loginFailuresPerAccount: { name: "login-account", max: 10, windowMs: 15 * 60 * 1000 },
  loginPaceUnderAttack: { name: "login-account-pace", max: 1, windowMs: 30 * 1000 },
  loginFailuresPerDevice: { name: "login-device", max: 10, windowMs: 15 * 60 * 1000 },
  signupPerIp: { name: "signup-ip", max: 10, windowMs: 60 * 60 * 1000 },
  resetPerIp: { name: "reset-ip", max: 10, windowMs: 60 * 60 * 1000 },
  resetPerAccount: { name: "reset-account", max: 3, windowMs: 60 * 60 * 1000 },
  verificationPerUser: { name: "verify-user", max: 5, windowMs: 60 * 60 * 1000 },
  // A signed-in user typing their password again (src/services/account/reauth.ts): password, email, deletion,
  // closing a workspace, handing it over.
  passwordChangePerUser: { name: "password-change-user", max: 10, windowMs: 15 * 60 * 1000 },
  // Email-change confirmations per new address, so the form cannot flood a stranger's inbox.
  emailChangePerAddress: { name: "email-change-address", max: 3, windowMs: 24 * 60 * 60 * 1000 },
  // /contact: messages per network address, and acknowledgements per recipient, so the form
  // cannot be used to flood someone else's inbox from many addresses.
  contactPerIp: { name: "contact-ip", max: 5, windowMs: 60 * 60 * 1000 },
  contactAckPerEmail: { name: "contact-ack-email", max: 3, windowMs: 24 * 60 * 60 * 1000 },
  // Cookie choices: each one is a row of the consent record, so anonymous scripts cannot fill D1.
  consentPerIp: { name: "consent-ip", max: 30, windowMs: 10 * 60 * 1000 },
  // Workspaces a user creates from the switcher (src/services/team/workspaces.ts): a few a day is plenty.
  workspacesPerUser: { name: "workspace-create-user", max: 5, windowMs: 24 * 60 * 60 * 1000 },
  // The staff console's sign-in (src/services/staff/sign-in.ts): attempts per IP, and per address from one IP;
  // failures per address from anywhere (an attacker rotating IPs), past which the address gets one attempt per
  // `staffLoginPaceUnderAttack` window, as customers' unrecognised browsers do.
  staffLoginPerIp: { name: "staff-login-ip", max: 20, windowMs: 10 * 60 * 1000 },
  staffLoginFailures: { name: "staff-login-account", max: 5, windowMs: 15 * 60 * 1000 },
  staffLoginFailuresPerAccount: { name: "staff-login-address", max: 10, windowMs: 15 * 60 * 1000 },
  staffLoginPaceUnderAttack: { name: "staff-login-address-pace", max: 1, windowMs: 60 * 1000 },
  // The JSON API (src/services/api/rate-limits.ts): requests per key, and per workspace whatever its keys.
  apiPerKey: { name: "api-key", max: 300, windowMs: 60 * 1000 },
  apiPerWorkspace: { name: "api-workspace", max: 600, windowMs: 60 * 1000 },
} as const satisfies Record<string, Limit>;

function keyFor(limit: Limit, subject: string): string {
  return encodeBase64url(sha256(new TextEncoder().encode(`${limit.name}:${subject}`)));
}

/** The stored key of a limit's counter for a subject (so an erased account's counters can go with it). */
export function limitKey(limit: Limit, subject: string): string {
  return keyFor(limit, subject);
}

/**
 * No limit's window is longer than this: the retention job deletes counters whose window started
 * before it. A limit with a longer window must raise it (test/retention checks every LIMITS entry).
 */
export const LONGEST_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface LimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/** Counts one event against the limit and says whether it is still within it. */
export async function hit(db: Database, limit: Limit, subject: string, now: number): Promise<LimitResult> {
  const expired = now - limit.windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: keyFor(limit, subject), windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN ${now}
          ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const retryAfter = Math.max(1, Math.ceil((row!.windowStart + limit.windowMs - now) / 1000));
  return { allowed: row!.count <= limit.max, retryAfter };
}

/** Says whether the limit is already used up, without counting anything. */
export async function isLimited(db: Database, limit: Limit, subject: string, now: number): Promise<LimitResult> {
  const [row] = await db
    .select()
    .from(rateLimits)
    .where(eq(rateLimits.key, keyFor(limit, subject)))
    .limit(1);
  if (!row || row.windowStart <= now - limit.windowMs) return { allowed: true, retryAfter: 0 };
  const retryAfter = Math.max(1, Math.ceil((row.windowStart + limit.windowMs - now) / 1000));
  return { allowed: row.count < limit.max, retryAfter };
}

/**
 * Gives back one event `hit` counted at `now` (an attempt that turned out not to count against this limit),
 * as long as that window is still the counter's.
 */
export async function refund(db: Database, limit: Limit, subject: string, now: number): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`max(${rateLimits.count} - 1, 0)` })
    .where(
      and(
        eq(rateLimits.key, keyFor(limit, subject)),
        gt(rateLimits.windowStart, now - limit.windowMs),
        lte(rateLimits.windowStart, now),
      ),
    );
}

/**
 * The subject of a per-address limit: an IPv4 address as it is, an IPv6 address as its /64. One home or phone
 * usually holds a whole /64, so counting its addresses one by one would give it billions of budgets.
 */
export function networkOf(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // "::" stands for as many zero groups as are missing.
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** Forgets the counter (after a successful login). */
export async function clear(db: Database, limit: Limit, subject: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, keyFor(limit, subject)));
}
