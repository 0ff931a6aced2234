/** The list's opaque keyset cursors: the last id of a page, so clients never build or parse one. */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

/** The cursor after `id`. */
export function encodeCursor(id: number): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(`after:${id}`));
}

/** The id a cursor continues after, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  try {
    const m = /^after:([1-9]\d{0,14})$/.exec(new TextDecoder().decode(decodeBase64urlIgnorePadding(cursor)));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
