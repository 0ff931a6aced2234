/**
 * The support view, tried as staff and as the workspace: nothing without a live grant, nothing written
 * under a read-only one, every page in the workspace's trail, and an end that takes effect at once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { supportViewAllows } from "../../src/services/support-access/support-view";
import { runCron } from "../helpers/cron";
import { send } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { isAppPath, registeredRoutes } from "../helpers/route-table";
import { memberOf, newTenant } from "../helpers/tenants";
import { createContact } from "../contacts/contact-helpers";
import { giveAccess, newStaff } from "./helpers";

/** Every registered /app route as a URL under the support view (parameters filled with a record's id). */
function supportUrls(tenantId: string, id: number) {
  return registeredRoutes(isAppPath).map((route) => {
    const [method, path] = route.split(" ") as [string, string];
    return { method, path, url: `/staff/support/${tenantId}${path.replace(/:\w+/g, String(id))}` };
  });
}

async function contactCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return row!.n;
}

describe("the support view", () => {
  it("answers 403 on every route into a workspace without a grant", async () => {
    const owner = await newTenant("No Grant Ltd");
    const id = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const staff = await newStaff("support");
    for (const r of supportUrls(owner.tenantId, id)) {
      const res = await send(r.url, {
        method: r.method,
        cookie: staff.cookie,
        form: r.method === "GET" ? undefined : {},
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    expect(await contactCount(owner.tenantId)).toBe(1);
  });

  it("with a read-only grant shows pages, refuses every write, and writes each view to the workspace's trail", async () => {
    const owner = await newTenant("Read Only Ltd");
    const id = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const grantId = await giveAccess(owner.cookie, "read", "1h", "T-42");
    const started = (await mailTo(owner.email)).filter((m) => m.kind === "support_access_started");
    expect(started).toHaveLength(1);
    const staff = await newStaff("support", "Alex");

    const page = await send(`/staff/support/${owner.tenantId}/app/contacts/${id}`, { cookie: staff.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ada Lovelace");
    expect(html).toContain("Support view");
    // Links stay in the support view; none leads back into the customer app.
    expect(html).toContain(`href="/staff/support/${owner.tenantId}/app/contacts"`);
    expect(html).not.toMatch(/(href|action|hx-get|hx-post)="\/app[/"?]/);
    // Staff time is not the workspace's usage: the page gives the time-spent script no route to report.
    expect(html).not.toContain('id="ct-route"');

    const before = await contactCount(owner.tenantId);
    const writes = supportUrls(owner.tenantId, id).filter((r) => r.method !== "GET" && supportViewAllows(r.path));
    expect(writes.length).toBeGreaterThan(20);
    for (const r of writes) {
      const res = await send(r.url, { method: r.method, cookie: staff.cookie, form: { first_name: "Changed" } });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    expect(await contactCount(owner.tenantId)).toBe(before);
    const name = await env.DB.prepare("SELECT first_name FROM contacts WHERE id = ?")
      .bind(id)
      .first<{ first_name: string }>();
    expect(name!.first_name).toBe("Ada");

    // The refused writes above (one per write route) fill the trail's first page; the views are found by action.
    const audit = await (await send("/app/settings/audit?action=support.viewed", { cookie: owner.cookie })).text();
    expect(audit).toContain("Support · Alex (CustomerTrackr)");
    // A contact by its id only: the trail is append-only, and the workspace may have to erase the person.
    expect(audit).toContain(`contact #${id}`);
    expect(audit).not.toContain("Lovelace");
    const settings = await (await send("/app/settings/support", { cookie: owner.cookie })).text();
    expect(settings).toContain(`Alex viewed contact #${id}`);
    expect(settings).toContain(`grant-${grantId}`);
  });

  it("does not let an encoded backslash or dot segments walk from an allowed page to one it refuses", async () => {
    const owner = await newTenant("Walking Ltd");
    const member = await memberOf(owner.tenantId, "member");
    await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support");
    const base = `/staff/support/${owner.tenantId}`;
    expect((await send(`${base}/app/settings/team`, { cookie: staff.cookie })).status).toBe(403);
    for (const path of [
      "/app/contacts/..%5csettings%5cteam",
      "/app/contacts/%2e%2e/settings/team",
      "/app/contacts/..%2fsettings%2fteam",
      "/app/contacts%5c..%5c..%5capp%5csettings%5cteam",
      "/app/contacts/%2e%2e%5ctrash",
    ]) {
      const res = await send(`${base}${path}`, { cookie: staff.cookie });
      // Refused, or left encoded all the way and so no page of the app.
      expect([403, 404], path).toContain(res.status);
      expect(await res.text(), path).not.toContain(member.email);
    }
  });

  it("closes at once when the owner ends the grant, and when it runs out (the owner told once)", async () => {
    const owner = await newTenant("Ending Ltd");
    const staff = await newStaff("support");
    const grantId = await giveAccess(owner.cookie, "read");
    const url = `/staff/support/${owner.tenantId}/app/contacts`;
    expect((await send(url, { cookie: staff.cookie })).status).toBe(200);
    expect((await send(`/app/settings/support/${grantId}/end`, { cookie: owner.cookie, form: {} })).status).toBe(200);
    expect((await send(url, { cookie: staff.cookie })).status).toBe(403);
    expect((await mailTo(owner.email)).filter((m) => m.kind === "support_access_ended")).toHaveLength(1);

    const second = await giveAccess(owner.cookie, "read", "24h");
    expect((await send(url, { cookie: staff.cookie })).status).toBe(200);
    await env.DB.prepare("UPDATE support_grants SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, second)
      .run();
    expect((await send(url, { cookie: staff.cookie })).status).toBe(403);
    // APP_URL: the cron has no request to take the notice's link from, and without it sends none.
    await runCron(Date.now(), { APP_URL: "https://crm.example.test" });
    await runCron(Date.now(), { APP_URL: "https://crm.example.test" });
    expect((await mailTo(owner.email)).filter((m) => m.kind === "support_access_ended")).toHaveLength(2);
  });

  it("with a read-and-write grant changes records as support, and never opens the workspace's settings", async () => {
    const owner = await newTenant("Write Ltd");
    const id = await createContact(owner.cookie, { first_name: "Grace", last_name: "Hopper" });
    await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support", "Robin");
    const edit = await send(`/staff/support/${owner.tenantId}/app/contacts/${id}`, {
      cookie: staff.cookie,
      form: { first_name: "Grace", last_name: "Brewster Hopper" },
    });
    expect(edit.status).toBe(303);
    expect(edit.headers.get("Location")).toBe(`/staff/support/${owner.tenantId}/app/contacts/${id}`);
    const row = await env.DB.prepare("SELECT last_name FROM contacts WHERE id = ?")
      .bind(id)
      .first<{ last_name: string }>();
    expect(row!.last_name).toBe("Brewster Hopper");
    // A contact support adds has no owner (support is no member) until a member takes it.
    const added = await send(`/staff/support/${owner.tenantId}/app/contacts`, {
      cookie: staff.cookie,
      form: { first_name: "Added", last_name: "BySupport" },
    });
    expect(added.status).toBe(303);
    const addedRow = await env.DB.prepare("SELECT owner_id FROM contacts WHERE tenant_id = ? AND first_name = 'Added'")
      .bind(owner.tenantId)
      .first<{ owner_id: string | null }>();
    expect(addedRow).toEqual({ owner_id: null });
    for (const path of [
      "/app/settings/team",
      "/app/settings/support",
      "/app/export",
      "/app/settings/billing",
      "/app/workspaces",
    ]) {
      expect((await send(`/staff/support/${owner.tenantId}${path}`, { cookie: staff.cookie })).status, path).toBe(403);
    }
    const audit = await (await send("/app/settings/audit", { cookie: owner.cookie })).text();
    expect(audit).toContain("Support · Robin (CustomerTrackr)");
    expect(audit).toContain("Support changed");
    // The record's own timeline says who changed it: support, not a "former member".
    const record = await (await send(`/app/contacts/${id}`, { cookie: owner.cookie })).text();
    expect(record).toContain("Support · Robin (CustomerTrackr)");
  });

  it("is not opened by a billing staff member, nor by a grant of another workspace", async () => {
    const owner = await newTenant("Billing Ltd");
    const other = await newTenant("Other Ltd");
    await giveAccess(other.cookie, "write");
    const billing = await newStaff("billing");
    const support = await newStaff("support");
    await giveAccess(owner.cookie, "read");
    expect((await send(`/staff/support/${owner.tenantId}/app`, { cookie: billing.cookie })).status).toBe(403);
    // Billing staff see the plan's metadata in the directory; support staff see the plan, not Stripe's references.
    const forBilling = await (await send(`/staff/workspaces/${owner.tenantId}`, { cookie: billing.cookie })).text();
    expect(forBilling).toContain("Stripe customer");
    expect(forBilling).not.toContain("Open the support view");
    const forSupport = await (await send(`/staff/workspaces/${owner.tenantId}`, { cookie: support.cookie })).text();
    expect(forSupport).not.toContain("Stripe customer");
    const [withGrant, withoutGrant] = [owner.tenantId, (await newTenant("Third Ltd")).tenantId];
    expect((await send(`/staff/support/${withGrant}/app`, { cookie: support.cookie })).status).toBe(200);
    expect((await send(`/staff/support/${withoutGrant}/app`, { cookie: support.cookie })).status).toBe(403);
  });

  it("lets only the workspace's admins and owner give or end access", async () => {
    const owner = await newTenant("Roles Ltd");
    const member = await memberOf(owner.tenantId, "member");
    expect((await send("/app/settings/support", { cookie: member.cookie })).status).toBe(403);
    expect(
      (await send("/app/settings/support", { cookie: member.cookie, form: { access: "write", duration: "7d" } }))
        .status,
    ).toBe(403);
    const bad = await send("/app/settings/support", {
      cookie: owner.cookie,
      form: { access: "all", duration: "forever" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose 1 hour, 24 hours or 7 days.");
    const other = await newTenant("Someone Else Ltd");
    const theirs = await giveAccess(other.cookie, "read");
    expect((await send(`/app/settings/support/${theirs}/end`, { cookie: owner.cookie, form: {} })).status).toBe(404);
    const still = await env.DB.prepare("SELECT ended_at FROM support_grants WHERE id = ?")
      .bind(theirs)
      .first<{ ended_at: number | null }>();
    expect(still!.ended_at).toBeNull();
  });

  it("answers a garbage or cut-off body sent through the support view with a 4xx, and writes nothing", async () => {
    const owner = await newTenant("Garbage Ltd");
    const id = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
    await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support");
    const url = `/staff/support/${owner.tenantId}/app/contacts/${id}`;
    const bodies: { body: string; headers: Record<string, string> }[] = [
      { body: "garbage", headers: { "Content-Type": "multipart/form-data" } },
      { body: '{"first_name":"X"}', headers: { "Content-Type": "application/json" } },
      // Cut off inside a part: no closing boundary.
      {
        body: '--x\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nChan',
        headers: { "Content-Type": "multipart/form-data; boundary=x" },
      },
    ];
    for (const b of bodies) {
      const res = await send(url, { method: "POST", cookie: staff.cookie, ...b });
      expect(res.status, b.headers["Content-Type"]).toBeGreaterThanOrEqual(400);
      expect(res.status, b.headers["Content-Type"]).toBeLessThan(500);
    }
    const row = await env.DB.prepare("SELECT first_name FROM contacts WHERE id = ?")
      .bind(id)
      .first<{ first_name: string }>();
    expect(row!.first_name).toBe("Ada");
  });
});
