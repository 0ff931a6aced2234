/**
 * Exports under attack: members and viewers asking for the data, another tenant's ids in the
 * filters, and forged filter values. Exports take the whole workspace out, so only admins and owners
 * get them, a tenant only ever gets its own records, and bad input is a 400, never a 500.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf } from "../companies/helpers";
import { CONTACT_AND_COMPANY_EXPORTS, download, seededTenant } from "./helpers";

const EXPORTS = [...CONTACT_AND_COMPANY_EXPORTS, "deals.csv", "deals.json"];
const PAGES = ["/app/export", ...EXPORTS.map((f) => `/app/export/${f}`)];

/** Every string of tenant A's that must never appear in anything tenant B receives. */
const A_SECRETS = [
  "Lovelace",
  "ada@example.com",
  "Analytical Engines",
  "engines.example",
  "First call",
  "Board meeting",
  "HYPERLINK",
  "SUM(A1",
  "Tier",
  "Region",
  "VIP",
  "Difference Engine",
];

let a: Awaited<ReturnType<typeof seededTenant>>;
beforeAll(async () => {
  a = await seededTenant("Alpha Exports");
});

describe("who may export", () => {
  it("the app has exactly these export routes, all GET (the route × role table lists each as admin)", () => {
    const routes = new Set(
      app.routes
        .filter((r) => r.path.startsWith("/app/export") && r.method !== "ALL")
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...routes].sort()).toEqual(PAGES.map((p) => `GET ${p}`).sort());
  });

  it("members and viewers get 403 on the page and every download, and nothing of the data; admins and owners get it", async () => {
    const member = await memberOf(a.tenantId, "member");
    const viewer = await memberOf(a.tenantId, "viewer");
    const admin = await memberOf(a.tenantId, "admin");
    for (const path of PAGES) {
      for (const who of [member, viewer]) {
        const res = await send(`${path}?tag=${a.vip}`, { cookie: who.cookie });
        expect(res.status, path).toBe(403);
        expect(res.headers.get("Content-Disposition"), path).toBeNull();
        const body = await res.text();
        for (const secret of ["Lovelace", "ada@example.com", "Board meeting"]) expect(body, path).not.toContain(secret);
      }
      expect((await send(path, { cookie: admin.cookie })).status, path).toBe(200);
    }
    // The refusals are in the audit trail; no export was recorded for them.
    const denied = (await auditOf(a.tenantId, "permission.denied")).filter((e) =>
      String(e.target_label).startsWith("GET /app/export"),
    );
    expect(denied).toHaveLength(PAGES.length * 2);
    const exported = await auditOf(a.tenantId, "data.exported");
    expect(exported.every((e) => e.actor_user_id !== null)).toBe(true);
    expect(exported).toHaveLength(EXPORTS.length);
  });

  it("the lists show the Export link only to those who may use it", async () => {
    const member = await memberOf(a.tenantId, "member");
    for (const path of ["/app/contacts", "/app/companies"]) {
      expect(await textOf(path, { cookie: member.cookie }), path).not.toContain("/app/export");
      expect(await textOf(path, { cookie: a.cookie }), path).toContain("/app/export?list=");
    }
    expect(await textOf("/app/settings/profile", { cookie: member.cookie })).not.toContain('href="/app/export"');
  });

  it("signed-out visitors are sent to log in", async () => {
    for (const path of PAGES) {
      const res = await send(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toMatch(/^\/login\?next=/);
    }
  });
});

describe("across tenants", () => {
  it("tenant B's exports never hold tenant A's records, even with A's ids in every filter", async () => {
    const b = await seededTenant("Beta Exports");
    const aFilters = [
      "",
      `?tag=${a.vip}`,
      `?company=${a.company}`,
      `?owner=${a.ownerId}`,
      "?q=lovelace",
      "?q=ada",
      `?tag=${a.customer}&company=${a.company}`,
    ];
    for (const file of EXPORTS) {
      for (const filter of aFilters) {
        const res = await send(`/app/export/${file}${filter}`, { cookie: b.cookie });
        const body = await res.text();
        expect(res.status, `${file}${filter}`).toBe(200);
        // B's own export holds B's records (made by the same seeding), and none of A's ids or owner.
        expect(body, `${file}${filter}`).not.toContain(a.email);
        if (file.endsWith(".json")) {
          const ids = JSON.parse(body).records.map((r: { id: number }) => r.id);
          for (const id of [a.ada, a.tricky])
            if (file.startsWith("contacts")) expect(ids, `${file}${filter}`).not.toContain(id);
          if (file.startsWith("companies")) expect(ids, `${file}${filter}`).not.toContain(a.company);
          if (file.startsWith("deals")) expect(ids, `${file}${filter}`).not.toContain(a.deal);
        }
      }
    }
    // A's own custom field named in B's export is refused: B has no such field.
    const res = await send(`/app/export/contacts.csv?cf_${a.tier}=gold`, { cookie: b.cookie });
    expect(res.status).toBe(400);
    // The everything-export of B: B's data only, and every one of B's records.
    const all = JSON.parse((await download("/app/export/contacts.json", b.cookie)).text);
    expect(all.records.map((r: { id: number }) => r.id).sort()).toEqual([b.ada, b.tricky].sort());
    expect(all.records.every((r: { owner: string | null }) => r.owner === null || r.owner === b.email)).toBe(true);
  });

  it("a tenant with no records gets empty files, whatever ids of another tenant it names", async () => {
    const empty = await newTenant("Empty Exports");
    for (const file of EXPORTS) {
      for (const filter of ["", `?tag=${a.vip}`, `?company=${a.company}`, "?q=lovelace"]) {
        const body = (await download(`/app/export/${file}${filter}`, empty.cookie)).text;
        for (const secret of A_SECRETS) expect(body, `${file}${filter}`).not.toContain(secret);
        if (file.endsWith(".json")) expect(JSON.parse(body).records, `${file}${filter}`).toEqual([]);
        if (file.endsWith(".csv")) expect(body.split("\r\n").filter(Boolean), `${file}${filter}`).toHaveLength(1);
        if (file.endsWith(".vcf")) expect(body, `${file}${filter}`).toBe("");
      }
    }
  });
});

describe("forged filters", () => {
  it("values that cannot be read are a 400 with nothing exported; odd but readable values are harmless; never a 500", async () => {
    const refused = [
      "tag=abc",
      "tag=-1",
      "tag=0",
      "tag=1.5",
      "tag=99999999999999999999",
      "company=1%20OR%201=1",
      "company=' OR '1'='1",
      `owner=${"x".repeat(101)}`,
      "cf_abc=1",
      "cf_=1",
      "cf_1e3=1",
      "cf_99999999=1",
      "cf_1;DROP TABLE contacts=1",
    ];
    for (const query of refused) {
      const res = await send(`/app/export/contacts.csv?${query}`, { cookie: a.cookie });
      expect(res.status, query).toBe(400);
      expect(res.headers.get("Content-Disposition"), query).toBeNull();
      expect(await res.text(), query).not.toContain("Lovelace");
    }
    expect((await send("/app/export/companies.json?tag=abc", { cookie: a.cookie })).status).toBe(400);

    const harmless = [
      'q="lovelace" OR tenant : "x"',
      "q=*",
      "q=NEAR(a b)",
      `q=${"a".repeat(5000)}`,
      "q=%00%01",
      `owner=' OR 1=1 --`,
      `cf_${a.renewal}=2027-02-30`,
      `cf_${a.score}=1e999`,
      `cf_${a.tier}=${"z".repeat(3000)}`,
      "sort=drop&dir=sideways&cursor=!!!",
      "q=lovelace&q=other&tag=&company=",
    ];
    for (const query of harmless) {
      for (const file of ["contacts.csv", "contacts.json", "contacts.vcf", "companies.csv", "notes.csv"]) {
        const res = await send(`/app/export/${file}?${query}`, { cookie: a.cookie });
        expect(res.status, `${file}?${query}`).toBe(200);
        await res.arrayBuffer();
      }
    }
    // The export page itself shows what it could not read instead of failing.
    const page = await send("/app/export?list=contacts&tag=abc&cf_x=1", { cookie: a.cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("could not be read (tag, cf_x)");
  });

  it("another tenant's tag in a search term cannot widen a search beyond the tenant", async () => {
    const b = await newTenant("Search Escape");
    // A search is quoted prefix terms ANDed with the tenant's own token, whatever is typed.
    for (const q of [`tenant : "${a.tenantId}"`, `${a.tenantId}`, `") OR ("lovelace`, "lovelace OR ada"]) {
      const body = (await download(`/app/export/contacts.json?q=${encodeURIComponent(q)}`, b.cookie)).text;
      expect(JSON.parse(body).records, q).toEqual([]);
    }
  });
});
