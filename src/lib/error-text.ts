/**
 * An error as logs and Sentry may see it. drizzle wraps a failed statement as "Failed query: …\nparams: …",
 * and those values are what a user typed (names, addresses, note text): they are cut, the statement is kept.
 */
const PARAMS = /\nparams: [\s\S]*$/;

/** The error's message without a failed query's values, at most `max` characters. */
export function errorText(err: unknown, max = 500): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` (cause: ${err.cause.message})` : "";
  return (message.replace(PARAMS, "") + cause).slice(0, max);
}

/** The same error for a report: its message and stack without a failed query's values, its cause kept. */
export function withoutQueryValues(err: unknown): unknown {
  if (!(err instanceof Error) || !PARAMS.test(err.message)) return err;
  const clean = new Error(err.message.replace(PARAMS, ""), { cause: err.cause });
  clean.name = err.name;
  clean.stack = err.stack?.replace(err.message, clean.message);
  return clean;
}
