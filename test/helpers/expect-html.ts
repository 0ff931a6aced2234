/** Checks on the HTML of a page, said once. */
import { expect } from "vitest";

/** Expects `html` to contain every one of `parts`; a failure names the part that is missing. */
export function expectToContainAll(html: string, parts: string[]): void {
  for (const part of parts) expect(html, part).toContain(part);
}
