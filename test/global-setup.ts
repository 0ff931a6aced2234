/**
 * Runs in Node before the tests: starts a local HTTP server that stands in for external APIs the
 * app calls: Sentry's ingest endpoint and an HTTP mail API. It records what arrives; tests read the
 * record back from GET /__received. Test files run in parallel, so tests look only for their own
 * requests (their own Sentry project id, their own recipients).
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
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      const body = raw.toString("utf8");
      received.push({ method: req.method ?? "", path: url, headers: req.headers, body });
      // The mail API refuses recipients whose address contains "undeliverable", as a provider
      // does when it is down or rejects the message, so tests can watch retries.
      if (url === "/mail/send" && body.includes("undeliverable")) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"error":"unavailable"}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(url === "/mail/send" ? `{"id":"fake-${received.length}"}` : "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("fakeApiPort", (server.address() as AddressInfo).port);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
