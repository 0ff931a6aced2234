/**
 * What a page tells app.js and the palette about itself: the reader's role (so the palette and the `t` key offer
 * only what answers that role), and whether it answers a refused form (so focus goes to the first error in every
 * browser, not only where the navigation's response status is exposed).
 */
import { describe, expect, it } from "vitest";
import { send, textOf, uniqueEmail } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

/** The attributes of the page's <main>. */
function mainTag(html: string): string {
  return /<main\b[^>]*>/.exec(html)?.[0] ?? "";
}

describe("the page's marks for its scripts", () => {
  it("carries the reader's role on <main>: viewer, member, owner; none signed out", async () => {
    const owner = await newTenant("Marked Roles Co");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const member = await memberOf(owner.tenantId, "member");
    expect(mainTag(await textOf("/app", { cookie: viewer.cookie }))).toContain('data-role="viewer"');
    expect(mainTag(await textOf("/app/contacts", { cookie: member.cookie }))).toContain('data-role="member"');
    expect(mainTag(await textOf("/app", { cookie: owner.cookie }))).toContain('data-role="owner"');
    expect(mainTag(await textOf("/login"))).not.toContain("data-role");
  });

  it("marks a refused sign-up (422) for focus, with one alert over the fields; a fresh form is not marked", async () => {
    const res = await send("/signup", {
      form: { email: "not an address", password: "short", company_name: "", age_confirmed: "on" },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(mainTag(html)).toContain('data-has-errors="true"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toMatch(/role="alert">\s*<p>Please correct the fields marked below\.<\/p>/);
    const fresh = await textOf("/signup");
    expect(mainTag(fresh)).not.toContain("data-has-errors");
    expect(fresh).not.toContain("Please correct the fields marked below.");
  });

  it("marks a refused login (401) too, and not a page that answered 200", async () => {
    const res = await send("/login", { form: { email: uniqueEmail("nobody"), password: "not the right password" } });
    expect(res.status).toBe(401);
    expect(mainTag(await res.text())).toContain('data-has-errors="true"');
    expect(mainTag(await textOf("/login"))).not.toContain("data-has-errors");
  });
});
