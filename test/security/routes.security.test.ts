/**
 * Every /app route with the least role it needs. The test fails when a route exists that is not in
 * this table, so a new route cannot ship without deciding who may use it; the routes outside /app
 * are in public-routes.security.test.ts, so together they name every route of the app.
 */
import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../src/db/schema";
import { send } from "../helpers/http";
import { isAppPath, registeredRoutes, tableRoutes } from "../helpers/route-table";
import { memberOf, newTenant } from "../helpers/tenants";

interface RouteRule {
  method: string;
  path: string;
  least: Role;
  /** A concrete URL for the route, where filling its path parameter (urlOf) is not enough. */
  sample?: string;
  form?: Record<string, string>;
}

const APP_ROUTES: RouteRule[] = [
  { method: "GET", path: "/app", least: "viewer" },
  // Settings that are the user's own: every role manages its own profile, password and sessions.
  { method: "GET", path: "/app/settings/profile", least: "viewer" },
  {
    method: "POST",
    path: "/app/settings/profile/email",
    least: "viewer",
    form: { email: "new@example.com", password: "wrong password" },
  },
  {
    method: "POST",
    path: "/app/settings/profile/delete",
    least: "viewer",
    form: { delete_password: "wrong password", confirm_delete: "on" },
  },
  { method: "POST", path: "/app/settings/profile/name", least: "viewer", form: { name: "A Name" } },
  { method: "POST", path: "/app/settings/profile/time-zone", least: "viewer", form: { time_zone: "Europe/Berlin" } },
  { method: "POST", path: "/app/settings/profile/email-preferences", least: "viewer", form: { digest: "on" } },
  // The company name is the owner's to correct (here or in Workspace).
  { method: "POST", path: "/app/settings/profile/company", least: "owner", form: { company_name: "" } },
  // Privacy: everyone downloads their own data; the archive holds the workspace's records only for admins and owners.
  { method: "GET", path: "/app/settings/privacy", least: "viewer" },
  { method: "POST", path: "/app/settings/privacy/export", least: "viewer" },
  { method: "GET", path: "/app/settings/privacy/exports/:id", least: "viewer" },
  { method: "POST", path: "/app/settings/privacy/exports/:id/cancel", least: "viewer" },
  { method: "POST", path: "/app/settings/privacy/exports/:id/retry", least: "viewer" },
  {
    method: "POST",
    path: "/app/settings/privacy/suppressions/remove",
    least: "admin",
    form: { email: "not-an-email" },
  },
  { method: "GET", path: "/app/settings/security", least: "viewer" },
  {
    method: "POST",
    path: "/app/settings/security/password",
    least: "viewer",
    form: { current_password: "wrong password", new_password: "a new long passphrase" },
  },
  { method: "POST", path: "/app/settings/security/sessions/revoke-others", least: "viewer" },
  { method: "POST", path: "/app/settings/security/sessions/:id/revoke", least: "viewer" },
  // The workspace's audit trail.
  { method: "GET", path: "/app/settings/audit", least: "admin" },
  // The team page: everyone reads it; admins manage invitations and members; only the owner hands over ownership.
  { method: "GET", path: "/app/settings/team", least: "viewer" },
  {
    method: "POST",
    path: "/app/settings/team/invitations",
    least: "admin",
    form: { email: "not-an-email", role: "member" },
  },
  { method: "POST", path: "/app/settings/team/invitations/:id/revoke", least: "admin" },
  { method: "POST", path: "/app/settings/team/invitations/:id/resend", least: "admin" },
  { method: "POST", path: "/app/settings/team/members/:userId/role", least: "admin", form: { role: "viewer" } },
  { method: "POST", path: "/app/settings/team/members/:userId/remove", least: "admin" },
  {
    method: "POST",
    path: "/app/settings/team/transfer",
    least: "owner",
    form: { user_id: "nosuchuser", password: "wrong password" },
  },
  // Workspaces: every member lists their own and switches between them.
  { method: "GET", path: "/app/workspaces", least: "viewer" },
  { method: "POST", path: "/app/workspaces/switch", least: "viewer", form: { tenant_id: "nosuchtenant" } },
  // A new reopen link for a closed workspace: the owner of that workspace only (others get a 404).
  { method: "POST", path: "/app/workspaces/:tenantId/reopen-link", least: "viewer" },
  // Billing: only the owner sees the plan and goes to Stripe (checkout answers 303 to Stripe here).
  { method: "GET", path: "/app/settings/billing", least: "owner" },
  { method: "POST", path: "/app/settings/billing/checkout", least: "owner", form: { interval: "monthly" } },
  { method: "POST", path: "/app/settings/billing/portal", least: "owner" },
  // Closing the workspace: the owner only, with their password (a wrong one changes nothing).
  { method: "GET", path: "/app/settings/close", least: "owner" },
  {
    method: "POST",
    path: "/app/settings/close",
    least: "owner",
    form: { password: "wrong password", confirm_close: "on" },
  },
  // The privacy-policy change notice: every user dismisses their own.
  { method: "POST", path: "/app/privacy-notice", least: "viewer", form: { version: "2000-01-01" } },
  // Recently viewed: every role records its own views (of records that exist; here none does).
  { method: "POST", path: "/app/recent", least: "viewer", form: { type: "company", id: "999999999" } },
  // Companies: viewers read; members write. Ids that do not exist answer 404 to those allowed.
  { method: "GET", path: "/app/companies", least: "viewer" },
  { method: "GET", path: "/app/companies/new", least: "member" },
  { method: "POST", path: "/app/companies", least: "member", form: { name: "" } },
  { method: "GET", path: "/app/companies/:id", least: "viewer" },
  { method: "GET", path: "/app/companies/:id/edit", least: "member" },
  { method: "POST", path: "/app/companies/:id", least: "member", form: { name: "Renamed" } },
  { method: "DELETE", path: "/app/companies/:id", least: "member" },
  { method: "GET", path: "/app/companies/:id/delete", least: "member" },
  { method: "POST", path: "/app/companies/:id/delete", least: "member" },
  // Notes: members add them; the author or an admin changes them (the service decides, after the role).
  { method: "POST", path: "/app/contacts/:id/notes", least: "member", form: { body: "A note" } },
  { method: "POST", path: "/app/companies/:id/notes", least: "member", form: { body: "A note" } },
  { method: "GET", path: "/app/notes/:id/edit", least: "member" },
  { method: "POST", path: "/app/notes/:id", least: "member", form: { body: "Edited" } },
  { method: "POST", path: "/app/notes/:id/delete", least: "member" },
  { method: "DELETE", path: "/app/notes/:id", least: "member" },
  // Workspace settings: tags, custom fields, the default phone region (the name: owners, inside the route).
  { method: "GET", path: "/app/settings/tags", least: "admin" },
  { method: "POST", path: "/app/settings/tags", least: "admin", form: { name: "", color: "blue" } },
  { method: "POST", path: "/app/settings/tags/:id", least: "admin", form: { name: "Renamed", color: "red" } },
  { method: "GET", path: "/app/settings/tags/:id/delete", least: "admin" },
  { method: "POST", path: "/app/settings/tags/:id/delete", least: "admin" },
  { method: "GET", path: "/app/settings/fields", least: "admin" },
  { method: "POST", path: "/app/settings/fields", least: "admin", form: { entity: "company", name: "", kind: "text" } },
  { method: "GET", path: "/app/settings/fields/:id/delete", least: "admin" },
  { method: "POST", path: "/app/settings/fields/:id/delete", least: "admin" },
  // Pipelines, stages and lost reasons: admins and owners (issue 14). Unknown ids answer 404.
  { method: "GET", path: "/app/settings/pipelines", least: "admin" },
  { method: "POST", path: "/app/settings/pipelines", least: "admin", form: { name: "" } },
  { method: "POST", path: "/app/settings/pipelines/:id", least: "admin", form: { name: "Renamed" } },
  { method: "POST", path: "/app/settings/pipelines/:id/move", least: "admin", form: { direction: "up" } },
  {
    method: "POST",
    path: "/app/settings/pipelines/:id/stages",
    least: "admin",
    form: { name: "Stage", probability: "10" },
  },
  { method: "GET", path: "/app/settings/pipelines/:id/delete", least: "admin" },
  { method: "POST", path: "/app/settings/pipelines/:id/delete", least: "admin" },
  {
    method: "POST",
    path: "/app/settings/pipelines/stages/:id",
    least: "admin",
    form: { name: "Stage", probability: "10" },
  },
  { method: "POST", path: "/app/settings/pipelines/stages/:id/move", least: "admin", form: { direction: "up" } },
  { method: "GET", path: "/app/settings/pipelines/stages/:id/delete", least: "admin" },
  { method: "POST", path: "/app/settings/pipelines/stages/:id/delete", least: "admin" },
  { method: "POST", path: "/app/settings/pipelines/lost-reasons", least: "admin", form: { name: "" } },
  { method: "POST", path: "/app/settings/pipelines/lost-reasons/:id", least: "admin", form: { name: "Renamed" } },
  { method: "POST", path: "/app/settings/pipelines/lost-reasons/:id/move", least: "admin", form: { direction: "up" } },
  { method: "POST", path: "/app/settings/pipelines/lost-reasons/:id/delete", least: "admin" },
  // The deal list: viewers read; members act on a selection.
  { method: "GET", path: "/app/deals/list", least: "viewer" },
  { method: "GET", path: "/app/search", least: "viewer", sample: "/app/search?q=a" },
  {
    method: "POST",
    path: "/app/deals/list/bulk",
    least: "member",
    form: { action: "tag", ids: "999999999", tag_id: "999999999" },
  },
  { method: "GET", path: "/app/settings/workspace", least: "admin" },
  { method: "POST", path: "/app/settings/workspace", least: "admin", form: { default_region: "XX" } },
  // Contacts: viewers read; members write. Ids that do not exist answer 404 to those allowed.
  { method: "GET", path: "/app/contacts", least: "viewer" },
  { method: "GET", path: "/app/contacts/new", least: "member" },
  { method: "POST", path: "/app/contacts", least: "member", form: { first_name: "" } },
  { method: "POST", path: "/app/contacts/check-duplicates", least: "member", form: { emails: "nobody@example.com" } },
  {
    method: "POST",
    path: "/app/contacts/bulk",
    least: "member",
    form: { action: "tag", ids: "999999999", tag_id: "999999999" },
  },
  { method: "GET", path: "/app/contacts/:id", least: "viewer" },
  { method: "GET", path: "/app/contacts/:id/edit", least: "member" },
  { method: "POST", path: "/app/contacts/:id", least: "member", form: { first_name: "Renamed" } },
  { method: "DELETE", path: "/app/contacts/:id", least: "member" },
  { method: "GET", path: "/app/contacts/:id/delete", least: "member" },
  { method: "POST", path: "/app/contacts/:id/delete", least: "member" },
  // Erasing (a privacy request, optionally onto the suppression list): admins and owners.
  { method: "GET", path: "/app/contacts/:id/erase", least: "admin" },
  { method: "POST", path: "/app/contacts/:id/erase", least: "admin" },
  // Deals: viewers read the board and deals; members create, edit, move, close and delete them.
  { method: "GET", path: "/app/deals", least: "viewer" },
  { method: "GET", path: "/app/deals/column", least: "viewer", sample: "/app/deals/column?stage=999999999" },
  { method: "GET", path: "/app/deals/new", least: "member" },
  { method: "POST", path: "/app/deals", least: "member", form: { name: "" } },
  { method: "GET", path: "/app/deals/:id", least: "viewer" },
  { method: "GET", path: "/app/deals/:id/edit", least: "member" },
  { method: "POST", path: "/app/deals/:id", least: "member", form: { name: "Renamed" } },
  { method: "POST", path: "/app/deals/:id/delete", least: "member" },
  { method: "POST", path: "/app/deals/:id/move", least: "member", form: { stage_id: "999999999" } },
  { method: "POST", path: "/app/deals/:id/won", least: "member" },
  { method: "POST", path: "/app/deals/:id/lost", least: "member", form: { reason_text: "Price" } },
  { method: "POST", path: "/app/deals/:id/reopen", least: "member" },
  { method: "POST", path: "/app/deals/:id/notes", least: "member", form: { body: "A note" } },
  // Exports: the whole workspace's data leaves with them, so admins and owners only.
  { method: "GET", path: "/app/export", least: "admin" },
  { method: "GET", path: "/app/export/contacts.csv", least: "admin" },
  { method: "GET", path: "/app/export/contacts.json", least: "admin" },
  { method: "GET", path: "/app/export/contacts.vcf", least: "admin" },
  { method: "GET", path: "/app/export/companies.csv", least: "admin" },
  { method: "GET", path: "/app/export/companies.json", least: "admin" },
  { method: "GET", path: "/app/export/notes.csv", least: "admin" },
  { method: "GET", path: "/app/export/notes.json", least: "admin" },
  { method: "GET", path: "/app/export/deals.csv", least: "admin" },
  { method: "GET", path: "/app/export/deals.json", least: "admin" },
  // Imports: admins and owners. The samples name a job that does not exist (404 for those allowed).
  { method: "GET", path: "/app/import", least: "admin" },
  { method: "POST", path: "/app/import", least: "admin", form: { kind: "contacts", encoding: "auto" } },
  { method: "GET", path: "/app/import/:id", least: "admin" },
  { method: "POST", path: "/app/import/:id/mapping", least: "admin" },
  { method: "POST", path: "/app/import/:id/commit", least: "admin" },
  { method: "POST", path: "/app/import/:id/undo", least: "admin" },
  { method: "POST", path: "/app/import/:id/cancel", least: "admin" },
  { method: "POST", path: "/app/import/:id/retry", least: "admin" },
  { method: "GET", path: "/app/import/:id/errors.csv", least: "admin" },
  { method: "GET", path: "/app/import/:id/review.csv", least: "admin" },
];

/** Records keyed by text rather than a number, by the path before their id: the id no such record has. */
const MISSING_TEXT_IDS: Record<string, string> = {
  "/app/settings/privacy/exports/": "nosuchexport",
  "/app/settings/security/sessions/": "nosuchsession",
  "/app/settings/team/invitations/": "nosuchinvitation",
  "/app/settings/team/members/": "nosuchuser",
  "/app/workspaces/": "nosuchtenant",
  "/app/import/": "nosuchimport",
};

/** The URL a rule is tried at: its sample, or its path with the parameter filled by an id that exists nowhere. */
function urlOf(r: RouteRule): string {
  if (r.sample) return r.sample;
  // An /app path has one parameter at most: the text before and after it.
  const [before = "", after] = r.path.split(/:\w+/);
  if (after === undefined) return r.path;
  return before + (MISSING_TEXT_IDS[before] ?? "999999999") + after;
}

describe("route × role table", () => {
  it("lists every /app route the app has, and nothing else", () => {
    expect(registeredRoutes(isAppPath)).toEqual(tableRoutes(APP_ROUTES));
  });

  it("sends anonymous visitors of every /app route to the login page", async () => {
    for (const r of APP_ROUTES) {
      const res = await send(urlOf(r), { method: r.method, form: r.form });
      expect(res.status, `${r.method} ${r.path}`).toBe(303);
      expect(res.headers.get("Location")).toMatch(/^\/login\?next=/);
    }
  });

  it("lets each role through exactly the routes its rank allows", async () => {
    const owner = await newTenant("Roles Co");
    const cookies: Record<Role, string> = { owner: owner.cookie } as Record<Role, string>;
    for (const role of ["viewer", "member", "admin"] as const)
      cookies[role] = (await memberOf(owner.tenantId, role)).cookie;

    for (const r of APP_ROUTES) {
      for (const role of ROLES) {
        const res = await send(urlOf(r), { method: r.method, form: r.form, cookie: cookies[role] });
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(r.least);
        const label = `${r.method} ${r.path} as ${role}`;
        if (allowed) {
          expect(res.status, label).not.toBe(403);
          expect(res.status, label).toBeLessThan(500);
          expect(res.headers.get("Location") ?? "", label).not.toMatch(/^\/login/);
        } else {
          expect(res.status, label).toBe(403);
        }
      }
    }
    // Every route as every role, one after another: minutes' worth of requests on a loaded machine.
  }, 90_000);
});
