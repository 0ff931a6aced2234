/** Telling failures apart: a D1 constraint that a guarded batch tripped, and a Stripe object already gone. */

/** Whether `err` or one of its causes (D1 wraps them) says `message`, e.g. "UNIQUE constraint failed: t.c". */
export function failedWith(err: unknown, message: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (String(e).includes(message)) return true;
  }
  return false;
}

/** Whether a Stripe call failed because the object does not exist (any more). */
export function isMissingResource(err: unknown): boolean {
  return Boolean(err && typeof err === "object" && (err as { code?: unknown }).code === "resource_missing");
}
