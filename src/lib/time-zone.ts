/** IANA time zones: the names the profile and workspace settings offer, and the check of a posted one. */
let known: Set<string> | null = null;

/** Every zone the runtime knows, sorted, UTC first. */
export function timeZones(): string[] {
  return ["UTC", ...[...zoneSet()].filter((z) => z !== "UTC").sort()];
}

function zoneSet(): Set<string> {
  known ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return known;
}

/** A posted zone when it is one the runtime knows, else null (never an error: it is a preference). */
export function knownTimeZone(value: unknown): string | null {
  return typeof value === "string" && value.length <= 64 && zoneSet().has(value) ? value : null;
}

/** Where a request comes from, as Cloudflare places it: the likely zone of the reader before the session says. */
export function requestZone(request: Request): string {
  return knownTimeZone((request as { cf?: { timezone?: unknown } }).cf?.timezone) ?? "UTC";
}
