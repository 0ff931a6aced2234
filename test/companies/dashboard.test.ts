/** The dashboard: counts from tenant_counters, recent activity, and recently viewed records via POST /app/recent. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { counters, createCompanyThroughForm, insertCompanies, insertContact } from "./helpers";

const dashboard = async (cookie: string) => {
  const res = await send("/app", { cookie });
  expect(res.status).toBe(200);
  return res.text();
};
const count = (html: string, name: string) => html.match(new RegExp(`data-count="${name}">([\\d,]+)<`))?.[1];
const recentNames = (html: string) => {
  const section = html.slice(html.indexOf('id="recent-heading"'), html.indexOf('id="activity-heading"'));
  return [...section.matchAll(/<a href="\/app\/(?:companies|contacts)\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
};
const view = (cookie: string, type: string, id: number | string) =>
  send("/app/recent", { cookie, form: { type, id: String(id) } });

describe("dashboard counts", () => {
  it("are exact after creates and deletes, and come from the counters table", async () => {
    const owner = await newTenant("Counting Co");
    const ids = [];
    for (const name of ["One", "Two", "Three"]) ids.push(await createCompanyThroughForm(owner.cookie, { name }));
    for (const body of ["a", "b"])
      expect((await send(`/app/companies/${ids[0]}/notes`, { cookie: owner.cookie, form: { body } })).status).toBe(303);
    expect((await send(`/app/companies/${ids[1]}/notes`, { cookie: owner.cookie, form: { body: "c" } })).status).toBe(
      303,
    );
    let html = await dashboard(owner.cookie);
    expect([count(html, "contacts"), count(html, "companies"), count(html, "notes")]).toEqual(["0", "3", "3"]);

    expect((await send(`/app/companies/${ids[0]}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const noteId = (await env.DB.prepare("SELECT id FROM notes WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ id: number }>())!.id;
    expect((await send(`/app/notes/${noteId}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    html = await dashboard(owner.cookie);
    expect([count(html, "companies"), count(html, "notes")]).toEqual(["2", "0"]);
    expect(await counters(owner.tenantId)).toMatchObject({ companies: 2, notes: 0 });

    // The page shows the counters table, not a count of rows (which would cost a scan at 100k records).
    await env.DB.prepare("UPDATE tenant_counters SET contacts = 123456 WHERE tenant_id = ?").bind(owner.tenantId).run();
    expect(count(await dashboard(owner.cookie), "contacts")).toBe("123,456");
  });

  it("shows recent activity with links to the records, and quick links to members only", async () => {
    const owner = await newTenant("Activity Co");
    const viewer = await memberOf(owner.tenantId, "viewer");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Busy Ltd" });
    await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body: "hello" } });
    const contact = await insertContact(owner.tenantId, "Grace", "Hopper");
    await env.DB.prepare(
      "INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, created_at) VALUES (?, 'contact', ?, NULL, 'created', ?)",
    )
      .bind(owner.tenantId, contact, Date.now())
      .run();
    const html = await dashboard(owner.cookie);
    const activity = html.slice(html.indexOf('id="activity-heading"'));
    expect(activity).toContain(
      `${owner.email} added a note to <span class="muted">company</span> <a href="/app/companies/${id}">Busy Ltd</a>`,
    );
    expect(activity).toContain(
      `former member created <span class="muted">contact</span> <a href="/app/contacts/${contact}">Grace Hopper</a>`,
    );
    expect(html).toContain('href="/app/companies/new"');
    expect(html).toContain('href="/app/contacts/new"');
    expect(await dashboard(viewer.cookie)).not.toContain('href="/app/companies/new"');
  });
});

describe("recently viewed", () => {
  it("records views by POST, newest first, skipping records deleted since", async () => {
    const owner = await newTenant("Viewed Co");
    const a = await createCompanyThroughForm(owner.cookie, { name: "Company A" });
    const b = await createCompanyThroughForm(owner.cookie, { name: "Company B" });
    const contact = await insertContact(owner.tenantId, "Ada", "Lovelace");
    expect(recentNames(await dashboard(owner.cookie))).toEqual([]);
    for (const [type, id] of [
      ["company", a],
      ["contact", contact],
      ["company", b],
    ] as const) {
      const res = await view(owner.cookie, type, id);
      expect(res.status).toBe(204);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(recentNames(await dashboard(owner.cookie))).toEqual(["Company B", "Ada Lovelace", "Company A"]);
    await view(owner.cookie, "company", a);
    expect(recentNames(await dashboard(owner.cookie))).toEqual(["Company A", "Company B", "Ada Lovelace"]);
    // Another user's views are their own.
    const member = await memberOf(owner.tenantId, "member");
    expect(recentNames(await dashboard(member.cookie))).toEqual([]);
    // A record deleted since simply drops out (a contact deleted by any path).
    await env.DB.prepare("DELETE FROM contacts WHERE id = ?").bind(contact).run();
    expect(recentNames(await dashboard(owner.cookie))).toEqual(["Company A", "Company B"]);

    // A contact with only an email address is named by it, as everywhere else (not an empty link).
    const emailOnly = await insertContact(owner.tenantId, "", "");
    await env.DB.prepare("UPDATE contacts SET primary_email = 'only@example.com' WHERE id = ?").bind(emailOnly).run();
    await view(owner.cookie, "contact", emailOnly);
    expect(recentNames(await dashboard(owner.cookie))[0]).toBe("only@example.com");
  });

  it("answers 404 to another tenant's record, unknown types and ids, and stores nothing", async () => {
    const a = await newTenant("Viewed A");
    const b = await newTenant("Viewed B");
    const theirs = await createCompanyThroughForm(a.cookie, { name: "Theirs" });
    const contact = await insertContact(a.tenantId, "Their", "Contact");
    for (const [type, id] of [
      ["company", String(theirs)],
      ["contact", String(contact)],
      ["contact", String(theirs)],
      ["deal", "1"],
      ["company", "abc"],
      ["company", ""],
      ["company", "-1"],
    ]) {
      expect((await view(b.cookie, type!, id!)).status, `${type} ${id}`).toBe(404);
    }
    expect((await send("/app/recent", { cookie: b.cookie, form: {} })).status).toBe(404);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM recent_views WHERE tenant_id IN (?, ?)")
        .bind(a.tenantId, b.tenantId)
        .first("n"),
    ).toBe(0);
  });

  it("keeps the newest 50 views per user and shows 10", async () => {
    const owner = await newTenant("Many Views");
    await insertCompanies(
      owner.tenantId,
      Array.from({ length: 60 }, (_, i) => `Viewed ${String(i).padStart(2, "0")}`),
    );
    const ids = (
      await env.DB.prepare("SELECT id FROM companies WHERE tenant_id = ? ORDER BY name_sort")
        .bind(owner.tenantId)
        .all<{ id: number }>()
    ).results.map((r) => r.id);
    // Views with known times, oldest first, as if made over the last hour.
    const now = Date.now();
    await env.DB.batch(
      ids
        .slice(0, 55)
        .map((id, i) =>
          env.DB.prepare(
            "INSERT INTO recent_views (tenant_id, user_id, subject_type, subject_id, viewed_at) SELECT ?, user_id, 'company', ?, ? FROM memberships WHERE tenant_id = ?",
          ).bind(owner.tenantId, id, now - 3_600_000 + i * 1000, owner.tenantId),
        ),
    );
    expect((await view(owner.cookie, "company", ids[59]!)).status).toBe(204);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM recent_views WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .first("n"),
    ).toBe(50);
    const names = recentNames(await dashboard(owner.cookie));
    expect(names).toEqual(["Viewed 59", ...Array.from({ length: 9 }, (_, i) => `Viewed ${54 - i}`)]);
  });
});
