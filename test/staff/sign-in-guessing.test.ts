/**
 * Guessing at the console's sign-in from many addresses: each staff address gets ten failures from anywhere, then
 * one attempt a minute, answered alike for an address that is no staff member's; failures and recovery-code
 * sign-ins are in the trail, and a staff member who used a recovery code is told how many are left.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { totpCodeAt } from "../../src/auth/totp";
import { GOOD_PASSWORD, cookieHeader, send, uniqueEmail } from "../helpers/http";
import { forgetLastCode, newStaff, staffSignIn, totpKeyOf } from "./helpers";

let ipSeq = 0;
/** A new address for each attempt, as an attacker rotating through an IPv6 range would have. */
const nextIp = () => {
  ipSeq += 1;
  return `2001:db8:${(ipSeq >> 16) & 0xffff}:${ipSeq & 0xffff}::1`;
};

const attempt = (email: string, password: string, code: string) =>
  send("/staff/login", { form: { email, password, code }, ip: nextIp() });

/** The form-level alert of the sign-in page. */
const alertOf = async (res: Response) =>
  ((await res.text()).match(/role="alert">([\s\S]*?)<\/div>/)?.[1] ?? "").replace(/<[^>]+>/g, "").trim();

/** Moves every rate-limit window `ms` into the past, as if that much time had gone by. */
const wait = (ms: number) => env.DB.prepare("UPDATE rate_limits SET window_start = window_start - ?").bind(ms).run();

interface AuditRow {
  actor_user_id: string | null;
  tenant_id: string | null;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  detail: string | null;
  ip: string | null;
}

const auditSince = async (action: string, since: number) =>
  (
    await env.DB.prepare("SELECT * FROM audit_log WHERE action = ? AND created_at >= ? ORDER BY id")
      .bind(action, since)
      .all<AuditRow>()
  ).results;

describe("staff sign-in under a spraying attack", () => {
  it("gives guesses sent all at once from many IPs no more password checks than guesses sent one by one", async () => {
    const staff = await newStaff("admin");
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(staff.email, `parallel guess ${i}`, "000000").then((r) => r.status)),
    );
    const checked = statuses.filter((s) => s === 401).length;
    // Ten failures and the one turn past them, as in order; every other answer waits.
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(11);
    expect(statuses.filter((s) => s === 429).length).toBe(30 - checked);
  });

  it("gives an address ten failures from any number of IPs, then one try a minute, alike for a non-staff address", async () => {
    const staff = await newStaff("admin");
    const ghost = uniqueEmail("not-staff");
    for (const email of [staff.email, ghost]) {
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await attempt(email, `guess ${i}`, "000000")).status);
      // Ten failures, one more turn, then refused: the same for the staff address and the other.
      expect(statuses, email).toEqual([...Array(11).fill(401), ...Array(3).fill(429)]);
    }
    const refusedStaff = await attempt(staff.email, "guess", "000000");
    const refusedGhost = await attempt(ghost, "guess", "000000");
    expect(refusedStaff.status).toBe(429);
    expect(Number(refusedStaff.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await alertOf(refusedStaff)).toBe(await alertOf(refusedGhost));

    // While the attacker holds the turn, even the right password and code wait; at the next turn they get in.
    const key = await totpKeyOf(staff.email);
    await forgetLastCode(staff.email);
    expect((await attempt(staff.email, GOOD_PASSWORD, totpCodeAt(key, Date.now()))).status).toBe(429);
    await wait(61_000);
    expect((await attempt(staff.email, GOOD_PASSWORD, totpCodeAt(key, Date.now()))).status).toBe(303);
  });

  it("lets the staff member in at once from a browser they signed in with before, while others wait", async () => {
    const staff = await newStaff("admin");
    const device = staff.cookie.split("; ").find((c) => c.startsWith("__Host-staff-device="));
    expect(device).toBeDefined();
    for (let i = 0; i < 14; i++) await attempt(staff.email, `guess ${i}`, "000000");
    const key = await totpKeyOf(staff.email);
    const rightAnswer = () => ({ email: staff.email, password: GOOD_PASSWORD, code: totpCodeAt(key, Date.now()) });
    await forgetLastCode(staff.email);
    // An unrecognised browser waits its turn, and so does one with a forged cookie.
    expect((await attempt(staff.email, GOOD_PASSWORD, totpCodeAt(key, Date.now()))).status).toBe(429);
    const forged = `${device!.slice(0, -2)}${device!.endsWith("AA") ? "BB" : "AA"}`;
    expect((await send("/staff/login", { form: rightAnswer(), ip: nextIp(), cookie: forged })).status).toBe(429);
    // Their own browser is not slowed down by the attack.
    const own = await send("/staff/login", { form: rightAnswer(), ip: nextIp(), cookie: device! });
    expect(own.status).toBe(303);
  });

  it("writes each failure to the trail: aimed at the staff member, or at no one for an unknown address", async () => {
    const since = Date.now();
    const staff = await newStaff("support");
    const ghost = uniqueEmail("unknown-to-staff");
    const ip = nextIp();
    expect(
      (await send("/staff/login", { form: { email: staff.email, password: "wrong", code: "1" }, ip })).status,
    ).toBe(401);
    expect((await send("/staff/login", { form: { email: ghost, password: "wrong", code: "1" }, ip })).status).toBe(401);
    const failures = (await auditSince("auth.sign_in_failed", since)).filter((r) => r.target_type === "staff");
    expect(failures).toHaveLength(2);
    const [onStaff, onNobody] = failures;
    expect(onStaff).toMatchObject({ tenant_id: null, actor_user_id: null, target_id: staff.id, ip });
    expect(JSON.parse(onStaff!.detail!)).toMatchObject({ reason: "wrong password" });
    expect(onNobody).toMatchObject({ tenant_id: null, actor_user_id: null, target_id: null, ip });
    // The address typed is no one's to keep: it is nowhere in the entry.
    expect(JSON.stringify(onNobody)).not.toContain(ghost);
  });

  it("marks a recovery-code sign-in in the trail and tells the staff member how many codes are left", async () => {
    const staff = await newStaff("support");
    const since = Date.now();
    const first = await staffSignIn(staff.email, staff.recoveryCodes[0]!);
    expect(first.response.status).toBe(303);
    const landing = first.response.headers.get("Location")!;
    expect(landing).toBe("/staff/login?signed_in_with=recovery-code&next=%2Fstaff");
    const notice = await send(landing, { cookie: first.cookie });
    expect(notice.status).toBe(200);
    const page = await notice.text();
    expect(page).toContain("You have 9 recovery codes left.");
    expect(page).toContain('href="/staff"');

    const second = await staffSignIn(staff.email, staff.recoveryCodes[1]!);
    const again = await send(second.response.headers.get("Location")!, { cookie: cookieHeader(second.response) });
    expect(await again.text()).toContain("You have 8 recovery codes left.");

    const signIns = await auditSince("staff.signed_in", since);
    const mine = signIns.filter((r) => r.actor_user_id === staff.id);
    expect(mine.map((r) => r.target_label)).toEqual(["with a recovery code", "with a recovery code"]);
    expect(mine.map((r) => JSON.parse(r.detail!).recovery_codes_left)).toEqual([9, 8]);

    // With the authenticator, straight on to the console, and no mark.
    await forgetLastCode(staff.email);
    const totp = await staffSignIn(staff.email, totpCodeAt(await totpKeyOf(staff.email), Date.now()));
    expect(totp.response.headers.get("Location")).toBe("/staff");
    const last = (await auditSince("staff.signed_in", since)).filter((r) => r.actor_user_id === staff.id).at(-1);
    expect(last?.target_label).toBeNull();
  });
});
