/**
 * docs/api.md as a reader follows it: every curl command it shows is run against the app (the same method,
 * headers, body and path; $CT_KEY a key made in Settings → API, $CONTACT_ID the id the documented create
 * answered), each must succeed, and the JSON shown after a command names only fields the answer has. Its
 * webhook receiver's verify code is run with the Standard Webhooks library against a delivery the app signed.
 * So the doc cannot drift from the API.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { repoText } from "../helpers/repo";
import type { WebhookMessage } from "../../src/services/webhooks/deliver";
import { post } from "../contacts/contact-helpers";
import { newTenant } from "../helpers/tenants";
import { deliver, HeldQueue, jobEnv, runCron } from "../jobs/helpers";
import { addEndpoint, received, receiverUrl } from "../webhooks/helpers";
import { api, makeKey } from "./helpers";

const doc = await repoText("apiDoc");

/** The fenced blocks of the doc in order: their language and text (indented blocks of a list item too). */
function blocks(text: string): { lang: string; code: string }[] {
  const out: { lang: string; code: string }[] = [];
  for (const m of text.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1]!.length;
    out.push({ lang: m[2]!, code: m[3]!.replace(new RegExp(`^ {0,${indent}}`, "gm"), "") });
  }
  return out;
}

/** Words of a shell command as sh reads them: quotes, backslash-newline, $NAME expanded (not inside '…'). */
function shellWords(line: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | null = null;
  const expand = (s: string) =>
    s.replace(/\$(\w+)|\$\{(\w+)\}/g, (_, a?: string, b?: string) => {
      const name = (a ?? b)!;
      if (!(name in vars)) throw new Error(`the doc uses $${name}, which the test does not know`);
      return vars[name]!;
    });
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\\\n)|(\s+)|([^\s'"\\]+|\\.)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) continue;
    if (m[4] !== undefined) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    const part =
      m[1] !== undefined ? m[1] : m[2] !== undefined ? expand(m[2].replace(/\\(["\\$`])/g, "$1")) : expand(m[5]!);
    word = (word ?? "") + part;
  }
  if (word !== null) words.push(word);
  return words;
}

interface Curl {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A curl command as fetch options; only the options the doc uses are understood, any other fails the test. */
function curlOf(words: string[]): Curl {
  const headers: Record<string, string> = {};
  let method: string | null = null;
  let body: string | undefined;
  let url: string | null = null;
  for (let i = 1; i < words.length; i += 1) {
    const w = words[i]!;
    if (w === "-s") continue;
    else if (w === "-X") method = words[++i]!;
    else if (w === "-H") {
      const [name, ...value] = words[++i]!.split(":");
      headers[name!.trim()] = value.join(":").trim();
    } else if (w === "-d" || w === "--data") body = words[++i]!;
    else if (/^https?:\/\//.test(w)) url = w;
    else throw new Error(`curl option ${w} is not understood by this test`);
  }
  if (!url) throw new Error(`no URL in: ${words.join(" ")}`);
  const u = new URL(url);
  expect(u.pathname.startsWith("/api/v1/"), url).toBe(true);
  return { method: method ?? (body === undefined ? "GET" : "POST"), path: u.pathname + u.search, headers, body };
}

/** Every key named in a shown JSON answer ("…" elisions and all). */
const keysShown = (json: string) => [...json.matchAll(/"([a-z_]+)"\s*:/g)].map((m) => m[1]!);

/** Every key of an answer, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  return into;
}

describe("the quick start of docs/api.md", () => {
  it("runs every curl command it shows, and each answers as documented", async () => {
    expect(doc).toContain("## Quick start");
    const owner = await newTenant("Quick Start Co");
    const vars: Record<string, string> = { CT_KEY: await makeKey(owner.cookie, { name: "Website form" }) };
    // A workspace with someone in it, as a reader's has, so the list shows a record.
    const seeded = await api("/contacts", {
      key: vars.CT_KEY,
      method: "POST",
      json: { first_name: "Ada", last_name: "Lovelace", emails: ["ada@example.com"] },
    });
    expect(seeded.status).toBe(201);
    const list = blocks(doc);
    let ran = 0;
    let last: unknown = null;
    for (const block of list) {
      if (block.lang === "json" && last !== null) {
        // The answer shown after a command: every field it names is in the real answer.
        const real = keysOf(last);
        for (const key of keysShown(block.code)) expect(real.has(key), `"${key}" in ${block.code}`).toBe(true);
        last = null;
        continue;
      }
      last = null;
      if (block.lang !== "sh") continue;
      for (const command of block.code.split(/(?<!\\)\n/).filter((l) => l.trim())) {
        const words = shellWords(command, vars);
        // `export NAME=value` sets what the next commands use; the test keeps the values it has.
        if (words[0] === "export") continue;
        expect(words[0], command).toBe("curl");
        const curl = curlOf(words);
        const res = await api(curl.path.replace(/^\/api\/v1/, ""), {
          key: null,
          method: curl.method,
          headers: curl.headers,
          body: curl.body,
        });
        const text = await res.text();
        expect(res.status, `${command}\n→ ${res.status} ${text}`).toBeLessThan(300);
        last = text ? JSON.parse(text) : null;
        ran += 1;
        // The record a documented create made is the one the next commands change: a create of
        // /api/v1/deals sets DEAL_ID, of /api/v1/contacts CONTACT_ID.
        const created = /^\/api\/v1\/(\w+)$/.exec(curl.path);
        if (curl.method === "POST" && created && res.status === 201) {
          const id = String((last as { id: number }).id);
          vars[`${created[1]!.replace(/ies$/, "y").replace(/s$/, "").toUpperCase()}_ID`] = id;
          expect(res.headers.get("Location")).toBe(`${curl.path}/${id}`);
        }
      }
    }
    // List, create, change, delete; bulk; a retry-safe create.
    expect(ran).toBeGreaterThanOrEqual(6);
    expect(vars.CONTACT_ID).toBeDefined();
    expect(vars.DEAL_ID).toBeDefined();
  });

  it("verifies a delivery the app signed with the receiver's own code and the Standard Webhooks library", async () => {
    const snippet = blocks(doc).find((b) => b.lang === "js" && b.code.includes("standardwebhooks"));
    expect(snippet, "a Node receiver in docs/api.md").toBeDefined();
    const code = snippet!.code;
    // What the snippet does, checked from its text and then done here as it says.
    expect(code).toContain('import { Webhook } from "standardwebhooks";');
    const name = code.match(/const (\w+) = new Webhook\(process\.env\.(\w+)\)/);
    expect(name, "the snippet makes a Webhook from an environment variable").not.toBeNull();
    const call = code.match(new RegExp(`const (\\w+) = ${name![1]}\\.verify\\((\\w+), req\\.headers\\)`));
    expect(call, "the snippet verifies the body with the request's headers").not.toBeNull();
    expect(code).toContain(`for await (const chunk of req) ${call![2]} += chunk;`);
    const used = [...code.matchAll(new RegExp(`${call![1]}\\.(\\w+)`, "g"))].map((m) => m[1]!);

    const t = await newTenant("Webhook Receiver Co");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("quick-start"), ["contact.created"]);
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const key = await makeKey(t.cookie);
    const created = await api("/contacts", { key, method: "POST", json: { first_name: "Ada" }, env: bindings });
    expect(created.status).toBe(201);
    await runCron(bindings, Date.now());
    const i = q.held.findIndex((m) => m.type === "webhooks.deliver" && m.tenantId === t.tenantId);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(await deliver(bindings, q.held.splice(i, 1)[0] as WebhookMessage)).toBe(true);
    const [delivery] = await received("quick-start");
    expect(delivery).toBeDefined();
    const page = await (await post(`/app/settings/webhooks/${endpoint}/secret`, t.cookie, {})).text();
    const secret = page.match(/<code id="signing-secret">(whsec_[A-Za-z0-9+/=]+)<\/code>/)![1]!;

    // The snippet's lines, with its environment variable set to the revealed secret and Node's req.headers.
    const webhook = new Webhook(secret);
    const event = webhook.verify(delivery!.body, delivery!.headers) as Record<string, unknown>;
    expect(used.length).toBeGreaterThan(0);
    for (const prop of used) expect(event[prop], `event.${prop}`).toBeDefined();
    expect(event).toMatchObject({ type: "contact.created", data: { first_name: "Ada" } });
    // Its catch: a body changed on the way, or another secret, is refused.
    expect(() => webhook.verify(delivery!.body.replace("Ada", "Eve"), delivery!.headers)).toThrow();
    expect(() =>
      new Webhook(`whsec_${btoa("another secret of 24 byte")}`).verify(delivery!.body, delivery!.headers),
    ).toThrow();
  });
});
