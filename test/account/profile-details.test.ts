/**
 * The profile's own details as others and the user see them: a display name colleagues read without hidden or
 * direction-changing characters, and the "what we hold about you" summary of every email preference.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

async function storedName(email: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT name FROM users WHERE email = ?")
    .bind(email)
    .first<{ name: string | null }>();
  return row!.name;
}

const saveName = (cookie: string, name: string) => send("/app/settings/profile/name", { cookie, form: { name } });

describe("the display name", () => {
  it("is kept without bidi overrides, zero-width characters or line breaks, and colleagues see it so", async () => {
    const owner = await newTenant("Names Co");
    const member = await memberOf(owner.tenantId, "member");

    expect((await saveName(member.cookie, "Ada\u202Eecalevol")).status).toBe(303);
    expect(await storedName(member.email)).toBe("Adaecalevol");
    // The mention picker, as a colleague fetches it.
    const picker = await textOf("/app/notes/members", { cookie: owner.cookie });
    expect(picker).toContain('"Adaecalevol"');
    expect(picker).not.toMatch(/\u202E|\\u202e/i);

    expect((await saveName(member.cookie, "Ada\u200BLovelace")).status).toBe(303);
    expect(await storedName(member.email)).toBe("AdaLovelace");

    expect((await saveName(member.cookie, " Ada\r\n\u2066Lovelace\u2069\t")).status).toBe(303);
    expect(await storedName(member.email)).toBe("Ada Lovelace");
    const profile = await textOf("/app/settings/profile", { cookie: member.cookie });
    expect(profile).toContain('value="Ada Lovelace"');
  });
});

describe("what else we hold about you", () => {
  it("names the mentions preference with the others, as it is set", async () => {
    const { cookie } = await newTenant("Prefs Co");
    const before = await textOf("/app/settings/profile", { cookie });
    expect(before).toMatch(/daily agenda off,\s+mentions by email on/);
    const saved = await send("/app/settings/profile/email-preferences", { cookie, form: { digest: "on" } });
    expect(saved.status).toBe(303);
    const after = await textOf("/app/settings/profile", { cookie });
    expect(after).toMatch(/daily agenda off,\s+mentions by email off/);
  });
});
