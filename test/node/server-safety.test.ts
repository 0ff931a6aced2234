/**
 * A self-hosted server configured as the docs say (through .dev.vars, whose example says ENVIRONMENT=development)
 * keeps its own network out of reach of workspace admins' webhooks, and its data files out of reach of the
 * machine's other users.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { type RunningServer, startServer } from "../../src/node/server";
import { testBindings } from "./bindings";
import { signUp } from "./server-helpers";

const root = path.resolve(import.meta.dirname, "../..");
// A folder the server creates itself, so its mode is the server's doing.
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "customertrackr-node-safety-")), "data");
let server: RunningServer;
let receiver: Server;
let receiverPort = 0;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.end("internal secret");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  server = await startServer({
    root,
    port: 0,
    cron: false,
    vars: { ...testBindings(inject("fakeApiPort")), ENVIRONMENT: "development", DATA_DIR: dataDir, LIBSQL_URL: "" },
  });
});
afterAll(async () => {
  await server?.close();
  receiver.closeAllConnections();
  receiver.close();
});

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );

describe("a Node server in development mode, as .dev.vars.example sets it", () => {
  it("sends no webhook to this machine's own network: the receiver on 127.0.0.1 gets nothing", async () => {
    const email = `hooks-${Date.now()}@node.example`;
    const { status, browser } = await signUp(server.url, email);
    expect(status).toBe(303);
    await server.platform.env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?")
      .bind(Date.now(), email)
      .run();
    const added = await browser.http("/app/settings/webhooks", {
      form: { url: `http://127.0.0.1:${receiverPort}/hook`, events: ["contact.created"] },
    });
    // The form may take a local URL outside production; what matters is that nothing reaches it.
    const id = added.headers.get("Location")?.match(/\/app\/settings\/webhooks\/([a-z2-7]{24})\?/)?.[1];
    if (added.status === 303) {
      expect(id).toBeTruthy();
      expect((await browser.http(`/app/settings/webhooks/${id}/test`, { form: {} })).status).toBe(303);
      const response = await vi.waitFor(
        async () => {
          const row = await server.platform.env.DB.prepare(
            "SELECT response FROM webhook_deliveries WHERE endpoint_id = ? AND response IS NOT NULL",
          )
            .bind(id)
            .first<{ response: string }>();
          expect(row).toBeTruthy();
          return row!.response;
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(response).toMatch(/internal address/);
      const page = await (await browser.http(`/app/settings/webhooks/${id}`)).text();
      expect(page).not.toContain("internal secret");
    } else expect(added.status).toBe(422);
    expect(received).toEqual([]);
  });

  it("keeps its data folder, database and uploaded files to its own user, whatever the umask", async () => {
    const { browser } = await signUp(server.url, `files-${Date.now()}@node.example`);
    const form = new FormData();
    form.set("kind", "contacts");
    form.set("encoding", "auto");
    const csv = readFileSync(path.join(root, "test/fixtures/imports/hubspot.csv"));
    form.set("file", new File([csv], "hubspot.csv", { type: "text/csv" }));
    expect((await browser.http("/app/import", { body: form, method: "POST" })).status).toBe(303);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith("customertrackr.db"))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}files${path.sep}`))).toBe(true);
    for (const f of files) expect(statSync(f).mode & 0o077, f).toBe(0);
  });
});
