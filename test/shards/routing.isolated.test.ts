/**
 * Requests follow the directory (docs/scale.md, "Routing"): once a move has put a workspace on a shard, every
 * /app page shows what it showed before the move, and every change lands on the shard and nothing of it on DB.
 * The pages are every GET route of the role table (test/helpers/app-routes.ts), which names every /app route: a
 * page that still read DB would show an empty workspace after the move and fail the comparison.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { APP_ROUTES, urlOf } from "../helpers/app-routes";
import { runCron } from "../helpers/cron";
import { failingDatabase } from "../helpers/faults";
import { GOOD_PASSWORD, send } from "../helpers/http";
import { createContact, post } from "../contacts/contact-helpers";
import { memberOf } from "../helpers/tenants";
import { invitedMember, markVerified } from "../team/team-helpers";
import { database, moveWhole, rowsOf, seededWorkspace } from "./helpers";

const first = async (query: string, tenantId: string) =>
  (await env.DB.prepare(query).bind(tenantId).first<{ id: string | number }>())?.id;

/** The workspace's records a page can be opened for, by the path before the parameter. */
async function idsOf(tenantId: string): Promise<Record<string, string | number | undefined>> {
  const contact = await first("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id", tenantId);
  return {
    "/app/contacts/": contact,
    "/app/companies/": await first("SELECT id FROM companies WHERE tenant_id = ? ORDER BY id", tenantId),
    "/app/deals/": await first("SELECT id FROM deals WHERE tenant_id = ? ORDER BY id", tenantId),
    "/app/tasks/": await first("SELECT id FROM tasks WHERE tenant_id = ? ORDER BY id", tenantId),
    "/app/notes/": await first("SELECT id FROM notes WHERE tenant_id = ? ORDER BY id", tenantId),
    "/app/settings/webhooks/": await first(
      "SELECT id FROM webhook_endpoints WHERE tenant_id = ? ORDER BY id",
      tenantId,
    ),
    "/app/settings/privacy/exports/": await first("SELECT id FROM data_exports WHERE tenant_id = ?", tenantId),
  };
}

/** The GET pages of the role table, at the workspace's own records where the route takes an id. */
function pagesOf(ids: Record<string, string | number | undefined>): string[] {
  return APP_ROUTES.filter((r) => r.method === "GET").map((r) => {
    const [before = "", after] = r.path.split(/:\w+/);
    const id = ids[before];
    return after !== undefined && id !== undefined && !r.sample ? `${before}${id}${after}` : urlOf(r);
  });
}

/** A page's text with what differs between two loads of the same data taken out (nonces, tokens, clocks). */
const normalised = (html: string) =>
  html
    .replace(/nonce="[^"]*"/g, "nonce")
    .replace(/\b\d+ (second|minute)s? ago\b/g, "recently")
    .replace(/[?&]v=[0-9a-z]+/g, "")
    .replace(/"exported_at":"[^"]*"/g, "exported_at");

/** Where two texts part, with some context: "" when they are equal. */
function firstDifference(a: string, b: string): string {
  if (a === b) return "";
  let i = 0;
  while (a[i] === b[i]) i += 1;
  return `…${a.slice(Math.max(0, i - 150), i + 150)}… where before: …${b.slice(Math.max(0, i - 150), i + 150)}…`;
}

async function pageTexts(cookie: string, urls: string[]) {
  const out: Record<string, string> = {};
  for (const url of urls) {
    const res = await send(url, { cookie });
    out[url] = `${res.status} ${res.headers.get("Location") ?? ""}\n${normalised(await res.text())}`;
  }
  return out;
}

describe("requests follow the directory", () => {
  it("shows every page of a moved workspace as before, and writes its changes on its shard only", async () => {
    const w = await seededWorkspace("Routed Co");
    const pages = pagesOf(await idsOf(w.tenantId));
    // Some pages change with every walk (the audit trail records exports read); those are left to their own checks.
    const first = await pageTexts(w.cookie, pages);
    const before = await pageTexts(w.cookie, pages);
    const stable = pages.filter((url) => first[url] === before[url]);
    expect(pages.length - stable.length, pages.filter((url) => !stable.includes(url)).join(", ")).toBeLessThan(4);
    await moveWhole(w.tenantId, "SHARD_1");
    expect(await rowsOf(env.DB, w.tenantId)).toBe(1); // its tenants row, the workspace itself

    const after = await pageTexts(w.cookie, pages);
    for (const url of stable) expect(firstDifference(after[url]!, before[url]!), url).toBe("");
    expect(after["/app/contacts"]).toContain("Person0");

    // Changes: a contact, a note on it, a company; each on the shard, nothing on DB.
    const onShard = await rowsOf(database("SHARD_1"), w.tenantId);
    const id = await createContact(w.cookie, { first_name: "Newcomer", email: "newcomer@routed.example" });
    expect(id).toBeGreaterThan(2 ** 40); // SHARD_1's id range (docs/scale.md, "Ids")
    const noted = await send(`/app/contacts/${id}/notes`, { cookie: w.cookie, form: { body: "Met at the fair" } });
    expect(noted.status).toBe(303);
    expect((await post("/app/companies", w.cookie, { name: "Fairground Ltd" })).status).toBe(303);
    const page = await (await send(`/app/contacts/${id}`, { cookie: w.cookie })).text();
    expect(page).toContain("Newcomer");
    expect(page).toContain("Met at the fair");
    expect(await rowsOf(env.DB, w.tenantId)).toBe(1);
    expect(await rowsOf(database("SHARD_1"), w.tenantId)).toBeGreaterThan(onShard + 3);
  }, 120_000);

  it("writes nothing of a moved workspace on DB through any /app route", async () => {
    const w = await seededWorkspace("Routed Writes");
    await moveWhole(w.tenantId, "SHARD_2");
    const pages = pagesOf(await idsOfOn(database("SHARD_2"), w.tenantId));
    for (const r of APP_ROUTES.filter((r) => r.method !== "GET")) {
      const [before = "", after] = r.path.split(/:\w+/);
      const url = after !== undefined && !r.sample ? urlOf(r) : (r.sample ?? r.path);
      const res = await send(url, { method: r.method, form: r.form ?? {}, cookie: w.cookie });
      expect(res.status, `${r.method} ${url}`).toBeLessThan(500);
      void before;
    }
    for (const url of pages) {
      const res = await send(url, { cookie: w.cookie });
      expect(res.status, url).toBeLessThan(500);
    }
    expect(await rowsOf(env.DB, w.tenantId)).toBe(1);
  }, 180_000);
});

describe("an account's data on request, for a workspace on a shard", () => {
  it("the operator's export has the records of an owned workspace a move put on a shard", async () => {
    const w = await seededWorkspace("Exported Shard");
    await moveWhole(w.tenantId, "SHARD_1");
    const token = "ops-token-for-tests-0123456789abcdef-shards";
    const res = await send("/ops/accounts/export", {
      method: "POST",
      body: JSON.stringify({ email: w.email, operator: "Ana Operator", reason: "Verified request, ticket #4712" }),
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      origin: null,
      env: { OPS_TOKEN: token },
    });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { owned_workspaces: { contacts: { records: unknown[] } }[] };
    expect(data.owned_workspaces[0]!.contacts.records).toHaveLength(5);
    expect(JSON.stringify(data)).toContain("ExportedShard");
  }, 120_000);
});

describe("a reader's zone, for a workspace on a shard", () => {
  it("shows the reader's own overdue tasks on the dashboard of a workspace on a shard", async () => {
    const w = await seededWorkspace("Dashboard Shard");
    await moveWhole(w.tenantId, "SHARD_0");
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await post("/app/tasks", w.cookie, { title: "Overdue on a shard", due_date: lastWeek })).status).toBe(303);
    // With the hint a browser holds after the move, the dashboard reads beside the session check on the shard.
    const cookie = `${w.cookie
      .split("; ")
      .filter((c) => !c.startsWith("__Host-tenant="))
      .join("; ")}; __Host-tenant=${w.tenantId}.SHARD_0`;
    const page = await (await send("/app", { cookie })).text();
    expect(page).toContain("Overdue on a shard");
    expect(page).not.toContain("Nothing overdue");
  }, 120_000);
  it("moves the pending 08:00 reminders of their tasks due on a day there when they change zone", async () => {
    const w = await seededWorkspace("Zoned Shard");
    await moveWhole(w.tenantId, "SHARD_0");
    const due = "2027-01-20";
    expect((await post("/app/tasks", w.cookie, { title: "Day task", due_date: due, remind: "0" })).status).toBe(303);
    const remindAt = () =>
      database("SHARD_0")
        .prepare("SELECT remind_at FROM tasks WHERE tenant_id = ? AND title = 'Day task'")
        .bind(w.tenantId)
        .first<number>("remind_at");
    expect(await remindAt()).toBe(Date.UTC(2027, 0, 20, 8, 0));
    const res = await send("/app/settings/profile/time-zone", { cookie: w.cookie, form: { time_zone: "Asia/Tokyo" } });
    expect(res.status).toBe(303);
    // 08:00 in Tokyo is 23:00 UTC the day before.
    expect(await remindAt()).toBe(Date.UTC(2027, 0, 19, 23, 0));
  }, 120_000);
});

describe("a moved workspace's people and trail", () => {
  it("copies names, roles and departures to the shard as they change on the control database", async () => {
    const w = await seededWorkspace("People Co");
    const member = await memberOf(w.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const task = { title: "Call the landlord", due_date: "2026-12-24", assignee: memberId };
    expect((await send("/app/tasks", { cookie: w.cookie, form: task })).status).toBe(303);
    await moveWhole(w.tenantId, "SHARD_0");
    const shard = database("SHARD_0");
    const copyOf = (id: string) =>
      shard
        .prepare(
          "SELECT u.email, u.name, m.role FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE u.id = ?",
        )
        .bind(id)
        .first();
    expect(await copyOf(memberId)).toEqual({ email: member.email, name: null, role: "member" });

    const named = await send("/app/settings/profile/name", { cookie: member.cookie, form: { name: "Mia Mover" } });
    expect(named.status).toBe(303);
    expect(await copyOf(memberId)).toEqual({ email: member.email, name: "Mia Mover", role: "member" });
    // The records' pages list them (the assignees of a new task, here).
    expect(await (await send("/app/tasks/new", { cookie: w.cookie })).text()).toContain(member.email);

    const demoted = await send(`/app/settings/team/members/${memberId}/role`, {
      cookie: w.cookie,
      form: { role: "viewer" },
    });
    expect(demoted.status).toBe(303);
    expect(await copyOf(memberId)).toMatchObject({ role: "viewer" });

    const removed = await send(`/app/settings/team/members/${memberId}/remove`, { cookie: w.cookie, form: {} });
    expect(removed.status).toBe(303);
    // Gone from the workspace there, and their name and address with it: only the id their records point to.
    expect(await copyOf(memberId)).toEqual({ email: `${memberId}@anchor.invalid`, name: null, role: null });
    // Their task passed to the owner, on the shard where the tasks are.
    expect(await assigneeOn(shard, w.tenantId, task.title)).toBe(await userIdOf(w.email));
  }, 120_000);

  it("copies again, from the cron, the people a change could not copy (its shard was down)", async () => {
    const w = await seededWorkspace("Outage Co");
    await moveWhole(w.tenantId, "SHARD_1");
    const ownerId = await userIdOf(w.email);
    const nameThere = () =>
      database("SHARD_1").prepare("SELECT name FROM users WHERE id = ?").bind(ownerId).first("name");
    const mark = () =>
      env.DB.prepare("SELECT people_stale_since AS since FROM workspace_shards WHERE tenant_id = ?")
        .bind(w.tenantId)
        .first<number | null>("since");
    const named = await send("/app/settings/profile/name", {
      cookie: w.cookie,
      form: { name: "Olive Outage" },
      env: { SHARD_1: failingDatabase() },
    });
    expect(named.status).toBe(303); // the change is done; its copy waits
    expect(await nameThere()).toBeNull();
    const since = await mark();
    expect(since).not.toBeNull();
    // The cron a minute on copies it and clears the mark.
    await runCron(since! + 61_000);
    expect(await nameThere()).toBe("Olive Outage");
    expect(await mark()).toBeNull();
  }, 120_000);

  it("forgets a member who deletes their account on the shard too: their tasks pass to the owner there", async () => {
    const w = await seededWorkspace("Leaver Co");
    await markVerified(w.email);
    // Invited with a new account: a member with no workspace of their own, free to delete their account.
    const member = await invitedMember(w, "member");
    const memberId = member.userId;
    const task = { title: "Chase the invoice", due_date: "2026-12-24", assignee: memberId };
    expect((await send("/app/tasks", { cookie: w.cookie, form: task })).status).toBe(303);
    await moveWhole(w.tenantId, "SHARD_0");
    const shard = database("SHARD_0");
    expect(await shard.prepare("SELECT email FROM users WHERE id = ?").bind(memberId).first("email")).toBe(
      member.email,
    );

    const gone = await send("/app/settings/profile/delete", {
      cookie: member.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
    });
    expect(gone.status).toBe(303);
    expect(await shard.prepare("SELECT 1 AS x FROM users WHERE id = ?").bind(memberId).first()).toBeNull();
    expect(await shard.prepare("SELECT 1 AS x FROM users WHERE email = ?").bind(member.email).first()).toBeNull();
    expect(await assigneeOn(shard, w.tenantId, task.title)).toBe(await userIdOf(w.email));
  }, 120_000);

  it("shows the audit entries written beside the records with those of the control database, and moves them along", async () => {
    const w = await seededWorkspace("Trail Co");
    await moveWhole(w.tenantId, "SHARD_1");
    const [contact] = w.contacts;
    const deleted = await send(`/app/contacts/${contact}/delete`, { cookie: w.cookie, form: {} });
    expect(deleted.status).toBe(303);
    // The entry is written in the deletion's batch, so on the shard; the sign-up's stays on DB.
    const actionsOn = async (name: "SHARD_1" | "SHARD_2") =>
      (
        await database(name)
          .prepare("SELECT action FROM audit_log WHERE tenant_id = ?")
          .bind(w.tenantId)
          .all<{ action: string }>()
      ).results.map((r) => r.action);
    expect(await actionsOn("SHARD_1")).toContain("record.deleted");
    const trail = async () => {
      const html = await (await send("/app/settings/audit", { cookie: w.cookie })).text();
      const page = html.slice(html.indexOf("<tbody"));
      const deletedAt = page.indexOf("Deleted a record");
      expect(deletedAt).toBeGreaterThan(0);
      expect(page.indexOf("Signed up")).toBeGreaterThan(deletedAt);
    };
    await trail();

    // Moved on to another shard: its entries go with it, nothing of them stays behind, the page shows the same.
    await moveWhole(w.tenantId, "SHARD_2");
    expect(await actionsOn("SHARD_2")).toContain("record.deleted");
    expect(await actionsOn("SHARD_1")).toEqual([]);
    await trail();
  }, 120_000);
});

/** Who a task is assigned to on a database. */
const assigneeOn = (db: D1Database, tenantId: string, title: string) =>
  db
    .prepare("SELECT assignee_id FROM tasks WHERE tenant_id = ? AND title = ?")
    .bind(tenantId, title)
    .first("assignee_id");

async function userIdOf(email: string) {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

async function idsOfOn(db: D1Database, tenantId: string) {
  const one = async (table: string) =>
    (await db.prepare(`SELECT id FROM ${table} WHERE tenant_id = ? ORDER BY id`).bind(tenantId).first<{ id: number }>())
      ?.id;
  return {
    "/app/contacts/": await one("contacts"),
    "/app/companies/": await one("companies"),
    "/app/deals/": await one("deals"),
    "/app/tasks/": await one("tasks"),
    "/app/notes/": await one("notes"),
  };
}
