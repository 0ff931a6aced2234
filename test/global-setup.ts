/**
 * Runs in Node before the tests: starts a local HTTP server that stands in for external APIs the
 * app calls (Sentry's ingest endpoint for now). It records what arrives; tests read the record
 * back from GET /__received.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { TestProject } from "vitest/node";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "/";
      if (req.method === "GET" && url === "/__received") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(received));
        return;
      }
      if (req.method === "DELETE" && url === "/__received") {
        received.length = 0;
        res.writeHead(204).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      received.push({ method: req.method ?? "", path: url, headers: req.headers, body: raw.toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("fakeApiPort", (server.address() as AddressInfo).port);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
