/**
 * Password guessing, both sides (docs/architecture.md, "Brute force"): the owner is never locked out
 * (their browser's device cookie passes; a new browser waits at most one 30-second turn), and the
 * attacker stays limited (locked out of the account from one IP after 10 failures, one attempt per
 * 30 seconds across IPs, and no bypass with a forged, altered or another account's device cookie).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COOKIES } from "../../src/lib/cookies";
import { GOOD_PASSWORD, cookieHeader, logIn, send, setCookies, signUp, uniqueEmail } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";

const DEVICE = COOKIES.device.name;
let ipSeq = 0;
/** A fresh address for each attempt of a spraying attacker. */
const nextIp = () => {
  ipSeq += 1;
  return `203.0.${Math.floor(ipSeq / 250) % 250}.${(ipSeq % 250) + 1}`;
};

/** The text of the form-level alert, if any. */
function alertText(html: string): string {
  return (html.match(/<div class="flash error" role="alert">([\s\S]*?)<\/div>/)?.[1] ?? "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ");
}

/** Only the device cookie of a browser's cookie header. */
const deviceOnly = (cookie: string) =>
  cookie
    .split("; ")
    .filter((p) => p.startsWith(`${DEVICE}=`))
    .join("; ");

/** An account whose owner signed in once from their own browser and address. */
async function ownerWithBrowser() {
  const { email } = await signUp();
  const ownerIp = "198.51.100.7";
  const { response, cookie } = await logIn(email, GOOD_PASSWORD, { ip: ownerIp });
  expect(response.status).toBe(303);
  expect(deviceOnly(cookie)).toMatch(new RegExp(`^${DEVICE}=`));
  return { email, ownerIp, browser: deviceOnly(cookie) };
}

/** Wrong passwords for `email`, each from a new address. */
async function spray(email: string, attempts: number) {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++)
    statuses.push((await logIn(email, `guess number ${i}`, { ip: nextIp() })).response.status);
  return statuses;
}

/** Moves every rate-limit window `ms` into the past, as if that much time had gone by. */
async function wait(ms: number) {
  await env.DB.prepare("UPDATE rate_limits SET window_start = window_start - ?").bind(ms).run();
}

describe("the owner is never locked out", () => {
  it("sign-in issues a signed device cookie: HttpOnly, Secure, SameSite=Strict, host-only, a year", async () => {
    const { email } = await signUp();
    const res = (await logIn(email)).response;
    const device = setCookies(res).get(DEVICE)!;
    expect(device.value).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{26}\.[A-Za-z0-9_-]{43}$/);
    const attributes = device.attributes.map((a) => a.toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/", `max-age=${365 * 24 * 60 * 60}`]),
    );
    expect(device.attributes.some((a) => /^domain=/i.test(a))).toBe(false);
  });

  it("an attacker spraying wrong passwords from many addresses does not slow down the owner's browser", async () => {
    const { email, ownerIp, browser } = await ownerWithBrowser();
    const statuses = await spray(email, 25);
    // The attacker got ten tries, one more turn, then was slowed down.
    expect(statuses.slice(0, 11)).toEqual(Array(11).fill(401));
    expect(statuses.slice(11)).toEqual(Array(14).fill(429));

    // The owner's browser: a typo is just a typo, and the right password gets in at once.
    expect((await logIn(email, "my own typo", { ip: ownerIp, cookie: browser })).response.status).toBe(401);
    const owner = await logIn(email, GOOD_PASSWORD, { ip: ownerIp, cookie: browser });
    expect(owner.response.status).toBe(303);
    expect(setCookies(owner.response).has("__Host-session")).toBe(true);
    // From another network too: the cookie, not the address, is what is recognised.
    expect(
      (await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: deviceOnly(owner.cookie) })).response.status,
    ).toBe(303);
  });

  it("the owner in a new browser on another network waits one 30-second turn at worst, and is told so", async () => {
    const { email } = await signUp();
    await spray(email, 11); // ten failures, then the attacker takes the current turn
    const fresh = await logIn(email, GOOD_PASSWORD, { ip: nextIp() });
    expect(fresh.response.status).toBe(429);
    const retryAfter = Number(fresh.response.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const message = alertText(await fresh.response.text());
    expect(message).toContain("get one try every 30 seconds");
    expect(message).toContain("A browser you have signed in with before is not slowed down");
    expect(setCookies(fresh.response).has("__Host-session")).toBe(false);

    await wait(31_000);
    const later = await logIn(email, GOOD_PASSWORD, { ip: nextIp() });
    expect(later.response.status).toBe(303);
    // That browser is now recognised: no more waiting in it while the attack goes on.
    await spray(email, 3);
    expect(
      (await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: deviceOnly(later.cookie) })).response.status,
    ).toBe(303);
  });

  it("a browser that reset the password is recognised too", async () => {
    const { email } = await signUp();
    await spray(email, 12);
    const forgot = await send("/password/forgot", { form: { email } });
    expect(forgot.status).toBe(200);
    const reset = await send(linkPath(await lastMail(email, "password_reset"), "/password/reset/"), {
      form: { password: "a brand new passphrase 7" },
    });
    expect(reset.status).toBe(200);
    const browser = deviceOnly(cookieHeader(reset));
    expect(browser).not.toBe("");
    expect((await logIn(email, "a brand new passphrase 7", { ip: nextIp(), cookie: browser })).response.status).toBe(
      303,
    );
  });
});

describe("the attacker stays limited", () => {
  it("from one address: locked out of the account after 10 failures, even with the right password", async () => {
    const { email } = await signUp();
    const ip = nextIp();
    for (let i = 0; i < 10; i++) expect((await logIn(email, `wrong ${i}`, { ip })).response.status).toBe(401);
    const locked = await logIn(email, GOOD_PASSWORD, { ip });
    expect(locked.response.status).toBe(429);
    expect(Number(locked.response.headers.get("Retry-After"))).toBeGreaterThan(30);
    expect(alertText(await locked.response.text())).toContain(
      "too many failed sign-ins to this account from your network",
    );
    // Until the window ends; the address is not locked out of other accounts.
    await wait(14 * 60 * 1000);
    expect((await logIn(email, GOOD_PASSWORD, { ip })).response.status).toBe(429);
    const other = await signUp();
    expect((await logIn(other.email, GOOD_PASSWORD, { ip })).response.status).toBe(303);
    await wait(61 * 1000);
    expect((await logIn(email, GOOD_PASSWORD, { ip })).response.status).toBe(303);
  });

  it("across addresses: after 10 failures, one attempt per 30 seconds for the whole account", async () => {
    const { email } = await signUp();
    expect(await spray(email, 10)).toEqual(Array(10).fill(401));
    for (let round = 0; round < 3; round++) {
      expect((await logIn(email, `turn ${round}`, { ip: nextIp() })).response.status).toBe(401);
      const refused = await logIn(email, GOOD_PASSWORD, { ip: nextIp() });
      expect(refused.response.status).toBe(429);
      expect(Number(refused.response.headers.get("Retry-After"))).toBeLessThanOrEqual(30);
      await wait(31_000);
    }
  });

  it("an unknown address gets the same answers as an account (nothing tells them apart)", async () => {
    const unknown = uniqueEmail("nobody");
    const statuses = await spray(unknown, 13);
    expect(statuses).toEqual([...Array(11).fill(401), 429, 429]);
  });

  it("a forged, altered or another account's device cookie gives no bypass", async () => {
    const { email, browser } = await ownerWithBrowser();
    const other = await ownerWithBrowser();
    await spray(email, 11);
    const value = browser.slice(DEVICE.length + 1);
    const [userId, nonce, signature] = value.split(".") as [string, string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    const forgeries = {
      "a random signature": `${userId}.${nonce}.${"A".repeat(43)}`,
      "an altered nonce": `${userId}.${flip(nonce, 3)}.${signature}`,
      "an altered account": `${flip(userId, 0)}.${nonce}.${signature}`,
      "another account's real cookie": other.browser.slice(DEVICE.length + 1),
      junk: "x.y.z",
    };
    for (const [label, forged] of Object.entries(forgeries)) {
      const res = await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: `${DEVICE}=${forged}` });
      expect(res.response.status, label).toBe(429);
    }
    // The real one still passes.
    expect((await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: browser })).response.status).toBe(303);
  });

  it("a device cookie's own failures are limited: after 10 that cookie is refused for the window", async () => {
    const { email, browser } = await ownerWithBrowser();
    for (let i = 0; i < 10; i++)
      expect((await logIn(email, `wrong ${i}`, { ip: nextIp(), cookie: browser })).response.status).toBe(401);
    const refused = await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: browser });
    expect(refused.response.status).toBe(429);
    expect(alertText(await refused.response.text())).toContain("too many failed sign-ins in this browser");
    // Those failures were the cookie's, not the account's: another browser is not slowed down.
    expect((await logIn(email, GOOD_PASSWORD, { ip: nextIp() })).response.status).toBe(303);
    await wait(16 * 60 * 1000);
    expect((await logIn(email, GOOD_PASSWORD, { ip: nextIp(), cookie: browser })).response.status).toBe(303);
  });
});
