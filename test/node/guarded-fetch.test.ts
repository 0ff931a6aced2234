/**
 * A self-hosted server's webhooks cannot be pointed at its own network: a name that resolves to a loopback or
 * private address is refused before anything is sent, and so is such an address typed as a literal. What a
 * receiver answers comes back as a Response (status, headers, text), an endless answer cut, a slow one timed out.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { guardedFetch } from "../../src/platform/node/guarded-fetch";
import { createNodePlatform } from "../../src/platform/node/platform";

let server: Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push(`${req.method} ${req.url} ${req.headers["webhook-id"] ?? ""} ${body}`);
      if (req.url === "/endless") {
        res.writeHead(200);
        const chunk = "x".repeat(16 * 1024);
        const more = () => {
          while (res.write(chunk)) {}
          res.once("drain", more);
        };
        more();
        return;
      }
      if (req.url === "/slow") return setTimeout(() => res.end("late"), 2_000);
      res.writeHead(202, { "x-receiver": "yes", "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the self-hosted webhook fetch", () => {
  it("refuses a name that resolves to a loopback address, and a loopback or private literal, sending nothing", async () => {
    const send = guardedFetch();
    for (const url of [`http://localhost:${port}/hook`, `http://127.0.0.1:${port}/hook`, `http://[::1]:${port}/hook`])
      await expect(send(url, { method: "POST", body: "{}" }), url).rejects.toThrow(/internal address/);
    expect(received).toEqual([]);
  });

  it("sends the method, headers and body, and gives back the status, headers and text", async () => {
    // The local receiver counted as public, to reach it.
    const send = guardedFetch(() => false);
    const res = await send(`http://localhost:${port}/hook`, {
      method: "POST",
      headers: { "webhook-id": "msg_1", "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-receiver")).toBe("yes");
    expect(await res.text()).toBe("thanks");
    expect(received.at(-1)).toBe('POST /hook msg_1 {"a":1}');
  });

  it("cuts an endless answer and gives up on a slow one at the signal", async () => {
    const send = guardedFetch(() => false);
    const endless = await send(`http://127.0.0.1:${port}/endless`, { method: "POST", body: "" });
    expect((await endless.arrayBuffer()).byteLength).toBeLessThan(200 * 1024);
    await expect(
      send(`http://127.0.0.1:${port}/slow`, { method: "POST", body: "", signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });

  it("is what every server sends webhooks with, development too; only ALLOW_PRIVATE_WEBHOOKS=1 outside production uses fetch", async () => {
    for (const [vars, guarded] of [
      [{ ENVIRONMENT: "production" }, true],
      [{ ENVIRONMENT: "development" }, true],
      [{ ENVIRONMENT: "production", ALLOW_PRIVATE_WEBHOOKS: "1" }, true],
      [{ ENVIRONMENT: "development", ALLOW_PRIVATE_WEBHOOKS: "1" }, false],
    ] as const) {
      const dataDir = mkdtempSync(path.join(tmpdir(), "customertrackr-guarded-"));
      const platform = createNodePlatform({ vars, dataDir });
      expect(typeof platform.env.WEBHOOK_FETCH, JSON.stringify(vars)).toBe(guarded ? "function" : "undefined");
      await platform.close();
    }
  });
});
