/** Telling failures apart: a D1 constraint that a guarded batch tripped, and a Stripe object already gone. */
export { failedWith } from "../../db/sql";

/** Whether a Stripe call failed because the object does not exist (any more). */
export function isMissingResource(err: unknown): boolean {
  return Boolean(err && typeof err === "object" && (err as { code?: unknown }).code === "resource_missing");
}
