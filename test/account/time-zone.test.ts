/**
 * Each reader's time zone: the browser's at sign-up (the user's and the new workspace's), set once
 * at a first sign-in, chosen in the profile, defaulted by the workspace; every time on a page is then
 * shown in it, and a zone that is not a real one is never stored.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { cookieHeader, send, signUp, textOf } from "../helpers/http";
import { memberOf } from "../helpers/tenants";

// 2026-07-01 12:00 UTC (summer time in both zones) and 2026-01-15 12:00 UTC (winter time).
const SUMMER = Date.UTC(2026, 6, 1, 12, 0);
const WINTER = Date.UTC(2026, 0, 15, 12, 0);

async function tenantOf(email: string) {
  return (await env.DB.prepare(
    "SELECT m.tenant_id AS id, u.time_zone AS userZone, t.time_zone AS tenantZone FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id WHERE u.email = ?",
  )
    .bind(email)
    .first<{ id: string; userZone: string | null; tenantZone: string }>())!;
}

/** A contact with a note written at `at`; returns the note's time as the contact page shows it. */
async function noteTimeShown(cookie: string, at: number) {
  const contact = await createContact(cookie, { first_name: "Zone", last_name: "Reader" });
  expect((await send(`/app/contacts/${contact}/notes`, { cookie, form: { body: "Called back" } })).status).toBe(303);
  await env.DB.prepare("UPDATE notes SET created_at = ? WHERE subject_id = ? AND subject_type = 'contact'")
    .bind(at, contact)
    .run();
  const page = await textOf(`/app/contacts/${contact}`, { cookie });
  return page.match(new RegExp(`<time datetime="${new Date(at).toISOString()}">([^<]+)</time>`))?.[1];
}

describe("time zones", () => {
  it("shows times in the zone the browser gave at sign-up, across summer and winter time", async () => {
    const owner = await signUp({ company_name: "New York Co", time_zone: "America/New_York" });
    expect(await tenantOf(owner.email)).toMatchObject({ userZone: "America/New_York", tenantZone: "America/New_York" });
    expect(await noteTimeShown(owner.cookie, SUMMER)).toBe("7/1/2026, 8:00 AM EDT");
    expect(await noteTimeShown(owner.cookie, WINTER)).toBe("1/15/2026, 7:00 AM EST");
    // Without a zone (no JavaScript), times stay in UTC as before.
    const plain = await signUp({ company_name: "UTC Co" });
    expect(await noteTimeShown(plain.cookie, SUMMER)).toBe("7/1/2026, 12:00 PM UTC");
  });

  it("never stores a zone that is not one: sign-up, sign-in and the profile", async () => {
    for (const zone of ["Mars/Olympus_Mons", "'; DROP TABLE users; --", "utc ", "x".repeat(200), "../../etc"]) {
      const user = await signUp({ company_name: "Odd Zone Co", time_zone: zone });
      expect(await tenantOf(user.email), zone).toMatchObject({ userZone: null, tenantZone: "UTC" });
      const res = await send("/app/settings/profile/time-zone", { cookie: user.cookie, form: { time_zone: zone } });
      expect(res.status, zone).toBe(422);
      const html = await res.text();
      expect(html).toContain('id="time_zone-error"');
      expect(html).toContain("Choose a time zone from the list.");
      expect((await tenantOf(user.email)).userZone).toBeNull();
    }
  });

  it("takes the current names Firefox and Safari send for zones the runtime lists under an older one", async () => {
    // V8 lists Asia/Calcutta and Europe/Kiev; browsers other than Chrome send Asia/Kolkata and Europe/Kyiv.
    for (const [sent, summer] of [
      ["Asia/Kolkata", "7/1/2026, 5:30 PM GMT+5:30"],
      ["Europe/Kyiv", "7/1/2026, 3:00 PM GMT+3"],
    ] as const) {
      const user = await signUp({ company_name: "Renamed Zone Co", time_zone: sent });
      const stored = await tenantOf(user.email);
      expect(stored.userZone, sent).not.toBeNull();
      expect(stored.tenantZone).toBe(stored.userZone);
      expect(await noteTimeShown(user.cookie, SUMMER)).toBe(summer);
      // The profile's list shows it chosen, so saving the form keeps it.
      const profile = await textOf("/app/settings/profile", { cookie: user.cookie });
      expect(profile).toContain(`<option value="${stored.userZone}" selected="">`);
      const chosen = await send("/app/settings/profile/time-zone", { cookie: user.cookie, form: { time_zone: sent } });
      expect(chosen.status).toBe(303);
      expect((await tenantOf(user.email)).userZone).toBe(stored.userZone);
    }
  });

  it("the first sign-in sets the browser's zone; after that only the profile changes it", async () => {
    const user = await signUp({ company_name: "Sign In Co" });
    const first = await send("/login", {
      form: { email: user.email, password: "violet tractor sandwich 42", time_zone: "Europe/Berlin" },
    });
    expect(first.status).toBe(303);
    expect((await tenantOf(user.email)).userZone).toBe("Europe/Berlin");
    await send("/login", {
      form: { email: user.email, password: "violet tractor sandwich 42", time_zone: "Asia/Tokyo" },
    });
    expect((await tenantOf(user.email)).userZone).toBe("Europe/Berlin");
    const cookie = cookieHeader(first);
    expect(await noteTimeShown(cookie, WINTER)).toBe("1/15/2026, 1:00 PM GMT+1");

    const chosen = await send("/app/settings/profile/time-zone", { cookie, form: { time_zone: "Asia/Tokyo" } });
    expect(chosen.status).toBe(303);
    expect(await noteTimeShown(cookie, WINTER)).toBe("1/15/2026, 9:00 PM GMT+9");
    // Back to the workspace's zone (UTC here).
    await send("/app/settings/profile/time-zone", { cookie, form: { time_zone: "" } });
    expect((await tenantOf(user.email)).userZone).toBeNull();
    expect(await noteTimeShown(cookie, WINTER)).toBe("1/15/2026, 12:00 PM UTC");
  });

  it("choosing the workspace's zone on the profile stays chosen at the next sign-in from a browser elsewhere", async () => {
    const password = "violet tractor sandwich 42";
    const user = await signUp({ company_name: "Workspace Zone Kept Co" });
    const chose = await send("/app/settings/profile/time-zone", { cookie: user.cookie, form: { time_zone: "" } });
    expect(chose.status).toBe(303);
    const again = await send("/login", { form: { email: user.email, password, time_zone: "Asia/Tokyo" } });
    expect(again.status).toBe(303);
    expect((await tenantOf(user.email)).userZone).toBeNull();
    expect(await noteTimeShown(cookieHeader(again), WINTER)).toBe("1/15/2026, 12:00 PM UTC");
    // Someone who never chose still gets their browser's zone at a sign-in.
    const other = await signUp({ company_name: "Never Chose Co" });
    expect((await send("/login", { form: { email: other.email, password, time_zone: "Asia/Tokyo" } })).status).toBe(
      303,
    );
    expect((await tenantOf(other.email)).userZone).toBe("Asia/Tokyo");
  });

  it("moves the 08:00 reminders of members without a zone of their own when the workspace's zone changes", async () => {
    const owner = await signUp({ company_name: "Zone Moves Co" });
    const { id: tenantId } = await tenantOf(owner.email);
    const member = await memberOf(tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = NULL WHERE email = ?").bind(member.email).run();
    await env.DB.prepare("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE email = ?").bind(owner.email).run();
    for (const [cookie, title] of [
      [member.cookie, "Member's day task"],
      [owner.cookie, "Owner's day task"],
    ] as const)
      expect((await send("/app/tasks", { cookie, form: { title, due_date: "2027-02-10", remind: "0" } })).status).toBe(
        303,
      );
    const remindAt = (title: string) =>
      env.DB.prepare("SELECT remind_at FROM tasks WHERE tenant_id = ? AND title = ?")
        .bind(tenantId, title)
        .first("remind_at");
    expect(await remindAt("Member's day task")).toBe(Date.UTC(2027, 1, 10, 8, 0)); // the workspace's UTC
    const saved = await send("/app/settings/workspace", {
      cookie: owner.cookie,
      form: { default_region: "US", company_name: "Zone Moves Co", time_zone: "America/New_York" },
    });
    expect(saved.status).toBe(303);
    // 08:00 in New York (winter) is 13:00 UTC; the owner's own zone keeps theirs at 08:00 Tokyo.
    expect(await remindAt("Member's day task")).toBe(Date.UTC(2027, 1, 10, 13, 0));
    expect(await remindAt("Owner's day task")).toBe(Date.UTC(2027, 1, 9, 23, 0));
  });

  it("members without a zone of their own read times in the workspace's, which admins set", async () => {
    const owner = await signUp({ company_name: "Workspace Zone Co" });
    const { id: tenantId } = await tenantOf(owner.email);
    const member = await memberOf(tenantId, "member");
    await env.DB.prepare("UPDATE users SET time_zone = NULL WHERE email = ?").bind(member.email).run();
    const save = (cookie: string, zone: string) =>
      send("/app/settings/workspace", {
        cookie,
        form: { default_region: "US", company_name: "Workspace Zone Co", time_zone: zone },
      });
    expect((await save(member.cookie, "Europe/Paris")).status).toBe(403);
    const refused = await save(owner.cookie, "Not/AZone");
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Choose a time zone from the list.");
    expect((await save(owner.cookie, "Europe/Paris")).status).toBe(303);
    expect(await noteTimeShown(member.cookie, SUMMER)).toBe("7/1/2026, 2:00 PM GMT+2");
  });
});
