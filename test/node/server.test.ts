/**
 * The self-hosted server as a user meets it: `startServer` (what `npm run start:node` runs) on a
 * libSQL file and a files folder of its own, spoken to over real HTTP. Sign up, contacts (create,
 * edit, list, search), a CSV import run by the in-process job worker, the export, and erasure.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { type RunningServer, startServer } from "../../src/node/server";
import { testBindings } from "./bindings";
import { type Browser, browser } from "./server-helpers";

const root = path.resolve(import.meta.dirname, "../..");
let server: RunningServer;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "customertrackr-node-server-"));
  server = await startServer({
    root,
    port: 0,
    cron: false,
    // Development on this machine: the one setting in which links fall back to the server's own address.
    vars: { ...testBindings(inject("fakeApiPort")), ENVIRONMENT: "development", DATA_DIR: dataDir, LIBSQL_URL: "" },
  });
});
afterAll(() => server?.close());

/** A request as the browser sends it (test/node/server-helpers.ts): a new browser per test that signs up. */
let tab: Browser;
const http: Browser["http"] = (p, init) => tab.http(p, init);

async function jobStatus(id: string): Promise<string> {
  const row = await server.platform.env.DB.prepare("SELECT status FROM import_jobs WHERE id = ?").bind(id).first();
  return String((row as { status: string }).status);
}

async function waitForJob(id: string, statuses: string[]): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const status = await jobStatus(id);
    if (statuses.includes(status) || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the app on Node + libSQL, over HTTP", () => {
  it("serves the static assets with public/_headers, and not _headers itself", async () => {
    tab = browser(server.url);
    const page = await (await http("/")).text();
    const asset = page.match(/\/assets\/app\.[0-9a-f]+\.css/)![0];
    const res = await http(asset);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect((await http("/_headers")).status).toBe(404);
  });

  it("in development, builds a password reset's link from its own address, not from the Host header the asker sent", async () => {
    tab = browser(server.url);
    const email = `reset-${Date.now()}@node.example`;
    const signup = await http("/signup", {
      form: {
        email,
        password: "correct horse battery staple 42",
        company_name: "Reset Ltd",
        age_confirmed: "on",
        accept_terms: "on",
      },
    });
    expect(signup.status).toBe(303);
    // fetch refuses to set Host: a raw request, as an attacker's script sends it.
    const { port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const body = new URLSearchParams({ email }).toString();
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/password/forgot",
          headers: {
            Host: "evil.example",
            Origin: "http://evil.example",
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBeLessThan(400);
    const mail = await server.platform.env.DB.prepare(
      "SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'password_reset'",
    )
      .bind(email)
      .first<{ text_body: string }>();
    expect(mail?.text_body).toContain(`${server.url}/password/reset/`);
    expect(mail?.text_body).not.toContain("evil.example");
  });

  it("refuses to start in production without APP_URL, the address links in emails are built from, when others reach it", async () => {
    await expect(
      startServer({
        root,
        port: 0,
        cron: false,
        hostname: "0.0.0.0",
        vars: { ENVIRONMENT: "production", APP_URL: "" },
      }),
    ).rejects.toThrow(/Set APP_URL/);
  });

  it("behind a proxy that appends to X-Forwarded-For, takes the address the proxy saw, not one the client wrote", async () => {
    const proxied = await startServer({
      root,
      port: 0,
      cron: false,
      vars: {
        ...testBindings(inject("fakeApiPort")),
        ENVIRONMENT: "development",
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "customertrackr-node-proxied-")),
        LIBSQL_URL: "",
        CLIENT_IP_HEADER: "X-Forwarded-For",
      },
    });
    try {
      const email = `proxied-${Date.now()}@node.example`;
      const form = new URLSearchParams({
        email,
        password: "correct horse battery staple 42",
        company_name: "Proxied Ltd",
        age_confirmed: "on",
        accept_terms: "on",
      });
      const res = await fetch(`${proxied.url}/signup`, {
        method: "POST",
        redirect: "manual",
        body: form.toString(),
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: proxied.url,
          // nginx's $proxy_add_x_forwarded_for: what the client sent, then the address the proxy saw.
          "X-Forwarded-For": "6.6.6.6, 203.0.113.9",
        },
      });
      expect(res.status).toBe(303);
      const row = await proxied.platform.env.DB.prepare(
        "SELECT s.ip FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ?",
      )
        .bind(email)
        .first<{ ip: string }>();
      expect(row?.ip).toBe("203.0.113.9");
    } finally {
      await proxied.close();
    }
  });

  it("signs up, keeps contacts, searches them, imports a CSV, exports and erases", async () => {
    tab = browser(server.url);
    const signup = await http("/signup", {
      form: {
        email: `owner-${Date.now()}@node.example`,
        password: "correct horse battery staple 42",
        company_name: "Self-hosted Ltd",
        age_confirmed: "on",
        accept_terms: "on",
      },
    });
    expect(signup.status).toBe(303);

    const created = await http("/app/contacts", {
      form: { first_name: "Ada", last_name: "Lovelace", emails: ["ada@engines.example"], allow_duplicate: "1" },
    });
    expect(created.status).toBe(303);
    const contact = created.headers.get("Location")!;
    expect(contact).toMatch(/^\/app\/contacts\/\d+$/);

    const edited = await http(contact, {
      form: { first_name: "Ada", last_name: "King", emails: ["ada@engines.example"], allow_duplicate: "1" },
    });
    expect(edited.status).toBe(303);
    expect(await (await http(contact)).text()).toContain("King");
    // Full-text search (FTS5 and its triggers, as migrated on libSQL) finds the edited name by its beginning.
    expect(await (await http("/app/contacts?q=kin")).text()).toContain("Ada King");
    expect(await (await http("/app/contacts?q=lovelace")).text()).not.toContain("Ada King");

    // The import: the upload on disk, the analysis and the commit run by the in-process job worker.
    const form = new FormData();
    form.set("kind", "contacts");
    form.set("encoding", "auto");
    const csv = readFileSync(path.join(root, "test/fixtures/imports/hubspot.csv"));
    form.set("file", new File([csv], "hubspot.csv", { type: "text/csv" }));
    const uploaded = await http("/app/import", { body: form, method: "POST" });
    expect(uploaded.status).toBe(303);
    const job = uploaded.headers.get("Location")!.split("/").pop()!;
    expect(await waitForJob(job, ["ready", "failed"])).toBe("ready");
    expect((await http(`/app/import/${job}/commit`, { form: {} })).status).toBe(303);
    expect(await waitForJob(job, ["done", "failed"])).toBe("done");
    const list = await (await http("/app/contacts?q=kierkegaard")).text();
    expect(list).toContain("Yara");

    const exported = await http("/app/export/contacts.csv");
    expect(exported.status).toBe(200);
    const text = await exported.text();
    expect(text).toContain("ada@engines.example");
    expect(text.split("\n").filter((l) => l.trim()).length).toBe(1 + 1 + 40);

    // Erasure: the contact is gone from its page, the search and the export.
    const erased = await http(`${contact}/erase`, { form: { suppress: "1" } });
    expect(erased.status).toBe(303);
    expect((await http(contact)).status).toBe(404);
    expect(await (await http("/app/contacts?q=king")).text()).not.toContain("Ada King");
    expect(await (await http("/app/export/contacts.csv")).text()).not.toContain("ada@engines.example");
  });
});
