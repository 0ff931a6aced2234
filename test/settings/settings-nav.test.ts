/** One settings navigation on every settings page: the same tabs wherever the user is, Billing for the owner. */
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

const TABS = [
  ["Profile", "/app/settings/profile"],
  ["Security", "/app/settings/security"],
  ["Privacy", "/app/settings/privacy"],
  ["Team", "/app/settings/team"],
  ["Trash", "/app/trash"],
  ["Workspace", "/app/settings/workspace"],
  ["Tags", "/app/settings/tags"],
  ["Custom fields", "/app/settings/fields"],
  ["Pipelines", "/app/settings/pipelines"],
  ["Audit trail", "/app/settings/audit"],
  ["Support access", "/app/settings/support"],
  ["API", "/app/settings/api"],
  ["Webhooks", "/app/settings/webhooks"],
  ["Import", "/app/import"],
  ["Export", "/app/export"],
  ["Billing", "/app/settings/billing"],
] as const;

/** The tabs of the page's settings navigation, as "label href". */
function tabsOf(html: string): string[] {
  const nav = html.match(/<nav class="tabs" aria-label="Settings"[^>]*>([\s\S]*?)<\/nav>/)?.[1] ?? "";
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
}

describe("the settings navigation", () => {
  it("is the same on every settings page for the owner, Billing and Team included", async () => {
    const owner = await newTenant("Nav Co");
    const all = TABS.map(([label, href]) => `${label} ${href}`);
    for (const [, href] of TABS) expect(tabsOf(await textOf(href, { cookie: owner.cookie })), href).toEqual(all);
  });

  it("leaves out Billing for an admin, and the workspace's settings for a member", async () => {
    const owner = await newTenant("Nav Roles Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const member = await memberOf(owner.tenantId, "member");
    const forAdmin = TABS.filter(([label]) => label !== "Billing").map(([l, h]) => `${l} ${h}`);
    for (const href of ["/app/settings/team", "/app/settings/tags", "/app/import"])
      expect(tabsOf(await textOf(href, { cookie: admin.cookie })), href).toEqual(forAdmin);
    const forMember = TABS.slice(0, 5).map(([l, h]) => `${l} ${h}`);
    for (const href of ["/app/settings/team", "/app/settings/profile", "/app/trash"])
      expect(tabsOf(await textOf(href, { cookie: member.cookie })), href).toEqual(forMember);
  });
});
