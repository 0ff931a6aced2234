import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { TOKEN_ROUTES } from "../../src/lib/request";
import { send, signUp, uniqueEmail, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { failingDatabase } from "../helpers/faults";
import { cspDirectives } from "../privacy/helpers";

async function sampleResponses(): Promise<[string, Response][]> {
  const { cookie } = await signUp();
  return [
    ["landing", await send("/")],
    ["login page", await send("/login")],
    ["signup page", await send("/signup")],
    ["privacy", await send("/privacy")],
    ["dashboard", await send("/app", { cookie })],
    ["redirect to login", await send("/app")],
    ["404", await send("/no-such-page")],
    ["csrf 403", await send("/logout", { method: "POST", origin: "https://evil.example" })],
    ["422", await send("/signup", { form: { email: "bad" } })],
    ["413", await send("/signup", { form: { email: "x".repeat(300_000) } })],
    ["500", await send("/app", { cookie, env: { DB: failingDatabase() } })],
    ["healthz", await send("/healthz")],
    ["htmx fragment", await send("/login", { headers: { "HX-Request": "true" } })],
  ];
}

describe("security headers on every response", () => {
  it("carry a nonce-based CSP with no unsafe sources, HSTS ≥ 1 year and the rest", async () => {
    const nonces = new Set<string>();
    for (const [label, res] of await sampleResponses()) {
      const csp = cspDirectives(res);
      const scriptSrc = csp.get("script-src") ?? [];
      const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"));
      expect(nonce, `${label}: script-src nonce`).toBeDefined();
      nonces.add(nonce!);
      const all = [...csp.values()].flat();
      expect(all, label).not.toContain("'unsafe-inline'");
      expect(all, label).not.toContain("'unsafe-eval'");
      expect(csp.get("object-src"), label).toEqual(["'none'"]);
      expect(csp.get("base-uri"), label).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors"), label).toEqual(["'none'"]);

      const hsts = res.headers.get("Strict-Transport-Security") ?? "";
      expect(Number(hsts.match(/max-age=(\d+)/)?.[1]), `${label}: HSTS`).toBeGreaterThanOrEqual(31536000);
      expect(hsts, label).toContain("includeSubDomains");
      expect(res.headers.get("X-Content-Type-Options"), label).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy"), label).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("Cross-Origin-Opener-Policy"), label).toBe("same-origin");
      expect(res.headers.get("X-Frame-Options"), label).toBe("DENY");
    }
    // A fresh nonce per response.
    expect(nonces.size).toBe(13);
  });

  it("pages load scripts only from files, carrying the response's nonce, with no inline handlers", async () => {
    for (const [label, res] of await sampleResponses()) {
      if (!res.headers.get("Content-Type")?.includes("text/html")) continue;
      const html = await res.text();
      const nonce = cspDirectives(res)
        .get("script-src")!
        .find((v) => v.startsWith("'nonce-"))!
        .slice(7, -1);
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
        expect(tag, label).toMatch(/ src="\/assets\/[^"]+\.js"/);
        expect(tag, label).toContain(`nonce="${nonce}"`);
      }
      expect(html, label).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
      expect(html, label).not.toMatch(/\shx-on[:-]/);
      expect(html, label).not.toMatch(/\son[a-z]+="/);
      expect(html, label).not.toMatch(/\sstyle="/);
    }
  });

  it("configure htmx without eval and without injected indicator styles", async () => {
    const html = await textOf("/");
    const config = JSON.parse(html.match(/<meta name="htmx-config" content="([^"]+)"/)![1]!.replaceAll("&quot;", '"'));
    expect(config.allowEval).toBe(false);
    expect(config.includeIndicatorStyles).toBe(false);
    expect(config.historyCacheSize).toBe(0);
  });

  it("mark authenticated pages no-store", async () => {
    const { cookie } = await signUp();
    expect((await send("/app", { cookie })).headers.get("Cache-Control")).toBe("no-store");
    expect((await send("/app")).headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("pages that carry an emailed token", () => {
  it("every route with a token in its path is one of TOKEN_ROUTES", () => {
    const withToken = new Set(
      app.routes.filter((r) => r.method !== "ALL" && /\/:token\b/.test(r.path)).map((r) => r.path),
    );
    expect([...withToken].sort()).toEqual([...TOKEN_ROUTES].sort());
  });

  it("are never stored, whatever the method and whether the token is live or not", async () => {
    for (const route of TOKEN_ROUTES) {
      const methods = new Set(app.routes.filter((r) => r.path === route && r.method !== "ALL").map((r) => r.method));
      expect(methods.size, route).toBeGreaterThan(0);
      const sample = route.replace(/:[A-Za-z]+/g, "a".repeat(32));
      for (const method of methods) {
        const res = await send(sample, { method, form: method === "GET" ? undefined : {} });
        expect(res.headers.get("Cache-Control"), `${method} ${route}`).toBe("no-store");
      }
    }
  });

  it("a live password-reset link's page and the login page on its way to an invitation are not stored", async () => {
    const { email } = await signUp();
    await send("/password/forgot", { form: { email } });
    const reset = await send(linkPath(await lastMail(email, "password_reset"), "/password/reset/"));
    expect(reset.status).toBe(200);
    expect(reset.headers.get("Cache-Control")).toBe("no-store");
    const login = await send(`/login?next=${encodeURIComponent(`/invite/${"a".repeat(32)}`)}`);
    expect(login.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("request log", () => {
  afterEach(() => vi.restoreAllMocks());
  // The suite's bindings leave the line out (REQUEST_LOG=off); these requests have it, as every deployment does.
  const logging = { REQUEST_LOG: "on" };

  it("writes one JSON line per request with ids, and never a body, cookie, token or query", async () => {
    const { cookie, email } = await signUp();
    const log = vi.spyOn(console, "log");
    const res = await send("/login?next=%2Fapp%3Fsecret%3Dq", {
      form: { email, password: "wrong password here" },
      cookie,
      ip: "192.0.2.33",
      headers: { Authorization: "Bearer abc.def" },
      env: logging,
    });
    const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"type":"request"'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ method: "POST", path: "/login", status: res.status, ip: "192.0.2.33" });
    expect(entry.requestId).toBe(res.headers.get("X-Request-Id"));
    expect(typeof entry.durationMs).toBe("number");
    expect(entry.tenantId).toMatch(/^[a-z2-7]{24}$/);
    expect(entry.userId).toMatch(/^[a-z2-7]{24}$/);
    expect(entry.userAgent).toContain("TestBrowser");
    const text = lines[0]!;
    for (const secret of [cookie.split("=")[1]!.split(".")[1]!, "wrong password here", "secret", "abc.def", email]) {
      expect(text).not.toContain(secret);
    }
  });

  it("never logs the token of an emailed link", async () => {
    const log = vi.spyOn(console, "log");
    const token = "abcdefghijklmnopqrstuvwxyz234567";
    for (const path of [`/invite/${token}`, `/verify-email/${token}`, `/password/reset/${token}`])
      await send(path, { env: logging });
    const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"type":"request"'));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(token);
    expect(lines.map((l) => JSON.parse(l).path)).toEqual([
      "/invite/:token",
      "/verify-email/:token",
      "/password/reset/:token",
    ]);
  });

  it("logs anonymous requests with null ids", async () => {
    const log = vi.spyOn(console, "log");
    await send(`/signup?email=${uniqueEmail()}`, { env: logging });
    const entry = JSON.parse(log.mock.calls.map((c) => String(c[0])).find((l) => l.includes('"type":"request"'))!);
    expect(entry).toMatchObject({ path: "/signup", status: 200, tenantId: null, userId: null });
  });

  it("REQUEST_LOG=off leaves the line out outside production only", async () => {
    const log = vi.spyOn(console, "log");
    const lines = () => log.mock.calls.filter((c) => String(c[0]).includes('"type":"request"')).length;
    await send("/login", { env: { REQUEST_LOG: "off", ENVIRONMENT: "test" } });
    expect(lines()).toBe(0);
    await send("/login", { env: { REQUEST_LOG: "off", ENVIRONMENT: "production" } });
    expect(lines()).toBe(1);
  });
});
