/**
 * The names a workspace gives its tags and custom fields: how a name is stored, the key that tells two names
 * apart (kept unique by the database), and how many of each a workspace may have.
 */

/**
 * At most this many tags per workspace and custom fields per record type: every record form and list filter
 * loads them all.
 */
export const SETTING_LIMITS = { tags: 2_000, customFieldsPerType: 500 } as const;

// Characters that show nothing and only hide a difference: soft hyphen, Arabic letter mark, Mongolian vowel
// separator, zero-width space, bidi marks, embeddings and isolates, word joiner and invisible operators, BOM.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// ZWNJ and ZWJ spell words in Persian and Indic scripts and join emoji (👩‍💻); beside a Latin letter, a space,
// punctuation or at either end they only hide a difference.
const JOINABLE = String.raw`[\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]|[^\P{L}A-Za-z]`;
const IDLE_JOINER = new RegExp(`(?<!${JOINABLE})[\\u200C\\u200D]|[\\u200C\\u200D](?!${JOINABLE})`, "gu");

/**
 * A tag's or custom field's name as stored: NFC (macOS writes "é" as e + accent), without invisible characters,
 * inner whitespace as single spaces, trimmed.
 */
export function cleanName(name: string): string {
  const visible = name.normalize("NFC").replace(INVISIBLE, "").replace(IDLE_JOINER, "");
  // NFC again: a removed character may have stood between a letter and its accent.
  return visible.replace(/\s+/g, " ").trim().normalize("NFC");
}

/**
 * The key two names that look the same share (tags.name_key, custom_fields.name_key): the clean name in lower
 * case. A clean name's key is its toLowerCase(), which the import's tag keys rely on.
 */
export function nameKeyOf(name: string): string {
  return cleanName(name).toLowerCase();
}
