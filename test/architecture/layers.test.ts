/// <reference types="vite/client" />
/**
 * The house's layers: routes → services → views. A service never reaches the Hono context or a route
 * (they would tie it to one request and make it unusable from jobs and the cron); a view never reaches
 * the database.
 */
import { describe, expect, it } from "vitest";

const services = import.meta.glob("../../src/services/**/*.{ts,tsx}", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const views = import.meta.glob("../../views/**/*.{ts,tsx}", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** The modules a source file imports (static and dynamic), as written. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

describe("layers", () => {
  it("reads every service and view", () => {
    expect(Object.keys(services).length).toBeGreaterThan(100);
    expect(Object.keys(views).length).toBeGreaterThan(50);
  });

  it("no service imports hono, the Hono context or a route", () => {
    const offenders = Object.entries(services).flatMap(([file, source]) =>
      importsOf(source)
        .filter((spec) => spec === "hono" || /\/routes\//.test(spec) || /\/middleware\//.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("no view imports the database or a service's queries", () => {
    const offenders = Object.entries(views).flatMap(([file, source]) =>
      importsOf(source)
        .filter((spec) => /\/db\/|drizzle-orm|cloudflare:/.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
