/**
 * The app's page patterns (GET routes under /app), read once from the app's route table after every
 * router is mounted (src/app.ts). The usage beacon accepts only these, so a beacon cannot store an
 * arbitrary string (or a URL with a record id) as a page.
 */
let patterns: ReadonlySet<string> = new Set();

/** Takes the page patterns from the mounted app's routes. */
export function registerPagePatterns(routes: readonly { method: string; path: string }[]): void {
  patterns = new Set(
    routes
      .filter((r) => r.method === "GET" && (r.path === "/app" || r.path.startsWith("/app/")) && !r.path.includes("*"))
      .map((r) => r.path),
  );
}

/** Whether `pattern` is one of the app's page patterns. */
export function isPagePattern(pattern: string): boolean {
  return patterns.has(pattern);
}
