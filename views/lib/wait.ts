/** How long to wait, in words a reader says: "1 second", "45 seconds", "1 minute", "3 minutes" (never "1 minutes"). */
export function waitWords(seconds: number): string {
  if (seconds <= 1) return "1 second";
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return minutesWords(Math.ceil(seconds / 60));
}

/** A whole number of minutes in words, singular for one. */
export function minutesWords(minutes: number): string {
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
