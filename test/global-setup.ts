/**
 * Runs in Node before the tests: starts a local HTTP server that stands in for external APIs the
 * app calls: Sentry's ingest endpoint, an HTTP mail API, Stripe's API (the real stripe SDK talks
 * to it over http) and Analytics Engine's SQL API (test/fake-analytics-engine.ts). It records what
 * arrives; tests read the record back from GET /__received. Test files run in parallel, so tests look only for their own requests (their own Sentry project id,
 * their own recipients, their own Stripe customers).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { TestProject } from "vitest/node";
import { analyticsEngineFake } from "./fake-analytics-engine";
import type { RepoTexts } from "./helpers/repo";
import { sqlStatements } from "./sql-statements";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Just the part of Stripe's API the app calls, with the shapes the SDK reads. Subscriptions are
 * whatever a test defines with POST /__stripe/subscriptions (a JSON subscription object), so a test
 * decides what "the current state at Stripe" is when a webhook makes the app fetch it.
 */
function stripeFake() {
  let seq = 0;
  const customers = new Map<string, Record<string, unknown>>();
  const subscriptions = new Map<string, unknown>();
  const invoices: { customer: string }[] = [];
  const checkoutSessions = new Map<
    string,
    Record<string, unknown> & { status: string; customer?: string; url: string | null }
  >();
  const next = (prefix: string) => {
    seq += 1;
    return `${prefix}_fake${Date.now().toString(36)}${seq}`;
  };
  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  /** A new checkout or billing portal session: its id, its kind, what the SDK reads of it, and its page. */
  const session = (prefix: string, object: string, fields: Record<string, unknown>, page: (id: string) => string) => {
    const id = next(prefix);
    return json(200, { id, object, ...fields, url: page(id) });
  };
  const missing = (what: string, id: string) =>
    json(404, {
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such ${what}: '${id}'`,
        param: "id",
      },
    });

  return (method: string, path: string, body: string): { status: number; body: string } | null => {
    if (method === "POST" && path === "/__stripe/subscriptions") {
      const sub = JSON.parse(body) as { id: string };
      subscriptions.set(sub.id, sub);
      return json(200, { ok: true });
    }
    // Invoices a test says a customer has: GET /v1/invoices?customer= lists them (newest first, as Stripe does).
    if (method === "POST" && path === "/__stripe/invoices") {
      invoices.push(JSON.parse(body) as { customer: string });
      return json(200, { ok: true });
    }
    if (!path.startsWith("/v1/")) return null;
    // The SDK sends form-encoded parameters; the record keeps them flat ("metadata[tenant_id]").
    const params = Object.fromEntries(new URLSearchParams(body));
    const route = path.replace(/\?.*$/, "");
    const customerId = route.match(/^\/v1\/customers\/([^/]+)$/)?.[1];
    const subscriptionId = route.match(/^\/v1\/subscriptions\/([^/]+)$/)?.[1];
    // Like the mail API's "undeliverable", an address containing "stripe-outage" makes Stripe fail,
    // so tests can watch the app cope with Stripe being down.
    if (method === "POST" && route === "/v1/customers" && (params.email ?? "").includes("stripe-outage")) {
      return json(500, { error: { type: "api_error", message: "simulated outage" } });
    }
    if (method === "POST" && route === "/v1/customers") {
      const customer = {
        id: next("cus"),
        object: "customer",
        email: params.email ?? null,
        name: params.name ?? null,
        metadata: { tenant_id: params["metadata[tenant_id]"] },
      };
      customers.set(customer.id, customer);
      return json(200, customer);
    }
    // Updating a customer (corrections: the owner's address, the workspace name); "stripe-outage" in
    // either makes Stripe fail, so tests can watch a correction survive Stripe being down.
    if (method === "POST" && customerId) {
      const customer = customers.get(customerId);
      if (!customer) return missing("customer", customerId);
      if (`${params.email ?? ""} ${params.name ?? ""}`.includes("stripe-outage"))
        return json(500, { error: { type: "api_error", message: "simulated outage" } });
      if (params.email !== undefined) customer.email = params.email;
      if (params.name !== undefined) customer.name = params.name;
      return json(200, customer);
    }
    if (method === "DELETE" && customerId) {
      if (!customers.delete(customerId)) return missing("customer", customerId);
      return json(200, { id: customerId, object: "customer", deleted: true });
    }
    if (method === "POST" && route === "/v1/checkout/sessions") {
      const { mode, customer, client_reference_id = null } = params;
      const id = next("cs_test");
      const created = { id, object: "checkout.session", mode, customer, client_reference_id, subscription: null };
      checkoutSessions.set(id, { ...created, status: "open", url: `https://checkout.stripe.com/c/pay/${id}` });
      return json(200, checkoutSessions.get(id));
    }
    // A customer's Checkout sessions by status, and expiring one (its page then takes no payment).
    if (method === "GET" && route === "/v1/checkout/sessions") {
      const query = new URLSearchParams(path.split("?")[1] ?? "");
      const data = [...checkoutSessions.values()].filter(
        (c) => c.customer === query.get("customer") && (!query.get("status") || c.status === query.get("status")),
      );
      return json(200, { object: "list", url: "/v1/checkout/sessions", has_more: false, data });
    }
    const expiring = route.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/)?.[1];
    if (method === "POST" && expiring) {
      const found = checkoutSessions.get(expiring);
      if (!found) return missing("checkout.session", expiring);
      if (found.status !== "open")
        return json(400, { error: { type: "invalid_request_error", message: "Only open sessions can be expired." } });
      found.status = "expired";
      found.url = null;
      return json(200, found);
    }
    const sessionId = route.match(/^\/v1\/checkout\/sessions\/([^/]+)$/)?.[1];
    if (method === "GET" && sessionId) {
      const found = checkoutSessions.get(sessionId);
      return found ? json(200, found) : missing("checkout.session", sessionId);
    }
    if (method === "POST" && route === "/v1/billing_portal/sessions") {
      const fields = { customer: params.customer, return_url: params.return_url };
      return session("bps", "billing_portal.session", fields, (id) => `https://billing.stripe.com/p/session/${id}`);
    }
    if (method === "GET" && route === "/v1/invoices") {
      const query = new URLSearchParams(path.split("?")[1] ?? "");
      const data = invoices.filter((i) => i.customer === query.get("customer")).reverse();
      return json(200, { object: "list", url: "/v1/invoices", has_more: false, data });
    }
    // A customer's subscriptions, newest first as Stripe lists them; `status` "all" (or none: all but canceled).
    if (method === "GET" && route === "/v1/subscriptions") {
      const query = new URLSearchParams(path.split("?")[1] ?? "");
      const status = query.get("status");
      const data = [...subscriptions.values()]
        .filter((s) => (s as { customer?: unknown }).customer === query.get("customer"))
        .filter((s) => {
          const own = (s as { status?: unknown }).status;
          return status === "all" || (status ? own === status : own !== "canceled");
        })
        .reverse()
        .slice(0, Number(query.get("limit") ?? 10));
      return json(200, { object: "list", url: "/v1/subscriptions", has_more: false, data });
    }
    if (method === "GET" && subscriptionId) {
      return subscriptions.has(subscriptionId)
        ? json(200, subscriptions.get(subscriptionId))
        : missing("subscription", subscriptionId);
    }
    return json(404, {
      error: { type: "invalid_request_error", message: `The fake does not implement ${method} ${path}` },
    });
  };
}

/** What tests that check the repository's files against each other read (test/helpers/repo.ts). */
function repoTexts(root: string): RepoTexts {
  const docPath = path.join(root, "docs", "privacy-controls.md");
  const testDir = path.join(root, "test");
  const testFiles = readdirSync(testDir, { recursive: true, encoding: "utf8" })
    .map((name) => `test/${name.split(path.sep).join("/")}`)
    .filter((name) => /\.test\.tsx?$/.test(name) || /^test\/e2e\/[^/]+\.e2e\.mjs$/.test(name));
  const routesDir = path.join(root, "src", "routes");
  const routeFiles = readdirSync(routesDir, { recursive: true, encoding: "utf8" }).map(
    (name) => `src/routes/${name.split(path.sep).join("/")}`,
  );
  return {
    sqlStatements: sqlStatements(root),
    architecture: {
      app: readFileSync(path.join(root, "src", "app.ts"), "utf8"),
      doc: readFileSync(path.join(root, "docs", "architecture.md"), "utf8"),
      routeFiles,
    },
    routeSources: Object.fromEntries(
      routeFiles
        .filter((name) => /\.tsx?$/.test(name))
        .map((name) => [name, readFileSync(path.join(root, name), "utf8")]),
    ),
    apiDoc: readFileSync(path.join(root, "docs", "api.md"), "utf8"),
    privacyControls: {
      doc: existsSync(docPath) ? readFileSync(docPath, "utf8") : "",
      files: Object.fromEntries(testFiles.map((name) => [name, readFileSync(path.join(root, name), "utf8")])),
    },
  };
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const stripe = stripeFake();
  const analyticsEngine = analyticsEngineFake();
  // A webhook receiver: POST /hooks/<name> answers the statuses a test queued with POST /__hooks/<name>
  // (a JSON array), then 200; what it received is in /__received like everything else.
  const hookScripts = new Map<string, number[]>();
  const repo: Partial<RepoTexts> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "/";
      if (req.method === "GET" && url.startsWith("/__repo/")) {
        const text = repo[url.slice("/__repo/".length) as keyof RepoTexts];
        res.writeHead(text === undefined ? 404 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify(text ?? null));
        return;
      }
      if (req.method === "GET" && url === "/__received") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(received));
        return;
      }
      if (req.method === "POST" && url.startsWith("/__hooks/")) {
        hookScripts.set(url.slice("/__hooks/".length), JSON.parse(Buffer.concat(chunks).toString("utf8")) as number[]);
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      const body = raw.toString("utf8");
      received.push({ method: req.method ?? "", path: url, headers: req.headers, body });
      if (url.startsWith("/hooks/")) {
        const status = hookScripts.get(url.slice("/hooks/".length))?.shift() ?? 200;
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 ? "received" : `receiver failed with ${status}`);
        return;
      }
      const aeAnswer = analyticsEngine(req.method ?? "", url, req.headers, body);
      if (aeAnswer) {
        res.writeHead(aeAnswer.status, { "content-type": aeAnswer.type ?? "application/json" });
        res.end(aeAnswer.body);
        return;
      }
      const stripeAnswer = stripe(req.method ?? "", url, body);
      if (stripeAnswer) {
        res.writeHead(stripeAnswer.status, {
          "content-type": "application/json",
          "request-id": `req_fake${received.length}`,
        });
        res.end(stripeAnswer.body);
        return;
      }
      // The mail API refuses recipients whose address contains "undeliverable", as a provider
      // does when it is down or rejects the message, so tests can watch retries.
      // One whose address contains "unresponsive" gets no answer for a minute, as a provider that hangs.
      if (url === "/mail/send" && body.includes("unresponsive")) {
        setTimeout(() => {
          res.writeHead(504);
          res.end();
        }, 60_000).unref();
        return;
      }
      if (url === "/mail/send" && body.includes("undeliverable")) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"error":"unavailable"}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(url === "/mail/send" ? `{"id":"fake-${received.length}"}` : "{}");
    });
  });
  // Node closes a connection idle for 5 s; workerd may reuse it at that moment and the request fails with
  // "Network connection lost" (the Stripe SDK's retry then fails a test on a busy machine). Idle
  // connections stay open for the run instead.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("fakeApiPort", (server.address() as AddressInfo).port);
  // Import fixtures, as bytes (base64): the tests run inside workerd, which cannot read the disk, and
  // some fixtures are not UTF-8.
  const fixtureDir = path.join(import.meta.dirname, "fixtures", "imports");
  project.provide(
    "importFixtures",
    Object.fromEntries(
      readdirSync(fixtureDir).map((name) => [name, readFileSync(path.join(fixtureDir, name)).toString("base64")]),
    ),
  );
  // wrangler.toml as deployed, so test/security/production-config.test.ts can check its production vars.
  const root = path.join(import.meta.dirname, "..");
  project.provide("wranglerToml", readFileSync(path.join(root, "wrangler.toml"), "utf8"));
  // The larger texts are read once and served at GET /__repo/<name> (test/helpers/repo.ts): vitest sends every
  // provided value with each test file it starts, and these ~3 MB cost ~25 s of a run's CPU that way.
  Object.assign(repo, repoTexts(root));
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}
