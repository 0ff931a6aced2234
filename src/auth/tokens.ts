/**
 * Single-use tokens sent by email (verification, email change, password reset). The link holds 160
 * random bits; the database holds only their SHA-256, so a database leak opens no account.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64url } from "@oslojs/encoding";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { authTokens, type TokenKind } from "../db/schema";
import { randomToken } from "./session";

export const TOKEN_LIFETIME_MS: Record<TokenKind, number> = {
  verify_email: 48 * 3_600_000,
  change_email: 48 * 3_600_000,
  password_reset: 3_600_000,
};

/** The shape of an emailed token (randomToken()'s base32): a link with anything else is not looked up. */
export const EMAILED_TOKEN = /^[a-z2-7]{20,64}$/;

/** The stored form of a token. */
export function hashToken(token: string): string {
  return encodeBase64url(sha256(new TextEncoder().encode(token)));
}

/** A new token and the insert that stores its hash (for a batch). */
export function newAuthToken(db: Database, input: { kind: TokenKind; userId: string; email: string; now: number }) {
  const token = randomToken();
  return {
    token,
    query: db.insert(authTokens).values({
      tokenHash: hashToken(token),
      kind: input.kind,
      userId: input.userId,
      email: input.email,
      createdAt: input.now,
      expiresAt: input.now + TOKEN_LIFETIME_MS[input.kind],
    }),
  };
}

/** The token given, of this kind, not used yet and not expired: what finding and using one both ask. */
function isLiveToken(kind: TokenKind, token: string, now: number) {
  return and(
    eq(authTokens.tokenHash, hashToken(token)),
    eq(authTokens.kind, kind),
    isNull(authTokens.usedAt),
    gt(authTokens.expiresAt, now),
  );
}

/** A token that is of this kind, unused and unexpired, or null. Does not use it up. */
export async function findLiveToken(db: Database, kind: TokenKind, token: string, now: number) {
  if (token.length < 10 || token.length > 100) return null;
  const [row] = await db
    .select()
    .from(authTokens)
    .where(isLiveToken(kind, token, now))
    .limit(1);
  return row ?? null;
}

/**
 * Uses a token up with one conditional update, so of two simultaneous uses exactly one wins. Call it
 * before making the change the token authorises, and make the change only when it returns true.
 */
export async function useToken(db: Database, kind: TokenKind, token: string, now: number) {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(isLiveToken(kind, token, now))
    .returning();
  return row ?? null;
}

/** Invalidates every other live token of this kind for the user (a newer one supersedes them). */
export function retireTokens(db: Database, userId: string, kind: TokenKind, now: number) {
  return db
    .update(authTokens)
    .set({ usedAt: now })
    .where(and(eq(authTokens.userId, userId), eq(authTokens.kind, kind), isNull(authTokens.usedAt)));
}
