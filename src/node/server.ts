/**
 * The app self-hosted on Node (`npm run start:node`): the Worker (src/index.ts) unchanged, its
 * bindings from the Node platform (src/platform/node), served by @hono/node-server with public/ as
 * the static assets, and the same per-path headers as on Workers (public/_headers).
 */
import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type HttpBindings, serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import worker from "../index";
import { applyMigrations } from "../platform/node/migrate";
import { installWorkersGlobals } from "../platform/node/globals";
import {
  createNodePlatform,
  executionContext,
  type NodePlatform,
  type WorkerHandlers,
} from "../platform/node/platform";
import { loadVars } from "./config";

export { loadVars };

export interface ServerOptions {
  /** The checkout: migrations/, public/, wrangler.toml, .dev.vars. */
  root: string;
  port?: number;
  hostname?: string;
  /** Overrides of the settings (tests). */
  vars?: Record<string, string>;
  /** Run the cron timer (default true; tests run the cron themselves). */
  cron?: boolean;
}

export interface RunningServer {
  url: string;
  platform: NodePlatform;
  close(): Promise<void>;
}

/** `/assets/*` → headers, from public/_headers (a path or a path ending in *, then indented Name: value lines). */
function headerRules(file: string): { pattern: string; headers: [string, string][] }[] {
  if (!existsSync(file)) return [];
  const rules: { pattern: string; headers: [string, string][] }[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) rules.push({ pattern: line.trim(), headers: [] });
    else {
      const i = line.indexOf(":");
      if (i > 0 && rules.length) rules.at(-1)!.headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
  }
  return rules;
}

const matches = (pattern: string, p: string) =>
  pattern.endsWith("*") ? p.startsWith(pattern.slice(0, -1)) : p === pattern;

/** Settings and data directory from the environment; migrations applied; the Node platform ready. */
export async function openPlatform(root: string, vars: Record<string, string | undefined>): Promise<NodePlatform> {
  const dataDir = path.resolve(root, vars.DATA_DIR || ".data");
  // The database's address and token are the platform's business, not bindings the app could read.
  const { LIBSQL_URL: _url, LIBSQL_AUTH_TOKEN: _token, ...appVars } = vars;
  const platform = createNodePlatform({
    vars: appVars,
    dataDir,
    libsqlUrl: vars.LIBSQL_URL,
    libsqlAuthToken: vars.LIBSQL_AUTH_TOKEN,
  });
  const local = !vars.LIBSQL_URL || vars.LIBSQL_URL.startsWith("file:");
  // A local file in WAL mode: readers never wait for a writer.
  if (local) await platform.client.execute("PRAGMA journal_mode=WAL");
  const applied = await applyMigrations(platform.client, path.join(root, "migrations"));
  if (applied.length) console.log(JSON.stringify({ type: "migrations_applied", names: applied }));
  // Synced at checkpoints rather than at every commit: a page view's usage write then costs no fsync on the one
  // thread every request shares (docs/benchmarks.md). A crash of the process loses nothing; a power cut may lose
  // the last commits, never the file (SQLite's WAL with synchronous=NORMAL). Set on the client's connection here,
  // and by the requests' own connection when it opens (src/platform/node/libsql-local.ts).
  if (local) await platform.client.execute("PRAGMA synchronous=NORMAL");
  return platform;
}

/** A setting the server cannot start without: its message is for the operator, its stack for nobody. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Addresses only this machine can reach: a server listening there may take its own address for links. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  installWorkersGlobals();
  const vars = { ...loadVars(options.root), ...options.vars };
  const hostname = options.hostname ?? "127.0.0.1";
  // Links in emails (password resets, invitations, confirmations) take APP_URL, else the request's origin: on Node
  // that is the Host header, which whoever asks for a reset chooses, so the victim's link would carry the token to
  // their site. Served to other machines, APP_URL is required; on this machine alone it is the server's address.
  if (!vars.APP_URL && !LOOPBACK.has(hostname))
    throw new SettingsError(
      `HOST=${hostname} serves other machines: set APP_URL to the address people open (e.g. https://crm.example.com). ` +
        "Links in emails are built from it; without it they would follow the Host header of whoever asks.",
    );
  const platform = await openPlatform(options.root, vars);
  const handlers = worker as unknown as WorkerHandlers;
  platform.run(handlers, { cron: options.cron });
  const env = platform.env;
  // The client's address is the socket's, unless CLIENT_IP_HEADER names the header a trusted proxy sets.
  const ipHeader = vars.CLIENT_IP_HEADER;
  const publicDir = path.join(options.root, "public");
  const rules = headerRules(path.join(publicDir, "_headers"));

  const server = new Hono<{ Bindings: HttpBindings }>();
  server.on(["GET", "HEAD"], "*", async (c, next) => {
    // Files whose name starts with "_" configure the assets (as on Workers), they are not served.
    if (c.req.path.split("/").some((s) => s.startsWith("_") || s.startsWith("."))) return next();
    return serveStatic({
      root: path.relative(process.cwd(), publicDir) || ".",
      onFound: (_file, c) => {
        for (const rule of rules)
          if (matches(rule.pattern, c.req.path)) for (const [k, v] of rule.headers) c.header(k, v);
      },
    })(c, next);
  });
  server.all("*", async (c) => {
    const headers = new Headers(c.req.raw.headers);
    // The last entry is the one the proxy wrote: proxies append to X-Forwarded-For what the client already sent.
    const forwarded = ipHeader ? headers.get(ipHeader)?.split(",").at(-1)?.trim() : undefined;
    headers.set("CF-Connecting-IP", forwarded || c.env.incoming.socket.remoteAddress || "0.0.0.0");
    const raw = c.req.raw;
    const hasBody = raw.method !== "GET" && raw.method !== "HEAD";
    const request = new Request(raw.url, {
      method: raw.method,
      headers,
      body: hasBody ? raw.body : undefined,
      redirect: "manual",
      signal: raw.signal,
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    return handlers.fetch(request, env, executionContext());
  });

  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: server.fetch, port: options.port ?? 8787, hostname }, () => resolve(s));
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${hostname}:${port}`;
  // The bindings object every request gets: set before the first request is answered.
  if (!vars.APP_URL) (env as { APP_URL?: string }).APP_URL = url;
  return {
    url,
    platform,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await platform.close();
    },
  };
}
