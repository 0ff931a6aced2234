/**
 * Settings for the Node server, read as wrangler reads them for the Worker: wrangler.toml's [vars],
 * then .dev.vars, then the process environment (the last one wins). One list of defaults for both.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The `KEY = "value"` lines of wrangler.toml's [vars] table (the only shape it uses there). */
export function wranglerVars(toml: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inVars = false;
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) inVars = line === "[vars]";
    else if (inVars) {
      const m = line.match(/^([A-Z0-9_]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$/);
      if (m) out[m[1]!] = m[2]!.replace(/\\(.)/g, "$1");
    }
  }
  return out;
}

/** KEY=value lines of a .dev.vars file; # starts a comment line; optional quotes are taken off. */
export function dotVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const m = raw.trim().match(/^([A-Za-z0-9_]+)\s*=\s*(.*)$/);
    if (!m) continue;
    out[m[1]!] = m[2]!.replace(/^"(.*)"$|^'(.*)'$/, "$1$2");
  }
  return out;
}

export function loadVars(root: string, environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const read = (name: string) => (existsSync(path.join(root, name)) ? readFileSync(path.join(root, name), "utf8") : "");
  const fromEnv = Object.fromEntries(
    Object.entries(environment).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  return { ...wranglerVars(read("wrangler.toml")), ...dotVars(read(".dev.vars")), ...fromEnv };
}

/** A setting the server cannot start without: its message is for the operator, its stack for nobody. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Whether a host name or address can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host as it goes in a URL: an IPv6 address in brackets. */
export const urlHost = (host: string) => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

/** Where to listen: HOST and PORT from the settings (.dev.vars or the environment), else 127.0.0.1:8787. */
export function listenAddress(vars: Record<string, string | undefined>): { hostname: string; port: number } {
  const port = Number(vars.PORT || 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new SettingsError(`PORT=${vars.PORT} is not a port number (0 to 65535).`);
  return { hostname: vars.HOST || "127.0.0.1", port };
}

/**
 * Settings that would make a running server unsafe or wrong, refused before anything opens. `hostname` is where it
 * listens. Development (anything but ENVIRONMENT=production, as src/lib/dev-tools.ts reads it) is for one machine.
 */
export function checkSettings(vars: Record<string, string | undefined>, hostname: string): void {
  const environment = vars.ENVIRONMENT ?? "";
  const production = !environment || environment === "production";
  let appHost: string | null = null;
  if (vars.APP_URL) {
    try {
      appHost = new URL(vars.APP_URL).hostname;
    } catch {
      throw new SettingsError(
        `APP_URL=${vars.APP_URL} is not a URL: give the address people open, e.g. https://crm.example.com.`,
      );
    }
  }
  // .dev.vars.example says ENVIRONMENT=development (for wrangler dev): a server others reach must not run so, since
  // development allows plain-http webhooks to local hosts and the development switches.
  if (!production && (!isLoopbackHost(hostname) || (appHost !== null && !isLoopbackHost(appHost))))
    throw new SettingsError(
      `ENVIRONMENT=${environment} is for trying the app on this machine, but ${
        isLoopbackHost(hostname) ? `APP_URL=${vars.APP_URL}` : `HOST=${hostname}`
      } serves others: set ENVIRONMENT=production (in .dev.vars or the environment).`,
    );
  if (production && vars.ALLOW_PRIVATE_WEBHOOKS === "1")
    throw new SettingsError(
      "ALLOW_PRIVATE_WEBHOOKS=1 lets webhooks reach this machine's own network and is for testing against a local " +
        "receiver: it is refused in production. Remove it.",
    );
  // Links in emails (password resets, invitations, confirmations) take APP_URL, else the request's origin: on Node
  // that is the Host header, which whoever asks for a reset chooses. A server on this machine alone falls back to its
  // own address (the README's one command), with a warning at start since behind a local proxy that would be wrong.
  if (!vars.APP_URL && environment !== "development" && !isLoopbackHost(hostname))
    throw new SettingsError(
      "Set APP_URL to the address people open (e.g. https://crm.example.com). Links in emails are built from it; " +
        "without it they would follow the Host header of whoever asks.",
    );
  // Files live under DATA_DIR/files of each process: with a database server several processes share, an export
  // one made or an import upload one took must be where the others read and delete it.
  if (vars.LIBSQL_URL && !vars.LIBSQL_URL.startsWith("file:") && vars.FILES_SHARED !== "1")
    throw new SettingsError(
      "LIBSQL_URL names a database server, which several processes may share, but files are kept under DATA_DIR/files " +
        "of each process. Put DATA_DIR/files on storage every process mounts, then set FILES_SHARED=1 " +
        "(docs/self-host.md).",
    );
}
