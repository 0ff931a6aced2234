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

/**
 * A posted zone when it is one the runtime knows, else null (never an error: it is a preference). A current
 * IANA name the runtime lists under its older one (Firefox and Safari send Asia/Kolkata and Europe/Kyiv, V8
 * lists Asia/Calcutta and Europe/Kiev) is taken as that listed name, so the settings' list shows it chosen.
 */
export function knownTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 64) return null;
  if (zoneSet().has(value)) return value;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){1,2}$/.test(value)) return null;
  try {
    const listed = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    return zoneSet().has(listed) ? listed : null;
  } catch {
    return null;
  }
}

/** Where a request comes from, as Cloudflare places it: the likely zone of the reader before the session says. */
export function requestZone(request: Request): string {
  return knownTimeZone((request as { cf?: { timezone?: unknown } }).cf?.timezone) ?? "UTC";
}
