/**
 * The contacts list and a contact's page check the session in the same D1 batch as their own reads
 * when the browser names its workspace (the __Host-tenant cookie). The reads are used only if the
 * session is valid and its workspace is the one named; everything else gets what a request without
 * the hint gets.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cookieHeader, send, setCookies, statusOf, textOf } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { memberOf, newTenant } from "../helpers/tenants";
import { insertDeal, userIdOf } from "../deals/data-helpers";

const HINT = "__Host-tenant";

async function addContact(tenantId: string, name: string): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    "INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, 'Person', lower('person ' || ?), ?, ?, ?) RETURNING id",
  )
    .bind(tenantId, name, name, now, now, now)
    .first<{ id: number }>();
  return row!.id;
}

/** A signed-in owner whose browser has been given the workspace cookie by a first page. */
async function ownerWithHint(company: string) {
  const owner = await newTenant(company);
  const first = await send("/app", { cookie: owner.cookie });
  expect(setCookies(first).get(HINT)?.value).toBe(owner.tenantId);
  return { ...owner, cookie: cookieHeader(first, owner.cookie) };
}

/** The page answers 200 with every one of `shown`, its session check and reads in one round trip. */
async function expectPageInOneRoundTrip(path: string, cookie: string, shown: string[]) {
  const counting = countingDb();
  const res = await send(path, { cookie, env: { DB: counting.binding } });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  for (const part of shown) expect(html, path).toContain(part);
  expect(counting.roundTrips.count, path).toBe(1);
}

describe("the contacts list with the workspace cookie", () => {
  it("reads the session and the page in one round trip", async () => {
    const a = await ownerWithHint("Batch Co");
    await addContact(a.tenantId, "Ada");
    await expectPageInOneRoundTrip("/app/contacts", a.cookie, ["Ada Person"]);
    // Without the cookie: the session check, then the page.
    const plain = countingDb();
    const again = await send("/app/contacts", {
      cookie: a.cookie.replace(/__Host-tenant=[^;]+;?\s*/, ""),
      env: { DB: plain.binding },
    });
    expect(again.status).toBe(200);
    expect(plain.roundTrips.count).toBe(2);
  });

  it("a cookie naming another workspace shows only the session's own, and is corrected", async () => {
    const a = await ownerWithHint("Mine Co");
    const b = await newTenant("Theirs Co");
    await addContact(a.tenantId, "Mine");
    await addContact(b.tenantId, "Theirs");
    const forged = a.cookie.replace(/__Host-tenant=[^;]+/, `${HINT}=${b.tenantId}`);
    const res = await send("/app/contacts", { cookie: forged });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Mine Person");
    expect(html).not.toContain("Theirs Person");
    expect(setCookies(res).get(HINT)?.value).toBe(a.tenantId);
    // Also with a search and a filter that reads the named workspace's custom fields first.
    const search = await textOf("/app/contacts?q=Theirs&cf_1=x", { cookie: forged });
    expect(search).not.toContain("Theirs Person");
  });

  it("without a valid session it answers like any /app page, and shows nothing", async () => {
    const a = await ownerWithHint("Gone Co");
    await addContact(a.tenantId, "Hidden");
    const wrongSecret = a.cookie.replace(
      /__Host-session=([^.;]+)\.[^;]+/,
      "__Host-session=$1.wrongsecretwrongsecretwrongsecre",
    );
    for (const cookie of [
      wrongSecret,
      `__Host-session=nonsense; ${HINT}=${a.tenantId}`,
      `__Host-session=a.b; ${HINT}=${a.tenantId}`,
    ]) {
      const res = await send("/app/contacts", { cookie });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/login?next=%2Fapp%2Fcontacts");
      expect(await res.text()).not.toContain("Hidden");
      const cleared = setCookies(res);
      expect(cleared.get("__Host-session")?.value ?? "").toBe("");
    }
    const htmx = await send("/app/contacts?q=Hid", { cookie: wrongSecret, headers: { "HX-Request": "true" } });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get("HX-Redirect")).toBe("/login?next=%2Fapp%2Fcontacts%3Fq%3DHid");
  });

  it("a member removed from the workspace, or a session logged out, loses the list at once", async () => {
    const a = await ownerWithHint("Removal Co");
    await addContact(a.tenantId, "Secret");
    const member = await memberOf(a.tenantId, "viewer");
    const first = await send("/app", { cookie: member.cookie });
    const memberCookie = cookieHeader(first, member.cookie);
    expect(memberCookie).toContain(HINT);
    expect((await send("/app/contacts", { cookie: memberCookie })).status).toBe(200);
    await env.DB.prepare(
      "DELETE FROM memberships WHERE tenant_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(a.tenantId, member.email)
      .run();
    const res = await send("/app/contacts", { cookie: memberCookie });
    expect(res.status).toBe(303);
    expect(await res.text()).not.toContain("Secret");

    const out = await send("/logout", { method: "POST", cookie: a.cookie });
    expect(setCookies(out).get(HINT)?.value ?? "").toBe("");
    expect((await send("/app/contacts", { cookie: a.cookie })).status).toBe(303);
  });

  it("a closed workspace shows its closed page", async () => {
    const a = await ownerWithHint("Closed Co");
    await addContact(a.tenantId, "Kept");
    await env.DB.prepare("UPDATE tenants SET closed_at = ?, erase_after = ? WHERE id = ?")
      .bind(Date.now(), Date.now() + 86_400_000, a.tenantId)
      .run();
    const res = await send("/app/contacts", { cookie: a.cookie });
    expect(res.status).toBe(423);
    expect(await res.text()).not.toContain("Kept Person");
  });
});

describe("a contact's page with the workspace cookie", () => {
  it("reads the session, the contact, its tags, fields, values, notes and activity in one round trip", async () => {
    const a = await ownerWithHint("Page Batch Co");
    const id = await addContact(a.tenantId, "Grace");
    const now = Date.now();
    const field = await env.DB.prepare(
      "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'contact', 'Tier', 'tier', 'text', 0, ?) RETURNING id",
    )
      .bind(a.tenantId, now)
      .first<{ id: number }>();
    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Speaker', 'speaker', 'green', ?) RETURNING id",
    )
      .bind(a.tenantId, now)
      .first<{ id: number }>();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, 'Gold')",
      ).bind(a.tenantId, field!.id, id),
      env.DB.prepare("INSERT INTO contact_tags (tenant_id, contact_id, tag_id) VALUES (?, ?, ?)").bind(
        a.tenantId,
        id,
        tag!.id,
      ),
    ]);
    expect(
      await statusOf(`/app/contacts/${id}/notes`, {
        method: "POST",
        cookie: a.cookie,
        form: { body: "Met at the conference" },
      }),
    ).toBeLessThan(400);

    const shown = ["Grace Person", "Speaker", "Tier", "Gold", "Met at the conference", a.email];
    await expectPageInOneRoundTrip(`/app/contacts/${id}`, a.cookie, shown);
    // The same page without the cookie: the session check, then the page.
    const plain = countingDb();
    const again = await send(`/app/contacts/${id}`, {
      cookie: a.cookie.replace(/__Host-tenant=[^;]+;?\s*/, ""),
      env: { DB: plain.binding },
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Met at the conference");
    expect(plain.roundTrips.count).toBe(1 + 1);
  });

  it("another workspace's contact is a 404, with or without a cookie naming that workspace", async () => {
    const a = await ownerWithHint("Own Page Co");
    const b = await newTenant("Other Page Co");
    const theirs = await addContact(b.tenantId, "Theirs");
    const forged = a.cookie.replace(/__Host-tenant=[^;]+/, `${HINT}=${b.tenantId}`);
    for (const cookie of [a.cookie, forged]) {
      const res = await send(`/app/contacts/${theirs}`, { cookie });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("Theirs Person");
    }
  });

  it("without a valid session it is the login redirect, whether or not the contact exists", async () => {
    const a = await ownerWithHint("Page Gone Co");
    const id = await addContact(a.tenantId, "Hidden");
    const wrongSecret = a.cookie.replace(
      /__Host-session=([^.;]+)\.[^;]+/,
      "__Host-session=$1.wrongsecretwrongsecretwrongsecre",
    );
    for (const path of [`/app/contacts/${id}`, "/app/contacts/999999999"]) {
      const res = await send(path, { cookie: wrongSecret });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect(await res.text()).not.toContain("Hidden");
    }
  });
});

describe("a company's page with the workspace cookie", () => {
  async function addCompany(tenantId: string, name: string): Promise<number> {
    const now = Date.now();
    const row = await env.DB.prepare(
      "INSERT INTO companies (tenant_id, name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, lower(?), ?, ?, ?) RETURNING id",
    )
      .bind(tenantId, name, name, now, now, now)
      .first<{ id: number }>();
    return row!.id;
  }

  it("reads the session and the whole page in one round trip, its contacts and notes included", async () => {
    const a = await ownerWithHint("Company Batch Co");
    const id = await addCompany(a.tenantId, "Analytical Engines");
    const contact = await addContact(a.tenantId, "Charles");
    await env.DB.prepare("UPDATE contacts SET company_id = ?, company_name = 'Analytical Engines' WHERE id = ?")
      .bind(id, contact)
      .run();
    expect(
      await statusOf(`/app/companies/${id}/notes`, {
        method: "POST",
        cookie: a.cookie,
        form: { body: "Signed the order" },
      }),
    ).toBeLessThan(400);
    const shown = ["Analytical Engines", "Charles Person", "Signed the order"];
    await expectPageInOneRoundTrip(`/app/companies/${id}`, a.cookie, shown);
  });

  it("another workspace's company is a 404 with a cookie naming that workspace, and no session is the login redirect", async () => {
    const a = await ownerWithHint("Own Company Co");
    const b = await newTenant("Other Company Co");
    const theirs = await addCompany(b.tenantId, "Their Secret Ltd");
    const forged = a.cookie.replace(/__Host-tenant=[^;]+/, `${HINT}=${b.tenantId}`);
    const res = await send(`/app/companies/${theirs}`, { cookie: forged });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Their Secret Ltd");
    const noSession = await send(`/app/companies/${theirs}`, { cookie: `__Host-session=a.b; ${HINT}=${b.tenantId}` });
    expect(noSession.status).toBe(303);
    expect(await noSession.text()).not.toContain("Their Secret Ltd");
  });
});

describe("the deal board and list with the workspace cookie", () => {
  it("read the session and the whole page in one round trip, and 'my deals' still knows who is asking", async () => {
    const a = await ownerWithHint("Board Batch Co");
    const member = await memberOf(a.tenantId, "member");
    const me = await userIdOf(a.email);
    await insertDeal(a.tenantId, { name: "Mine to win", ownerId: me });
    await insertDeal(a.tenantId, { name: "Theirs to win", ownerId: await userIdOf(member.email) });
    await expectPageInOneRoundTrip("/app/deals", a.cookie, ["Mine to win", "Theirs to win"]);
    const mine = await textOf("/app/deals?owner=me", { cookie: a.cookie });
    expect(mine).toContain("Mine to win");
    expect(mine).not.toContain("Theirs to win");
    await expectPageInOneRoundTrip("/app/deals/list", a.cookie, ["Theirs to win"]);
    const myList = await textOf("/app/deals/list?mine=1", { cookie: a.cookie });
    expect(myList).toContain("Mine to win");
    expect(myList).not.toContain("Theirs to win");
    // A forged workspace cookie reads nothing of that workspace: the session's own board answers.
    const other = await ownerWithHint("Other Board Co");
    await insertDeal(other.tenantId, { name: "Not yours" });
    const forged = a.cookie.replace(/__Host-tenant=[^;]+/, `__Host-tenant=${other.tenantId}`);
    const page = await textOf("/app/deals", { cookie: forged });
    expect(page).toContain("Mine to win");
    expect(page).not.toContain("Not yours");
    expect(await textOf("/app/deals/list", { cookie: forged })).not.toContain("Not yours");
  });
});
