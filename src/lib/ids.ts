import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** A new random record id: 120 bits, 24 base32 characters. Unguessable, so ids leak nothing. */
export function newId(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Whether a value has the shape of an id from newId(), e.g. a tenant id read back from a cookie. */
export function isId(value: unknown): value is string {
  return typeof value === "string" && /^[a-z2-7]{24}$/.test(value);
}

/** A record id from the URL or a form: a positive integer, or null (which the caller answers with 404). */
export function parseRecordId(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}
