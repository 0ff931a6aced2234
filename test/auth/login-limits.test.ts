/**
 * The login limits under pressure (docs/architecture.md, "Brute force"): guesses sent all at once get no more
 * password checks than guesses sent one by one; the per-IP cap counts failures only, never holds back a browser
 * the account recognises, and takes an IPv6 /64 as one network.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hit, LIMITS } from "../../src/auth/rate-limit";
import { createDb } from "../../src/db/client";
import { COOKIES } from "../../src/lib/cookies";
import { GOOD_PASSWORD, logIn, signUp, uniqueEmail } from "../helpers/http";

const DEVICE = COOKIES.device.name;

/** Only the device cookie of a browser's cookie header. */
const deviceOnly = (cookie: string) =>
  cookie
    .split("; ")
    .filter((p) => p.startsWith(`${DEVICE}=`))
    .join("; ");

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe("simultaneous guesses", () => {
  it("40 wrong passwords at once from 40 addresses get at most 11 password checks; the rest wait", async () => {
    const { email } = await signUp();
    const owner = await logIn(email, GOOD_PASSWORD, { ip: "198.51.100.40" });
    expect(owner.response.status).toBe(303);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        logIn(email, `parallel guess ${i}`, { ip: `203.0.113.${i + 10}` }).then((r) => r.response.status),
      ),
    );
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeGreaterThan(0);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(11);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(40);
    // The owner's own browser is still let in with the right password.
    const again = await logIn(email, GOOD_PASSWORD, { ip: "198.51.100.40", cookie: deviceOnly(owner.cookie) });
    expect(again.response.status).toBe(303);
  });
});

describe("the per-IP cap", () => {
  it("does not hold back a browser the account recognises, even when its network used up the cap", async () => {
    const { email } = await signUp();
    const first = await logIn(email, GOOD_PASSWORD, { ip: "198.51.100.61" });
    expect(first.response.status).toBe(303);
    const browser = deviceOnly(first.cookie);
    expect(browser).not.toBe("");

    // Someone else on the owner's network fails at 30 other addresses: the cap is reached for them.
    const shared = "192.0.2.61";
    for (let i = 0; i < 30; i++)
      expect((await logIn(uniqueEmail("other"), "not the password", { ip: shared })).response.status).toBe(401);
    expect((await logIn(uniqueEmail("other"), "not the password", { ip: shared })).response.status).toBe(429);

    const owner = await logIn(email, GOOD_PASSWORD, { ip: shared, cookie: browser });
    expect(owner.response.status).toBe(303);
  });

  it("counts only failures: 31 people signing in from one office address are all let in", async () => {
    const people = [];
    for (let i = 0; i < 31; i++) people.push((await signUp()).email);
    const office = "192.0.2.62";
    const statuses: number[] = [];
    for (const email of people) statuses.push((await logIn(email, GOOD_PASSWORD, { ip: office })).response.status);
    expect(statuses).toEqual(Array(31).fill(303));
  });

  it("bounds every sign-in from one network, right ones too, so a loop of good passwords cannot mint sessions", async () => {
    const { email } = await signUp();
    const first = await logIn(email, GOOD_PASSWORD, { ip: "198.51.100.63" });
    const browser = deviceOnly(first.cookie);
    const loop = "192.0.2.63";
    const db = createDb(env.DB);
    // The network has signed in (or tried) as often as the cap allows within the window: ten minutes of a loop.
    for (let i = 0; i < LIMITS.loginAttemptsPerIp.max; i++) await hit(db, LIMITS.loginAttemptsPerIp, loop, Date.now());
    const refused = await logIn(email, GOOD_PASSWORD, { ip: loop, cookie: browser });
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get("Retry-After")).toMatch(/^\d+$/);
    // Another network is not held back by it.
    expect((await logIn(email, GOOD_PASSWORD, { ip: "198.51.100.64", cookie: browser })).response.status).toBe(303);
  });

  it("takes an IPv6 /64 as one network: 30 failures across its addresses, then the 31st is refused", async () => {
    for (let i = 0; i < 30; i++) {
      const ip = `2001:db8:77:1:${(i + 1).toString(16)}::${(i * 7 + 3).toString(16)}`;
      expect((await logIn(uniqueEmail("v6"), "not the password", { ip })).response.status).toBe(401);
    }
    const sameNetwork = await logIn(uniqueEmail("v6"), "not the password", { ip: "2001:db8:77:1:ffff:ffff:ffff:fffe" });
    expect(sameNetwork.response.status).toBe(429);
    expect(await sameNetwork.response.text()).toContain("Too many attempts from your network");
    // The same /64 written in full, and another /64 of the same site, which is another network.
    expect((await logIn(uniqueEmail("v6"), "x", { ip: "2001:0db8:0077:0001:0:0:0:1" })).response.status).toBe(429);
    expect((await logIn(uniqueEmail("v6"), "not the password", { ip: "2001:db8:77:2::1" })).response.status).toBe(401);
  });
});
