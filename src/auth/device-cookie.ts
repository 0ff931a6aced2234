/**
 * Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser
 * that has signed in to an account (or reset its password) holds `<user id>.<nonce>.<signature>`, the
 * signature an HMAC-SHA256 under DEVICE_COOKIE_KEY. Such a browser is not slowed down when someone
 * else guesses that account's password from elsewhere (src/services/account/accounts.ts, logIn); its own
 * failures count against its nonce, and past the limit the cookie is refused for a while.
 * Nothing about it is stored on the server but those failure counters (hashed, 15 minutes).
 */
import {
  decodeBase64urlIgnorePadding,
  encodeBase32LowerCaseNoPadding,
  encodeBase64urlNoPadding,
} from "@oslojs/encoding";
import { isId } from "../lib/ids";

/** What a valid device cookie says: the account it signed in to, and its own random nonce. */
export interface DeviceCookie {
  userId: string;
  nonce: string;
}

/** How long a browser stays recognised after its last sign-in. */
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

const NONCE = /^[a-z2-7]{26}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = new TextEncoder().encode(secret);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

// A fixed prefix, so this key's signatures can never be mistaken for another use of it.
const signed = (userId: string, nonce: string) => new TextEncoder().encode(`device-cookie:v1:${userId}.${nonce}`);

/** A new device cookie value for `userId`, with a fresh 128-bit nonce. */
export async function newDeviceCookie(secret: string, userId: string): Promise<string> {
  const nonce = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16)));
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), signed(userId, nonce)));
  return `${userId}.${nonce}.${encodeBase64urlNoPadding(signature)}`;
}

/** The cookie's account and nonce when its signature is ours (checked in constant time), else null. */
export async function readDeviceCookie(secret: string, value: string | undefined): Promise<DeviceCookie | null> {
  if (!value || value.length > 120) return null;
  const [userId, nonce, signature, ...rest] = value.split(".");
  if (rest.length > 0 || !isId(userId) || !nonce || !NONCE.test(nonce) || !signature || !SIGNATURE.test(signature))
    return null;
  const key = await hmacKey(secret);
  const valid = await crypto.subtle.verify("HMAC", key, decodeBase64urlIgnorePadding(signature), signed(userId, nonce));
  return valid ? { userId, nonce } : null;
}
