/**
 * What a "Log activity" form may say: the kind, when (a wall time in the reader's zone, read as UTC ms),
 * how long, the outcome and notes. Pure: the routes hand it the body, the reader's zone and the time.
 */
import { INTERACTION_KINDS, type InteractionKind } from "../../db/schema";
import { isCalendarDate, isWallTime, wallTimeToUtc, wallTimeValue } from "../../lib/zoned-time";
import { CALL_OUTCOME_WORDS } from "../../../views/lib/interactions";

export const INTERACTION_NOTES_MAX = 20_000;
export const OUTCOME_MAX = 200;
export const DURATION_MAX_MINUTES = 1440;
/** A logged activity has happened: a wall time a little ahead (a clock, a zone) is allowed, no more. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

const CALL_OUTCOMES = CALL_OUTCOME_WORDS;
export type CallOutcome = keyof typeof CALL_OUTCOMES;

/** The form's fields, by their names in the form. */
export const INTERACTION_FIELDS = ["kind", "occurred_at", "duration_minutes", "outcome", "notes"] as const;
export type InteractionFormValues = Record<(typeof INTERACTION_FIELDS)[number], string>;

export interface InteractionInput {
  kind: InteractionKind;
  occurredAt: number;
  durationMinutes: number | null;
  /** A call's outcome code, or a meeting's or email's words; null when none. */
  outcome: string | null;
  notes: string | null;
}

export type InteractionParse =
  | { ok: true; data: InteractionInput }
  | { ok: false; errors: Partial<Record<keyof InteractionFormValues, string>> };

// C0 controls other than tab, newline and carriage return, DEL, and U+FFFD (bytes that were not UTF-8).
const INVALID_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/** A call's outcome code from what was typed or chosen: the code or the words, any case. */
function callOutcome(typed: string): CallOutcome | null {
  const key = typed.toLowerCase().replace(/\s+/g, " ");
  for (const [code, words] of Object.entries(CALL_OUTCOMES))
    if (key === code || key === words || key === code.replace("_", " ")) return code as CallOutcome;
  return null;
}

/** The instant a datetime-local value names in `zone` ('YYYY-MM-DDTHH:MM', seconds allowed), or null. */
export function wallTimeValueToUtc(value: string, zone: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::[0-5]\d(?:\.\d{1,3})?)?$/.exec(value);
  if (!m || !isCalendarDate(m[1]!) || !isWallTime(m[2]!)) return null;
  return wallTimeToUtc(m[1]!, m[2]!, zone);
}

/** The form's values as typed (strings only), for showing a refused form again. */
export function typedValues(body: Record<string, unknown>): InteractionFormValues {
  const out = {} as InteractionFormValues;
  for (const f of INTERACTION_FIELDS) {
    const v = body[f];
    out[f] = typeof v === "string" ? v : "";
  }
  return out;
}

/**
 * Reads a submitted form: each problem as a message by its field. `zone`: the reader's; `now`: UTC ms;
 * `stored`: on an edit, the instant the form was filled with.
 */
export function parseInteractionForm(
  body: Record<string, unknown>,
  zone: string,
  now: number,
  stored?: number,
): InteractionParse {
  const errors: Partial<Record<keyof InteractionFormValues, string>> = {};
  const raw = (name: keyof InteractionFormValues) => body[name];
  const str = (name: keyof InteractionFormValues) => {
    const v = raw(name);
    if (v === undefined) return "";
    if (typeof v !== "string") {
      errors[name] = "This must be text.";
      return "";
    }
    if (INVALID_CHARACTERS.test(v)) errors[name] = "This contains characters we cannot store.";
    return v.trim();
  };

  const kindText = str("kind");
  const kind = (INTERACTION_KINDS as readonly string[]).includes(kindText) ? (kindText as InteractionKind) : null;
  if (!kind && !errors.kind) errors.kind = "Choose a call, a meeting or an email.";

  let occurredAt = now;
  const when = str("occurred_at");
  // The wall time the edit form showed, sent back unchanged, is the stored instant: read again it would be
  // the first of a repeated (fall-back) hour, an hour off for a call in the second.
  if (stored !== undefined && when === wallTimeValue(stored, zone)) occurredAt = stored;
  else if (when) {
    const at = wallTimeValueToUtc(when, zone);
    if (at === null) errors.occurred_at = "Enter a date and time, like 2026-12-05 14:30.";
    else if (at > now + FUTURE_SLACK_MS) errors.occurred_at = "That is in the future: log what has happened.";
    else if (at < Date.UTC(1970, 0, 1)) errors.occurred_at = "Enter a date after 1970.";
    else occurredAt = at;
  }

  let durationMinutes: number | null = null;
  const duration = str("duration_minutes");
  if (duration) {
    if (!/^\d{1,5}$/.test(duration) || Number(duration) > DURATION_MAX_MINUTES)
      errors.duration_minutes = `Enter the minutes as a whole number from 0 to ${DURATION_MAX_MINUTES}.`;
    else durationMinutes = Number(duration);
  }

  let outcome: string | null = null;
  const outcomeTyped = str("outcome");
  if (kind === "call") {
    outcome = outcomeTyped ? callOutcome(outcomeTyped) : null;
    if (outcome === null && !errors.outcome)
      errors.outcome = "Choose how the call went: connected, no answer, left voicemail, busy or wrong number.";
  } else if (outcomeTyped) {
    if (outcomeTyped.length > OUTCOME_MAX) errors.outcome = `The outcome must be at most ${OUTCOME_MAX} characters.`;
    else outcome = outcomeTyped;
  }

  const notes = str("notes");
  if (notes.length > INTERACTION_NOTES_MAX)
    errors.notes = `Notes must be at most ${INTERACTION_NOTES_MAX.toLocaleString("en-US")} characters.`;

  if (!kind || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: { kind, occurredAt, durationMinutes, outcome, notes: notes || null } };
}
