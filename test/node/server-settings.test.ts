/**
 * What `npm run start:node` refuses, and what it tells the operator, before a setting makes the server unsafe or
 * wrong: development served to others, no APP_URL, a shared database with per-process files. And the settings it
 * honours: HOST and PORT from .dev.vars, an IPv6 loopback, a proxy's headers it is not told to trust.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { checkSettings, listenAddress, loadVars } from "../../src/node/config";
import { type RunningServer, startServer } from "../../src/node/server";
import { testBindings } from "./bindings";
import { signUp } from "./server-helpers";

const root = path.resolve(import.meta.dirname, "../..");
const tempDir = (name: string) => mkdtempSync(path.join(tmpdir(), `customertrackr-${name}-`));
const running: RunningServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A server on its own database and folder, with the test settings and `vars` on top. */
async function start(vars: Record<string, string>, options: { hostname?: string; port?: number } = {}) {
  const server = await startServer({
    root,
    port: 0,
    hostname: "127.0.0.1",
    cron: false,
    ...options,
    vars: { ...testBindings(inject("fakeApiPort")), DATA_DIR: tempDir("settings"), LIBSQL_URL: "", ...vars },
  });
  running.push(server);
  return server;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("settings the Node server refuses", () => {
  it("refuses development (as .dev.vars.example sets it) when others reach the server, by HOST or by APP_URL", async () => {
    await expect(start({ ENVIRONMENT: "development", APP_URL: "" }, { hostname: "0.0.0.0" })).rejects.toThrow(
      /ENVIRONMENT=development .*HOST=0\.0\.0\.0 serves others: set ENVIRONMENT=production/,
    );
    // Behind a proxy on this machine: the loopback HOST does not hide that people open APP_URL.
    await expect(start({ ENVIRONMENT: "development", APP_URL: "https://crm.example.com" })).rejects.toThrow(
      /APP_URL=https:\/\/crm\.example\.com serves others: set ENVIRONMENT=production/,
    );
  });

  it("in production, refuses to start without APP_URL when others reach it; on this machine alone it warns", async () => {
    await expect(start({ ENVIRONMENT: "production", APP_URL: "" }, { hostname: "0.0.0.0" })).rejects.toThrow(
      /Set APP_URL/,
    );
    expect(() => checkSettings({ ENVIRONMENT: "production", APP_URL: "" }, "127.0.0.1")).not.toThrow();
  });

  it("refuses a database server several processes share unless FILES_SHARED says the files are shared too", async () => {
    const vars = { ENVIRONMENT: "production", APP_URL: "https://crm.example.com", LIBSQL_URL: "http://sqld:8080" };
    await expect(start(vars)).rejects.toThrow(
      /DATA_DIR\/files on storage every process mounts, then set FILES_SHARED=1/,
    );
    expect(() => checkSettings({ ...vars, FILES_SHARED: "1" }, "127.0.0.1")).not.toThrow();
    expect(() => checkSettings({ ...vars, LIBSQL_URL: "file:/srv/crm.db" }, "127.0.0.1")).not.toThrow();
  });
});

describe("settings the Node server honours", () => {
  it("listens on the PORT and HOST of .dev.vars, as the docs list them there", async () => {
    const checkout = tempDir("checkout");
    writeFileSync(path.join(checkout, ".dev.vars"), "HOST=::1\nPORT=9123\n");
    expect(listenAddress(loadVars(checkout, {}))).toEqual({ hostname: "::1", port: 9123 });
    // The settings' PORT, not a default: what start:node passes now is the checkout alone.
    const port = await freePort();
    const server = await start({ ENVIRONMENT: "development", PORT: String(port) }, { port: undefined });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it("on HOST=::1, prints an address that opens and signs people up (links built from it)", async (ctx) => {
    const probe = createServer();
    const v6 = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(0, "::1", () => probe.close(() => resolve(true)));
    });
    if (!v6) return ctx.skip("no IPv6 loopback on this machine");
    const server = await start({ ENVIRONMENT: "development" }, { hostname: "::1" });
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const { status } = await signUp(server.url, `v6-${Date.now()}@node.example`);
    expect(status).toBe(303);
  });

  it("says once how to see clients' addresses when a proxy on this machine forwards them and CLIENT_IP_HEADER is unset", async () => {
    const warn = vi.spyOn(console, "warn");
    const server = await start({ ENVIRONMENT: "development" });
    for (const ip of ["203.0.113.9", "198.51.100.7"])
      await (await fetch(`${server.url}/login`, { headers: { "X-Forwarded-For": ip } })).text();
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("client_ip_header_unset"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("X-Forwarded-For: behind a reverse proxy, set CLIENT_IP_HEADER");
  });
});
