import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** A new random record id: 120 bits, 24 base32 characters. Unguessable, so ids leak nothing. */
export function newId(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}
