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
import { checkSettings, isLoopbackHost, listenAddress, loadVars, SettingsError, urlHost } from "./config";

export { loadVars, SettingsError };

export interface ServerOptions {
  /** The checkout: migrations/, public/, wrangler.toml, .dev.vars. */
  root: string;
  /** Default: PORT and HOST from the settings (listenAddress). */
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

/** Headers a reverse proxy adds with the client's address. */
const PROXY_HEADERS = ["X-Forwarded-For", "X-Real-IP", "Forwarded"];

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  installWorkersGlobals();
  const vars = { ...loadVars(options.root), ...options.vars };
  const listen = listenAddress(vars);
  const hostname = options.hostname ?? listen.hostname;
  checkSettings(vars, hostname);
  const platform = await openPlatform(options.root, vars);
  const handlers = worker as unknown as WorkerHandlers;
  platform.run(handlers, { cron: options.cron });
  const env = platform.env;
  // The client's address is the socket's, unless CLIENT_IP_HEADER names the header a trusted proxy sets.
  const ipHeader = vars.CLIENT_IP_HEADER;
  // A proxy on this machine without CLIENT_IP_HEADER makes every client 127.0.0.1: one rate limit for all of them.
  let proxyWarned = false;
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
    const socketIp = c.env.incoming.socket.remoteAddress || "0.0.0.0";
    if (!ipHeader && !proxyWarned && isLoopbackHost(socketIp.replace(/^::ffff:/, ""))) {
      const seen = PROXY_HEADERS.find((h) => headers.has(h));
      if (seen) {
        proxyWarned = true;
        console.warn(
          JSON.stringify({
            type: "client_ip_header_unset",
            message:
              `A request from this machine carries ${seen}: behind a reverse proxy, set CLIENT_IP_HEADER to the header ` +
              "it writes the client's address to (e.g. X-Real-IP, or X-Forwarded-For). Until then every client counts " +
              "as 127.0.0.1 for sign-in and sign-up limits.",
          }),
        );
      }
    }
    headers.set("CF-Connecting-IP", forwarded || socketIp);
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

  // A port in use or an address this machine lacks fails the start, with the platform closed again.
  const http = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: server.fetch, port: options.port ?? listen.port, hostname }, () => resolve(s));
    s.once("error", reject);
  }).catch(async (err) => {
    await platform.close();
    throw err;
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${urlHost(hostname)}:${port}`;
  // On this machine only (checkSettings): links in emails take the server's own address. Set on the bindings object
  // every request gets, before the first request is answered.
  if (!vars.APP_URL) {
    (env as { APP_URL?: string }).APP_URL = url;
    if (vars.ENVIRONMENT !== "development")
      console.warn(
        JSON.stringify({
          type: "app_url_unset",
          message: `APP_URL is not set: links in emails point to ${url}. Behind a reverse proxy, set APP_URL to the address people open.`,
        }),
      );
  }
  return {
    url,
    platform,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await platform.close();
    },
  };
}
