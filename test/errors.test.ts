import { env } from "cloudflare:workers";
import { describe, expect, inject, it, vi } from "vitest";
import { failingDatabase, failingStatements } from "./helpers/faults";
import { send, signUp } from "./helpers/http";

const fakeApi = () => `http://127.0.0.1:${inject("fakeApiPort")}`;

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

async function received(): Promise<Received[]> {
  return (await fetch(`${fakeApi()}/__received`)).json();
}

/** The JSON items of a Sentry envelope (header line, then item header / payload pairs). */
function envelopeItems(body: string): Record<string, unknown>[] {
  const lines = body
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const items: Record<string, unknown>[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) if (lines[i]!.type === "event") items.push(lines[i + 1]!);
  return items;
}

describe("error pages", () => {
  it("a missing page is a friendly 404", async () => {
    const res = await send("/definitely/not/here");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).toContain("<html");
  });

  it("htmx requests get error fragments, not whole pages", async () => {
    const res = await send("/definitely/not/here", { headers: { "HX-Request": "true" } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(html).toContain("<title>Page not found");
    // Boosted navigation wants the whole page.
    const boosted = await send("/definitely/not/here", { headers: { "HX-Request": "true", "HX-Boosted": "true" } });
    expect(await boosted.text()).toContain("<html");
  });

  it("a server error is a friendly 500 with a reference and never a stack trace", async () => {
    const { cookie } = await signUp();
    const res = await send("/app", { cookie, env: { DB: failingDatabase() } });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Something went wrong");
    expect(html).toContain(res.headers.get("X-Request-Id")!);
    expect(html).not.toContain("simulated outage");
    expect(html).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });
});

describe("Sentry reporting", () => {
  it("sends a 5xx to Sentry with cookies, auth headers, query strings, IPs and form bodies scrubbed", async () => {
    const { cookie } = await signUp();
    const token = cookie.match(/__Host-session=([^;]+)/)![1]!;
    const res = await send("/logout?token=query-secret-123", {
      method: "POST",
      form: { password: "form-secret-456", note: "typed text" },
      cookie,
      ip: "192.0.2.99",
      headers: { Authorization: "Bearer auth-secret-789", "X-Forwarded-For": "192.0.2.98" },
      env: { DB: failingDatabase(), SENTRY_DSN: `http://publickey@127.0.0.1:${inject("fakeApiPort")}/42` },
    });
    expect(res.status).toBe(500);

    const sent = await received();
    const envelopes = sent.filter((r) => r.path.startsWith("/api/42/envelope"));
    expect(envelopes).toHaveLength(1);
    const raw = envelopes[0]!.body;
    const [event] = envelopeItems(raw);
    expect(event).toBeDefined();
    expect(JSON.stringify(event)).toContain("simulated outage");
    expect((event as { request: { url: string } }).request.url).toBe("http://localhost/logout");
    for (const secret of [
      token,
      token.split(".")[1]!,
      "query-secret-123",
      "form-secret-456",
      "typed text",
      "auth-secret-789",
      "192.0.2.99",
      "192.0.2.98",
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(raw.toLowerCase()).not.toContain('"cookie"');
    expect(raw.toLowerCase()).not.toContain('"authorization"');
  });

  it("a failed statement's values (what the user typed) reach neither Sentry nor the log; the statement does", async () => {
    // drizzle writes a failed statement as "Failed query: …\nparams: …", the values being the typed address.
    const typed = "typed-address-6d1f@example.com";
    const logged = vi.spyOn(console, "error");
    try {
      const res = await send("/password/forgot", {
        form: { email: typed },
        env: {
          DB: failingStatements(env.DB, /from "users" where "users"."email"/i),
          SENTRY_DSN: `http://publickey@127.0.0.1:${inject("fakeApiPort")}/44`,
        },
      });
      expect(res.status).toBe(500);
      const lines = logged.mock.calls.map((args) => args.join(" "));
      expect(lines.join("\n")).toContain("Failed query: select");
      expect(lines.join("\n")).not.toContain(typed);
    } finally {
      logged.mockRestore();
    }
    const envelopes = (await received()).filter((r) => r.path.startsWith("/api/44/envelope"));
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]!.body).toContain("Failed query: select");
    expect(envelopes[0]!.body).toContain("simulated timeout");
    expect(envelopes[0]!.body).not.toContain(typed);
    expect(envelopes[0]!.body).not.toContain("typed-address-6d1f");
    // Sentry cuts a long message at 250 characters, so the values part is looked for by its marker too.
    expect(envelopes[0]!.body).not.toContain("\\nparams");
  });

  it("sends nothing for 4xx, and nothing at all without a DSN", async () => {
    const { cookie } = await signUp();
    const dsn = `http://publickey@127.0.0.1:${inject("fakeApiPort")}/43`;
    await send("/nope", { env: { SENTRY_DSN: dsn } });
    await send("/signup", { form: { email: "bad" }, env: { SENTRY_DSN: dsn } });
    await send("/app", { cookie, env: { DB: failingDatabase(), SENTRY_DSN: undefined } });
    expect((await received()).filter((r) => r.path.startsWith("/api/43/"))).toEqual([]);
  });
});
