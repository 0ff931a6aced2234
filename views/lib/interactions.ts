/** How logged calls, meetings and emails read: their kinds, a call's outcomes and a duration, in words. */

export type InteractionKindName = "call" | "meeting" | "email";

export const KIND_NOUN: Record<InteractionKindName, string> = { call: "Call", meeting: "Meeting", email: "Email" };

/** A call's outcomes: stored by code, shown and typed as the words (the form's parser reads both). */
export const CALL_OUTCOME_WORDS = {
  connected: "connected",
  no_answer: "no answer",
  voicemail: "left voicemail",
  busy: "busy",
  wrong_number: "wrong number",
} as const;

/** The outcome as it reads: a call's code in words, a meeting's or email's as typed. */
export function outcomeWords(kind: string, outcome: string | null): string | null {
  if (outcome === null) return null;
  if (kind === "call" && outcome in CALL_OUTCOME_WORDS)
    return CALL_OUTCOME_WORDS[outcome as keyof typeof CALL_OUTCOME_WORDS];
  return outcome;
}

/** "45 min", "1 h", "1 h 30 min". */
export function durationWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
