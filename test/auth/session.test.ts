import { env } from "cloudflare:workers";
import { sha256 } from "@oslojs/crypto/sha2";
import { describe, expect, it } from "vitest";
import { ABSOLUTE_LIFETIME_MS, ACTIVITY_CHECK_INTERVAL_MS, INACTIVITY_TIMEOUT_MS } from "../../src/auth/session";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, send, setCookies, signUp, textOf } from "../helpers/http";

function tokenParts(cookie: string) {
  const token = cookie.match(/__Host-session=([^;]+)/)![1]!;
  const [id, secret] = token.split(".") as [string, string];
  return { token, id, secret };
}

async function setSessionTimes(id: string, times: { createdAt?: number; lastActiveAt?: number }) {
  if (times.createdAt !== undefined)
    await env.DB.prepare("UPDATE sessions SET created_at = ? WHERE id = ?").bind(times.createdAt, id).run();
  if (times.lastActiveAt !== undefined)
    await env.DB.prepare("UPDATE sessions SET last_active_at = ? WHERE id = ?").bind(times.lastActiveAt, id).run();
}

describe("session tokens", () => {
  it("are <id>.<secret>, each part at least 120 bits of base32", async () => {
    const { cookie } = await signUp();
    const { id, secret } = tokenParts(cookie);
    expect(id).toMatch(/^[a-z2-7]{24,}$/);
    expect(secret).toMatch(/^[a-z2-7]{24,}$/);
    expect(id).not.toBe(secret);
  });

  it("are never stored: only SHA-256 of the secret is, and no password in plain text", async () => {
    const { cookie, email } = await signUp({ password: "a very particular passphrase" });
    const { id, secret, token } = tokenParts(cookie);
    const row = await env.DB.prepare("SELECT * FROM sessions WHERE id = ?").bind(id).first<Record<string, unknown>>();
    const stored = new Uint8Array(row!.secret_hash as ArrayBuffer | number[]);
    expect([...stored]).toEqual([...sha256(new TextEncoder().encode(secret))]);

    // Nothing anywhere in the database contains the secret, the whole token or the password.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      const dump = JSON.stringify(rows.results);
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain("a very particular passphrase");
    }
    const user = await env.DB.prepare("SELECT password_hash FROM users WHERE email = ?")
      .bind(email)
      .first<{ password_hash: string }>();
    // scrypt, never the password (the suite hashes with a cheaper cost: test/setup.ts).
    expect(user!.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$/);
  });

  it("refuse a wrong secret, a token without its secret and garbage", async () => {
    const { cookie } = await signUp();
    const { id, secret } = tokenParts(cookie);
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    for (const bad of [
      `${id}.${flipped}`,
      id,
      `${id}.`,
      `.${secret}`,
      "x".repeat(5000),
      "%00",
      `${id}.${secret}.extra`,
    ]) {
      const res = await send("/app", { cookie: `__Host-session=${bad}` });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/login?next=%2Fapp");
    }
    // The real session was not harmed by the attempts.
    expect((await send("/app", { cookie })).status).toBe(200);
  });
});

describe("session lifetime", () => {
  it("expires after the inactivity timeout, and the row is deleted", async () => {
    const { cookie } = await signUp();
    const { id } = tokenParts(cookie);
    await setSessionTimes(id, { lastActiveAt: Date.now() - INACTIVITY_TIMEOUT_MS - 1000 });
    const res = await send("/app", { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
    expect(setCookies(res).get("__Host-session")?.value).toBe("");
    expect(await countRows("sessions", "id = ?", id)).toBe(0);
  });

  it("expires after the absolute lifetime even when active", async () => {
    const { cookie } = await signUp();
    const { id } = tokenParts(cookie);
    await setSessionTimes(id, {
      createdAt: Date.now() - ABSOLUTE_LIFETIME_MS - 1000,
      lastActiveAt: Date.now() - 60_000,
    });
    expect((await send("/app", { cookie })).status).toBe(303);
    expect(await countRows("sessions", "id = ?", id)).toBe(0);
  });

  it("slides: activity after the check interval extends it and re-issues the cookie", async () => {
    const { cookie } = await signUp();
    const { id } = tokenParts(cookie);
    const old = Date.now() - ACTIVITY_CHECK_INTERVAL_MS - 60_000;
    await setSessionTimes(id, { createdAt: old, lastActiveAt: old });
    const res = await send("/app", { cookie });
    expect(res.status).toBe(200);
    const reissued = setCookies(res).get("__Host-session");
    expect(reissued?.value).toBe(tokenParts(cookie).token);
    const row = await env.DB.prepare("SELECT last_active_at FROM sessions WHERE id = ?")
      .bind(id)
      .first<{ last_active_at: number }>();
    expect(row!.last_active_at).toBeGreaterThan(old + 60_000);
  });

  it("does not write on every request: within the interval nothing is refreshed", async () => {
    const { cookie } = await signUp();
    const { id } = tokenParts(cookie);
    const recent = Date.now() - 5 * 60_000;
    await setSessionTimes(id, { lastActiveAt: recent });
    const res = await send("/app", { cookie });
    expect(res.status).toBe(200);
    expect(setCookies(res).has("__Host-session")).toBe(false);
    const row = await env.DB.prepare("SELECT last_active_at FROM sessions WHERE id = ?")
      .bind(id)
      .first<{ last_active_at: number }>();
    expect(row!.last_active_at).toBe(recent);
  });
});

describe("access is checked on every request", () => {
  it("a revoked session loses access at once", async () => {
    const { cookie } = await signUp();
    await env.DB.prepare("DELETE FROM sessions WHERE id = ?").bind(tokenParts(cookie).id).run();
    expect((await send("/app", { cookie })).status).toBe(303);
  });

  it("a member removed from the tenant loses access at once", async () => {
    const { cookie, email } = await signUp();
    await env.DB.prepare("DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = ?)")
      .bind(email)
      .run();
    expect((await send("/app", { cookie })).status).toBe(303);
  });

  it("a role change applies on the next request", async () => {
    const { cookie, email } = await signUp();
    expect(await textOf("/app", { cookie })).toContain("<dd>owner</dd>");
    await env.DB.prepare(
      "UPDATE memberships SET role = 'viewer' WHERE user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(email)
      .run();
    expect(await textOf("/app", { cookie })).toContain("<dd>viewer</dd>");
  });

  it("htmx requests without a session get HX-Redirect to the login page", async () => {
    const res = await send("/app?tab=1", { headers: { "HX-Request": "true" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("HX-Redirect")).toBe("/login?next=%2Fapp%3Ftab%3D1");
  });

  it("/app without a session redirects to the login page and back after login", async () => {
    const res = await send("/app");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=%2Fapp");
    const { email } = await signUp();
    const login = await send("/login?next=%2Fapp", { form: { email, password: GOOD_PASSWORD } });
    expect(login.headers.get("Location")).toBe("/app");
  });
});
