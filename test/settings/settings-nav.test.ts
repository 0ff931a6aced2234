/** One settings navigation on every settings page: the same tabs in the same named groups wherever the user is, Billing for the owner. */
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

/** Every tab an owner sees, in order, under its group's name. */
const TABS = [
  ["Your account", "Profile", "/app/settings/profile"],
  ["Your account", "Security", "/app/settings/security"],
  ["Your account", "Privacy", "/app/settings/privacy"],
  ["Workspace", "Team", "/app/settings/team"],
  ["Workspace", "Workspace", "/app/settings/workspace"],
  ["Workspace", "Billing", "/app/settings/billing"],
  ["Workspace", "Support access", "/app/settings/support"],
  ["Records", "Tags", "/app/settings/tags"],
  ["Records", "Custom fields", "/app/settings/fields"],
  ["Records", "Pipelines", "/app/settings/pipelines"],
  ["Records", "Trash", "/app/trash"],
  ["Data", "Import", "/app/import"],
  ["Data", "Export", "/app/export"],
  ["Data", "Audit trail", "/app/settings/audit"],
  ["Developers", "API", "/app/settings/api"],
  ["Developers", "Webhooks", "/app/settings/webhooks"],
] as const;
/** What a member sees: their account, the team and the trash. */
const MEMBER_TABS = ["Profile", "Security", "Privacy", "Team", "Trash"];

/** The tabs of the page's settings navigation, as "group: label href", each group named by its label's id. */
function tabsOf(html: string): string[] {
  const nav = html.match(/<nav class="tabs settings-nav" aria-label="Settings"[^>]*>([\s\S]*?)<\/nav>/)?.[1] ?? "";
  const groups = [
    ...nav.matchAll(/<div class="settings-group" role="group" aria-labelledby="([^"]+)">([\s\S]*?)<\/div>/g),
  ];
  return groups.flatMap(([, id, inner]) => {
    const name = inner!.match(new RegExp(`<span class="settings-group-label" id="${id}">([^<]+)</span>`))?.[1];
    return [...inner!.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${name}: ${m[2]} ${m[1]}`);
  });
}

const line = ([group, label, href]: readonly [string, string, string]) => `${group}: ${label} ${href}`;

describe("the settings navigation", () => {
  it("is the same on every settings page for the owner, Billing and Team included", async () => {
    const owner = await newTenant("Nav Co");
    const all = TABS.map(line);
    for (const [, , href] of TABS) expect(tabsOf(await textOf(href, { cookie: owner.cookie })), href).toEqual(all);
  });

  it("leaves out Billing for an admin, and the workspace's settings for a member", async () => {
    const owner = await newTenant("Nav Roles Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const member = await memberOf(owner.tenantId, "member");
    const forAdmin = TABS.filter(([, label]) => label !== "Billing").map(line);
    for (const href of ["/app/settings/team", "/app/settings/tags", "/app/import"])
      expect(tabsOf(await textOf(href, { cookie: admin.cookie })), href).toEqual(forAdmin);
    const forMember = TABS.filter(([, label]) => MEMBER_TABS.includes(label)).map(line);
    for (const href of ["/app/settings/team", "/app/settings/profile", "/app/trash"])
      expect(tabsOf(await textOf(href, { cookie: member.cookie })), href).toEqual(forMember);
  });
});
