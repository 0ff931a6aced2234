/** Form parsing with zod: every problem becomes a message keyed by the form field's name. */
import { z } from "zod";

export type FieldErrors = Record<string, string>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

// C0 controls other than tab, newline and carriage return, DEL, and U+FFFD, which is what a
// decoder leaves where the bytes were not valid UTF-8.
const INVALID_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/** A text field: a string (not a file), trimmed, within the length, free of control characters. */
export function text(label: string, opts: { min?: number; max: number }) {
  return z
    .string({ error: `${label} must be text.` })
    .trim()
    .refine((s) => !INVALID_CHARACTERS.test(s), { error: `${label} contains characters we cannot store.` })
    .refine((s) => (opts.min ?? 0) === 0 || s.length >= (opts.min ?? 0), {
      error: opts.min === 1 ? `Enter ${label.toLowerCase()}.` : `${label} must be at least ${opts.min} characters.`,
    })
    .refine((s) => s.length <= opts.max, { error: `${label} must be at most ${opts.max} characters.` });
}

/** A tag's name: text without ";", which separates tags in exported and imported files. */
export function tagName(label: string, opts: { min?: number; max: number }) {
  return text(label, opts).refine((s) => !s.includes(";"), {
    error: `${label} cannot contain “;”: it separates tags in exports and imports.`,
  });
}

// zod's address rule, with a domain's last label also an IDNA one ("xn--p1ai", the ASCII form of ".рф").
const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)$/;
// What a domain may not hold before it is handed to the URL parser, which would read it as a path, port or user.
const NOT_IN_DOMAIN = /[\s/\\?#@:%[\]]/;

/**
 * The address with its domain in ASCII (punycode, as Chrome sends from an email field): anna@müller.de and
 * anna@xn--mller-kva.de are one address. A domain the URL parser refuses is left as typed, for the rule to refuse.
 */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1);
  if (at < 0 || !/[^\x00-\x7F]/.test(domain) || NOT_IN_DOMAIN.test(domain)) return address;
  try {
    return `${address.slice(0, at)}@${new URL(`http://${domain}`).hostname.toLowerCase()}`;
  } catch {
    return address;
  }
}

/** An email address, normalised to lower case with its domain in ASCII. */
export function email(missing = "Enter your email address.") {
  const tooLong = { error: "An email address has at most 254 characters." };
  return z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .max(254, tooLong)
    .toLowerCase()
    .transform(asciiDomain)
    .pipe(
      z
        .string()
        .max(254, tooLong)
        .pipe(z.email({ pattern: EMAIL_PATTERN, error: "Enter an email address like name@example.com." })),
    );
}

/** A checkbox that must be ticked. */
export function requiredCheckbox(message: string) {
  return z.union([z.literal("on"), z.literal("1"), z.literal("true"), z.literal("yes")], { error: message });
}

/** Validates a parsed form body against a schema. */
export function parseForm<S extends z.ZodType>(schema: S, body: Record<string, unknown>): ParseResult<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The first value of a form field as a string, or "" (for echoing input back into a form). */
export function formValue(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === "string" ? v : "";
}

/** The named fields as typed (formValue of each), to show a refused form again with what was typed. */
export function formValues<Name extends string>(
  body: Record<string, unknown>,
  names: readonly Name[],
): Record<Name, string> {
  return Object.fromEntries(names.map((name) => [name, formValue(body, name)])) as Record<Name, string>;
}

// What a redirect target may contain: printable ASCII path, query and fragment characters. No
// whitespace or controls (browsers strip tabs and newlines, "/\t/x" becomes "//x"), no backslash
// (read as "/"), nothing outside ASCII (full-width slashes are normalised to "/").
const REDIRECT_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;
// Any origin: resolving against it only tells whether the target stays on the site it is given.
const OWN_ORIGIN = "https://customertrackr.invalid";

/**
 * A safe local redirect target taken from a request (`next`, `back`): a path on this site, never
 * another origin. Every redirect target that comes from a request goes through here.
 */
export function safeNextPath(next: unknown, fallback = "/app"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return fallback;
  if (!REDIRECT_CHARACTERS.test(next)) return fallback;
  // No escapes in the path part: "/%2F/evil" must not turn into "//evil" in a later decode.
  if (/^[^?#]*%/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  // Dot segments can make a path of "//host" ("/.//evil"): what the browser gets must start with one "/".
  if (url.origin !== OWN_ORIGIN || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
