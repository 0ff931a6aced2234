/**
 * Every /app route with the least role it needs, a URL to try it at and the form a POST sends: the table the role
 * test (test/security/routes.security.test.ts) checks against the app's routes, so it names every /app route.
 */
import type { Role } from "../../src/db/schema";

export interface RouteRule {
  method: string;
  path: string;
  least: Role;
  /** A concrete URL for the route, where filling its path parameter (urlOf) is not enough. */
  sample?: string;
  form?: Record<string, string>;
}

/**
 * One row: "METHOD /path" (with a query where the route needs one to be tried, which makes that URL its
 * sample), the least role, and the form a POST sends where the route reads one.
 */
function rule(route: string, least: Role, form?: Record<string, string>): RouteRule {
  const [method, url] = route.split(" ") as [string, string];
  const path = url.replace(/\?.*$/, "");
  return { method, path, least, ...(url === path ? {} : { sample: url }), ...(form ? { form } : {}) };
}

/** A record's delete confirmation page and the delete it confirms, for the same roles. */
const deleteSteps = (record: string, least: Role) => [
  rule(`GET ${record}/delete`, least),
  rule(`POST ${record}/delete`, least),
];

/** The pages of companies, contacts and deals: viewers read the list and a record; members create and edit. */
function recordRoutes(list: string, createForm: Record<string, string>, editForm: Record<string, string>): RouteRule[] {
  return [
    rule(`GET ${list}`, "viewer"),
    rule(`GET ${list}/new`, "member"),
    rule(`POST ${list}`, "member", createForm),
    rule(`GET ${list}/:id`, "viewer"),
    rule(`GET ${list}/:id/edit`, "member"),
    rule(`POST ${list}/:id`, "member", editForm),
  ];
}

/** An admin's ordered list in settings (pipelines, lost reasons): items added by name, renamed, moved. */
const orderedListRoutes = (list: string) => [
  rule(`POST ${list}`, "admin", { name: "" }),
  rule(`POST ${list}/:id`, "admin", { name: "Renamed" }),
  rule(`POST ${list}/:id/move`, "admin", { direction: "up" }),
];

export const APP_ROUTES: RouteRule[] = [
  rule("GET /app", "viewer"),
  // Settings that are the user's own: every role manages its own profile, password and sessions.
  rule("GET /app/settings", "viewer"),
  rule("GET /app/settings/profile", "viewer"),
  rule("POST /app/settings/profile/email", "viewer", { email: "new@example.com", password: "wrong password" }),
  rule("POST /app/settings/profile/delete", "viewer", { delete_password: "wrong password", confirm_delete: "on" }),
  rule("POST /app/settings/profile/name", "viewer", { name: "A Name" }),
  rule("POST /app/settings/profile/time-zone", "viewer", { time_zone: "Europe/Berlin" }),
  rule("POST /app/settings/profile/locale", "viewer", { locale: "de-DE" }),
  rule("POST /app/settings/profile/calendar-feed", "viewer"),
  rule("POST /app/settings/profile/calendar-feed/rotate", "viewer"),
  rule("POST /app/settings/profile/calendar-feed/off", "viewer"),
  rule("POST /app/settings/profile/email-preferences", "viewer", { digest: "on" }),
  // The company name is the owner's to correct (here or in Workspace).
  rule("POST /app/settings/profile/company", "owner", { company_name: "" }),
  // Privacy: everyone downloads their own data; the archive holds the workspace's records only for admins and owners.
  rule("GET /app/settings/privacy", "viewer"),
  rule("POST /app/settings/privacy/export", "viewer"),
  rule("GET /app/settings/privacy/exports/:id", "viewer"),
  rule("POST /app/settings/privacy/exports/:id/cancel", "viewer"),
  rule("POST /app/settings/privacy/exports/:id/retry", "viewer"),
  rule("POST /app/settings/privacy/suppressions/remove", "admin", { email: "not-an-email" }),
  rule("GET /app/settings/security", "viewer"),
  rule("POST /app/settings/security/password", "viewer", {
    current_password: "wrong password",
    new_password: "a new long passphrase",
  }),
  rule("POST /app/settings/security/sessions/revoke-others", "viewer"),
  rule("POST /app/settings/security/sessions/:id/revoke", "viewer"),
  // The workspace's audit trail.
  rule("GET /app/settings/audit", "admin"),
  // Support access: who at CustomerTrackr may open the workspace is the admins' and owner's decision.
  rule("GET /app/settings/support", "admin"),
  rule("POST /app/settings/support", "admin", { access: "read", duration: "1h" }),
  rule("POST /app/settings/support/:id/end", "admin"),
  rule("POST /app/settings/support/:id/approve", "admin"),
  rule("POST /app/settings/support/:id/decline", "admin"),
  rule("GET /app/settings/api", "admin"),
  rule("POST /app/settings/api", "admin", { name: "", scope: "read", expires: "never" }),
  rule("POST /app/settings/api/:id/revoke", "admin"),
  // The team page: everyone reads it; admins manage invitations and members; only the owner hands over ownership.
  rule("GET /app/settings/team", "viewer"),
  rule("POST /app/settings/team/invitations", "admin", { email: "not-an-email", role: "member" }),
  rule("POST /app/settings/team/invitations/:id/revoke", "admin"),
  rule("POST /app/settings/team/invitations/:id/resend", "admin"),
  rule("POST /app/settings/team/members/:userId/role", "admin", { role: "viewer" }),
  rule("POST /app/settings/team/members/:userId/remove", "admin"),
  rule("POST /app/settings/team/transfer", "owner", { user_id: "nosuchuser", password: "wrong password" }),
  // Workspaces: every member lists their own, switches between them and may create one (its owner).
  rule("GET /app/workspaces", "viewer"),
  rule("GET /app/workspaces/menu", "viewer"),
  rule("POST /app/workspaces", "viewer", { name: "" }),
  rule("POST /app/workspaces/switch", "viewer", { tenant_id: "nosuchtenant" }),
  rule("GET /app/workspaces/open/:tenantId", "viewer"),
  // A new reopen link for a closed workspace: the owner of that workspace only (others get a 404).
  rule("POST /app/workspaces/:tenantId/reopen-link", "viewer"),
  // Billing: only the owner sees the plan and goes to Stripe (checkout answers 303 to Stripe here).
  rule("GET /app/settings/billing", "owner"),
  rule("POST /app/settings/billing/checkout", "owner", { interval: "monthly" }),
  rule("POST /app/settings/billing/portal", "owner"),
  // Closing the workspace: the owner only, with their password (a wrong one changes nothing).
  rule("GET /app/settings/close", "owner"),
  rule("POST /app/settings/close", "owner", { password: "wrong password", confirm_close: "on" }),
  // The privacy-policy change notice: every user dismisses their own.
  rule("POST /app/privacy-notice", "viewer", { version: "2000-01-01" }),
  // Recently viewed: every role records its own views (of records that exist; here none does).
  rule("POST /app/recent", "viewer", { type: "company", id: "999999999" }),
  // Companies: viewers read; members write. Ids that do not exist answer 404 to those allowed.
  ...recordRoutes("/app/companies", { name: "" }, { name: "Renamed" }),
  rule("DELETE /app/companies/:id", "member"),
  ...deleteSteps("/app/companies/:id", "member"),
  rule("GET /app/companies/:id/merge", "member"),
  rule("POST /app/companies/:id/merge", "member", { with: "999999999", kept_version: "1", merged_version: "1" }),
  // Notes: members add them; the author or an admin changes them (the service decides, after the role).
  rule("POST /app/contacts/:id/notes", "member", { body: "A note" }),
  rule("POST /app/companies/:id/notes", "member", { body: "A note" }),
  rule("GET /app/notes/members", "member"),
  rule("GET /app/notes/:id/edit", "member"),
  rule("POST /app/notes/:id", "member", { body: "Edited" }),
  rule("POST /app/notes/:id/delete", "member"),
  rule("DELETE /app/notes/:id", "member"),
  // Tasks: viewers read; members add them and act on their own (the service decides whose, after the role).
  rule("GET /app/tasks", "viewer"),
  rule("GET /app/tasks/badge", "viewer"),
  rule("GET /app/tasks/panel", "viewer"),
  rule("GET /app/tasks/new", "member"),
  rule("POST /app/tasks", "member", { title: "" }),
  rule("POST /app/tasks/bulk", "member", { action: "complete" }),
  rule("GET /app/tasks/:id/edit", "viewer"),
  rule("GET /app/tasks/:id/item", "viewer"),
  rule("POST /app/tasks/:id", "member", { title: "Task", due_date: "2026-12-24" }),
  rule("POST /app/tasks/:id/complete", "member"),
  rule("POST /app/tasks/:id/reopen", "member"),
  rule("POST /app/tasks/:id/delete", "member"),
  // The bell: every role reads and marks its own reminders (another's entry id answers 404).
  // Reports: viewers read them (whose figures is the workspace's report scope), with each as a CSV.
  rule("GET /app/reports", "viewer"),
  ...["outcomes", "owners", "stages", "sources"].map((name) => rule(`GET /app/reports/${name}.csv`, "viewer")),
  // The time-spent beacon (first-party usage): every signed-in role sends its own page's seconds.
  rule("POST /app/usage/beacon", "viewer", { route: "/app", seconds: "5" }),
  rule("GET /app/notifications", "viewer"),
  rule("GET /app/notifications/count", "viewer"),
  rule("POST /app/notifications/read-all", "viewer"),
  rule("POST /app/notifications/:id/open", "viewer"),
  // The trash: all list it, members restore (their own items; the service answers 403 for others'), admins purge.
  rule("GET /app/trash", "viewer"),
  rule("POST /app/trash/:id/restore", "member"),
  rule("GET /app/trash/:id/delete", "admin"),
  rule("POST /app/trash/:id/delete", "admin"),
  // Logged calls, meetings and emails: members log them; the one who logged it or an admin changes them.
  rule("POST /app/contacts/:id/interactions", "member", { kind: "call", outcome: "connected" }),
  rule("POST /app/companies/:id/interactions", "member", { kind: "meeting" }),
  rule("POST /app/deals/:id/interactions", "member", { kind: "email" }),
  rule("GET /app/interactions/:id/edit", "member"),
  rule("POST /app/interactions/:id", "member", { kind: "email" }),
  rule("POST /app/interactions/:id/delete", "member"),
  rule("DELETE /app/interactions/:id", "member"),
  // Workspace settings: tags, custom fields, the default phone region (the name: owners, inside the route).
  rule("GET /app/settings/tags", "admin"),
  rule("POST /app/settings/tags", "admin", { name: "", color: "blue" }),
  rule("POST /app/settings/tags/:id", "admin", { name: "Renamed", color: "red" }),
  ...deleteSteps("/app/settings/tags/:id", "admin"),
  rule("GET /app/settings/fields", "admin"),
  rule("POST /app/settings/fields", "admin", { entity: "company", name: "", kind: "text" }),
  rule("GET /app/settings/fields/:id/edit", "admin"),
  rule("POST /app/settings/fields/:id", "admin", { name: "" }),
  rule("POST /app/settings/fields/:id/move", "admin", { direction: "up" }),
  ...deleteSteps("/app/settings/fields/:id", "admin"),
  rule("GET /app/settings/webhooks", "admin"),
  rule("POST /app/settings/webhooks", "admin", { url: "", events: "contact.created" }),
  rule("GET /app/settings/webhooks/:id", "admin"),
  rule("GET /app/settings/webhooks/:id/edit", "admin"),
  rule("POST /app/settings/webhooks/:id", "admin", { url: "", events: "contact.created" }),
  rule("POST /app/settings/webhooks/:id/secret", "admin"),
  rule("POST /app/settings/webhooks/:id/rotate", "admin"),
  rule("POST /app/settings/webhooks/:id/replay-failed", "admin"),
  rule("POST /app/settings/webhooks/:id/enable", "admin"),
  rule("POST /app/settings/webhooks/:id/disable", "admin"),
  rule("POST /app/settings/webhooks/:id/test", "admin"),
  rule("POST /app/settings/webhooks/deliveries/:id/replay", "admin"),
  ...deleteSteps("/app/settings/webhooks/:id", "admin"),
  // Pipelines, stages and lost reasons: admins and owners (issue 14). Unknown ids answer 404.
  rule("GET /app/settings/pipelines", "admin"),
  ...orderedListRoutes("/app/settings/pipelines"),
  rule("POST /app/settings/pipelines/:id/stages", "admin", { name: "Stage", probability: "10" }),
  ...deleteSteps("/app/settings/pipelines/:id", "admin"),
  rule("POST /app/settings/pipelines/stages/:id", "admin", { name: "Stage", probability: "10" }),
  rule("POST /app/settings/pipelines/stages/:id/move", "admin", { direction: "up" }),
  ...deleteSteps("/app/settings/pipelines/stages/:id", "admin"),
  ...orderedListRoutes("/app/settings/pipelines/lost-reasons"),
  rule("POST /app/settings/pipelines/lost-reasons/:id/delete", "admin"),
  // The deal list: viewers read; members act on a selection.
  rule("GET /app/deals/list", "viewer"),
  rule("GET /app/search?q=a", "viewer"),
  rule("POST /app/deals/list/bulk", "member", { action: "tag", ids: "999999999", tag_id: "999999999" }),
  rule("GET /app/settings/workspace", "admin"),
  rule("POST /app/settings/workspace", "admin", { default_region: "XX" }),
  // Contacts: viewers read; members write. Ids that do not exist answer 404 to those allowed.
  ...recordRoutes("/app/contacts", { first_name: "" }, { first_name: "Renamed" }),
  rule("DELETE /app/contacts/:id", "member"),
  ...deleteSteps("/app/contacts/:id", "member"),
  rule("POST /app/contacts/check-duplicates", "member", { emails: "nobody@example.com" }),
  rule("GET /app/contacts/:id/merge", "member"),
  rule("POST /app/contacts/:id/merge", "member", { with: "999999999", kept_version: "1", merged_version: "1" }),
  rule("GET /app/contacts/company-options", "member"),
  rule("POST /app/contacts/company-options", "member", { name: "Route Test Co" }),
  rule("GET /app/deals/contact-options?q=ada", "member"),
  rule("GET /app/tasks/record-options?q=ada", "member"),
  // Saved views (issue 18): anyone who reads the list keeps private views; a missing view is 404.
  rule("GET /app/contacts/views", "viewer"),
  rule("POST /app/contacts/views", "viewer", { name: "" }),
  rule("POST /app/contacts/views/:id/rename", "viewer", { name: "Renamed" }),
  rule("POST /app/contacts/views/:id/update", "viewer", { query: "sort=updated" }),
  rule("POST /app/contacts/views/:id/delete", "viewer"),
  rule("POST /app/contacts/views/:id/default", "viewer"),
  rule("GET /app/deals/list/views", "viewer"),
  rule("POST /app/deals/list/views", "viewer", { name: "" }),
  rule("POST /app/deals/list/views/:id/rename", "viewer", { name: "Renamed" }),
  rule("POST /app/deals/list/views/:id/update", "viewer", { query: "sort=amount" }),
  rule("POST /app/deals/list/views/:id/delete", "viewer"),
  rule("POST /app/deals/list/views/:id/default", "viewer"),
  rule("POST /app/contacts/bulk", "member", { action: "tag", ids: "999999999", tag_id: "999999999" }),
  rule("GET /app/contacts/bulk-jobs/:id", "member"),
  // Erasing (a privacy request, optionally onto the suppression list): admins and owners.
  rule("GET /app/contacts/:id/erase", "admin"),
  rule("POST /app/contacts/:id/erase", "admin"),
  // Deals: viewers read the board and deals; members create, edit, move, close and delete them.
  ...recordRoutes("/app/deals", { name: "" }, { name: "Renamed" }),
  rule("GET /app/deals/column?stage=999999999", "viewer"),
  rule("POST /app/deals/:id/delete", "member"),
  rule("POST /app/deals/:id/move", "member", { stage_id: "999999999" }),
  rule("POST /app/deals/:id/won", "member"),
  rule("POST /app/deals/:id/lost", "member", { reason_text: "Price" }),
  rule("POST /app/deals/:id/reopen", "member"),
  rule("POST /app/deals/:id/notes", "member", { body: "A note" }),
  // Exports: the whole workspace's data leaves with them, so admins and owners only.
  rule("GET /app/export", "admin"),
  // Every kind of data as CSV and JSON, and contacts as vCards too.
  ...["contacts", "companies", "notes", "deals"].flatMap((data) => [
    rule(`GET /app/export/${data}.csv`, "admin"),
    rule(`GET /app/export/${data}.json`, "admin"),
  ]),
  rule("GET /app/export/contacts.vcf", "admin"),
  // Imports: admins and owners. The samples name a job that does not exist (404 for those allowed).
  rule("GET /app/import", "admin"),
  rule("POST /app/import", "admin", { kind: "contacts", encoding: "auto" }),
  rule("GET /app/import/:id", "admin"),
  ...["mapping", "commit", "undo", "cancel", "retry"].map((step) => rule(`POST /app/import/:id/${step}`, "admin")),
  rule("GET /app/import/:id/errors.csv", "admin"),
  rule("GET /app/import/:id/review.csv", "admin"),
  // Leaving the workspace: every role but the owner (who gets a 409 and must transfer first). Last, since it ends
  // the membership (and a session with no other workspace) that the rows above are tried with.
  rule("POST /app/settings/team/leave", "viewer"),
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
export function urlOf(r: RouteRule): string {
  if (r.sample) return r.sample;
  // An /app path has one parameter at most: the text before and after it.
  const [before = "", after] = r.path.split(/:\w+/);
  if (after === undefined) return r.path;
  return before + (MISSING_TEXT_IDS[before] ?? "999999999") + after;
}

/** Which record each /app path's :id names, as the ids of plans-workspace's workspace() are keyed. */
const RECORD_OF: [RegExp, string | null][] = [
  // The kind is the path's own: /app/contacts/:id → ids.contacts.
  [/^\/app\/(contacts|companies|deals|tasks|notes)\/:id(\/|$)/, null],
  [/^\/app\/interactions\/:id/, "activities"],
  [/^\/app\/settings\/tags\/:id/, "tags"],
  [/^\/app\/settings\/fields\/:id/, "custom_fields"],
  [/^\/app\/settings\/pipelines\/stages\/:id/, "stages"],
  [/^\/app\/settings\/pipelines\/:id/, "pipelines"],
];

/** A form that removes a record, a member (or the user themselves) or the workspace. */
export const REMOVES = /\/(delete|erase|remove|close|leave)$/;

/**
 * Every POST of the table with the URL it is tried at on a workspace's real records (`ids`; urlOf where its
 * record is of no kind there), the removals last so the other forms find their records.
 */
export function postsOnRecords(ids: Record<string, number>): { route: RouteRule; url: string; onRecord: boolean }[] {
  return APP_ROUTES.filter((r) => r.method === "POST")
    .sort((a, b) => Number(REMOVES.test(a.path)) - Number(REMOVES.test(b.path)))
    .map((route) => {
      for (const [pattern, kind] of RECORD_OF) {
        const m = route.path.match(pattern);
        if (m) return { route, url: route.path.replace(":id", String(ids[kind ?? m[1]!])), onRecord: true };
      }
      return { route, url: urlOf(route), onRecord: false };
    });
}
