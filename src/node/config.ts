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
