/**
 * The API keys of an admin who is removed or demoted: keys belong to the workspace and outlive their maker, so the
 * team page says how many they left working and offers to revoke them in the same change (ticked by default), and
 * Settings → API shows who made each key, or that its maker has left.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { send, textOf } from "../helpers/http";
import { invitedMember, verifiedOwner } from "./team-helpers";

const visible = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

/** The keys page's row of a key, by its name: its cells' text. */
async function keyRow(cookie: string, name: string) {
  const html = await textOf("/app/settings/api", { cookie });
  const row = html.match(new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*?${name}[\\s\\S]*?</tr>`))?.[0];
  if (!row) throw new Error(`no row for ${name}`);
  return visible(row);
}

async function revokedAudits(tenantId: string) {
  const rows = await env.DB.prepare(
    "SELECT actor_user_id AS actor, target_label AS label FROM audit_log WHERE tenant_id = ? AND action = 'api_key.revoked'",
  )
    .bind(tenantId)
    .all<{ actor: string; label: string }>();
  return rows.results;
}

describe("API keys of a member who is removed", () => {
  it("are revoked with the removal when the box is ticked, audited, and the notice says so", async () => {
    const owner = await verifiedOwner("Keys Removal Co");
    const admin = await invitedMember(owner, "admin");
    const secret = await makeKey(admin.cookie, { name: "Admin sync" });
    expect((await api("/contacts", { key: secret })).status).toBe(200);

    // The removal form counts their working key and offers to revoke it, ticked.
    const page = await textOf("/app/settings/team", { cookie: owner.cookie });
    expect(page).toMatch(
      new RegExp(`<input id="remove-keys-${admin.userId}" type="checkbox" name="revoke_keys" value="on" checked`),
    );
    expect(visible(page)).toContain("Also revoke the API key they created");
    expect(page).toContain("1 API key they made still work");

    const res = await send(`/app/settings/team/members/${admin.userId}/remove`, {
      cookie: owner.cookie,
      form: { revoke_keys: "on" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=removed&keys_revoked=1");
    expect((await api("/contacts", { key: secret })).status).toBe(401);
    expect(await revokedAudits(owner.tenantId)).toEqual([{ actor: owner.userId, label: "Admin sync" }]);
    const notice = visible(await textOf(res.headers.get("Location")!, { cookie: owner.cookie }));
    expect(notice).toContain(
      "Member removed. They can no longer sign in to this workspace. The API key they created was revoked.",
    );
    expect(await keyRow(owner.cookie, "Admin sync")).toContain("Revoked");
  });

  it("keep working when the box is unticked: the notice links to Settings → API, which shows a former member's key", async () => {
    const owner = await verifiedOwner("Keys Kept Co");
    const admin = await invitedMember(owner, "admin");
    const secret = await makeKey(admin.cookie, { name: "Kept sync" });
    expect(await keyRow(owner.cookie, "Kept sync")).toContain(admin.email);

    // An unticked box is not sent at all.
    const res = await send(`/app/settings/team/members/${admin.userId}/remove`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=removed&keys_live=1");
    expect((await api("/contacts", { key: secret })).status).toBe(200);
    const html = await textOf(res.headers.get("Location")!, { cookie: owner.cookie });
    expect(visible(html)).toContain(
      "Member removed. They can no longer sign in to this workspace. 1 API key they created still works: review or revoke it in Settings → API",
    );
    expect(html).toContain('<a href="/app/settings/api">Settings → API</a>');

    const row = await keyRow(owner.cookie, "Kept sync");
    expect(row).toContain("former member");
    expect(row).not.toContain(admin.email);
    expect(await revokedAudits(owner.tenantId)).toEqual([]);
  });
});

describe("API keys of an admin who is demoted", () => {
  it("are revoked with the demotion when the box is ticked, and keep working when it is not", async () => {
    const owner = await verifiedOwner("Keys Demotion Co");
    for (const ticked of [true, false]) {
      const admin = await invitedMember(owner, "admin");
      const secret = await makeKey(admin.cookie, { name: `Demoted ${ticked}` });
      const page = await textOf("/app/settings/team", { cookie: owner.cookie });
      expect(page).toMatch(new RegExp(`<input id="demote-keys-${admin.userId}" type="checkbox" name="revoke_keys"`));
      const res = await send(`/app/settings/team/members/${admin.userId}/role`, {
        cookie: owner.cookie,
        form: ticked ? { role: "member", revoke_keys: "on" } : { role: "member" },
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe(
        `/app/settings/team?notice=role_changed&${ticked ? "keys_revoked" : "keys_live"}=1`,
      );
      expect((await api("/contacts", { key: secret })).status, String(ticked)).toBe(ticked ? 401 : 200);
      // Still a member: the key list names them.
      expect(await keyRow(owner.cookie, `Demoted ${ticked}`)).toContain(admin.email);
    }
  });

  it("are left alone by a promotion, whatever the form sends", async () => {
    const owner = await verifiedOwner("Keys Promotion Co");
    const admin = await invitedMember(owner, "admin");
    const secret = await makeKey(admin.cookie, { name: "Promoted" });
    await send(`/app/settings/team/members/${admin.userId}/role`, { cookie: owner.cookie, form: { role: "member" } });
    const res = await send(`/app/settings/team/members/${admin.userId}/role`, {
      cookie: owner.cookie,
      form: { role: "admin", revoke_keys: "on" },
    });
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=role_changed");
    expect((await api("/contacts", { key: secret })).status).toBe(200);
  });
});
