/** Types of scripts/ops.mjs's argument handling, for test/ops. */
export function parseArgs(argv: string[]): { positional: string[]; options: Record<string, string | true | undefined> };
export function requestFor(
  action: string,
  args: string[],
  options: Record<string, string | true | undefined>,
): { error?: string; method?: "GET" | "POST"; path?: string; body?: Record<string, string>; out?: string };
