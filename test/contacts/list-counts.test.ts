/**
 * The contacts list's counts and "select all matching" (issue 18): "1–50 of N" from the counter or a
 * bounded count, right on later pages; a bulk action on every match in chunks; refusals that write nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import {
  expectCountersExact,
  insertCompany,
  insertContacts,
  insertTag,
  pagerHref,
  post,
  tenantState,
} from "./contact-helpers";

async function html(path: string, cookie: string) {
  const res = await send(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

describe("the contacts list's counts", () => {
  it("shows the counter unfiltered, an exact count of a filtered list up to 10,000 (a search up to 1,000) and 'over' beyond", async () => {
    const t = await newTenant("Counting Co");
    await insertContacts(t.tenantId, 10_001, { prefix: "Many" });
    await insertContacts(t.tenantId, 3, { prefix: "Few" });
    const everyMany = await insertTag(t.tenantId, "Every many");
    await env.DB.prepare(
      "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ? AND first_name LIKE 'Many%'",
    )
      .bind(everyMany, t.tenantId)
      .run();
    const all = await html("/app/contacts", t.cookie);
    expect(all).toContain("1–50 of 10,004");
    expect(await html("/app/contacts?q=few", t.cookie)).toContain("1–3 of 3");
    const tagged = await html(`/app/contacts?tag=${everyMany}`, t.cookie);
    expect(tagged).toContain("1–50 of over 10,000");
    expect(tagged).not.toContain("10,001");
    // A search counts only to SEARCH_COUNT_BOUND: each keystroke stays cheap.
    const many = await html("/app/contacts?q=many", t.cookie);
    expect(many).toContain("1–50 of over 200");
    const second = await html(pagerHref(many, "next")!, t.cookie);
    expect(second).toContain("51–100 of over 200");
    // Offered, with a note that so many run in the background (test/contacts/bulk-jobs.test.ts).
    expect(many).toContain("Select all over 200 matching contacts");
    expect(many).toContain("erasing reaches at most 5,000");
  });

  it("ignores an offset in the URL that has no cursor, or is not a number", async () => {
    const t = await newTenant("Offset Co");
    await insertContacts(t.tenantId, 60);
    expect(await html("/app/contacts?at=500", t.cookie)).toContain("1–50 of 60");
    const first = await html("/app/contacts", t.cookie);
    const next = pagerHref(first, "next")!.replace(/at=\d+/, "at=x");
    expect(await html(next, t.cookie)).toContain("1–10 of 60");
  });
});

describe("select all matching", () => {
  it("offers every match and tags all of them in chunks, none outside the filter", async () => {
    const t = await newTenant("Select All Co");
    await insertContacts(t.tenantId, 1_201, { prefix: "Match" });
    await insertContacts(t.tenantId, 5, { prefix: "Other" });
    const vip = await insertTag(t.tenantId, "VIP");
    const page = await html("/app/contacts?q=match", t.cookie);
    expect(page).toContain("Select all over 200 matching contacts"); // a search counts up to 200
    expect(page).toContain('name="match_query" value="q=match"');
    const res = await post("/app/contacts/bulk", t.cookie, {
      action: "tag",
      tag_id: String(vip),
      scope: "matching",
      match_query: "q=match",
      ids: "1",
      back: "/app/contacts?q=match",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toContain("notice=tagged&n=1201");
    expect(
      await count("SELECT count(*) AS n FROM contact_tags WHERE tenant_id = ? AND tag_id = ?", t.tenantId, vip),
    ).toBe(1_201);
    const otherTagged = await count(
      `SELECT count(*) AS n FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
       WHERE ct.tenant_id = ? AND c.first_name = 'Other'`,
      t.tenantId,
    );
    expect(otherTagged).toBe(0);
    // Again: nothing left to add, nothing written twice.
    const again = await post("/app/contacts/bulk", t.cookie, {
      action: "tag",
      tag_id: String(vip),
      scope: "matching",
      match_query: "q=match",
    });
    expect(again.headers.get("Location")).toContain("n=0");
  });

  it("asks before deleting every match, then deletes them all and keeps the counters exact", async () => {
    const t = await newTenant("Delete All Co");
    await insertContacts(t.tenantId, 620, { prefix: "Gone" });
    await insertContacts(t.tenantId, 4, { prefix: "Kept" });
    const form = { action: "delete", scope: "matching", match_query: "q=gone", back: "/app/contacts" };
    const ask = await post("/app/contacts/bulk", t.cookie, form);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Move all 620 matching contacts to the trash?");
    expect(await count("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", t.tenantId)).toBe(624);
    const done = await post("/app/contacts/bulk", t.cookie, { ...form, confirm: "1" });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toContain("notice=bulk_deleted&n=620");
    expect(await count("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?", t.tenantId)).toBe(4);
    await expectCountersExact(t.tenantId);
  });

  it("never reaches another workspace: its company, tag or ids match nothing and write nothing", async () => {
    const a = await newTenant("Owner A Co");
    const b = await newTenant("Owner B Co");
    await insertContacts(a.tenantId, 30, { prefix: "Alpha" });
    await insertContacts(b.tenantId, 30, { prefix: "Alpha" });
    const aTag = await insertTag(a.tenantId, "A tag");
    const bTag = await insertTag(b.tenantId, "B tag");
    const aCompany = await insertCompany(a.tenantId, "A Inc");
    await env.DB.prepare("UPDATE contacts SET company_id = ? WHERE tenant_id = ?").bind(aCompany, a.tenantId).run();
    const before = { a: await tenantState(a.tenantId), b: await tenantState(b.tenantId) };
    const cases: [Record<string, string>, string][] = [
      // B filters by A's company: nothing of B's matches, and A's are not B's to see.
      [
        { action: "tag", tag_id: String(bTag), scope: "matching", match_query: `company=${aCompany}` },
        "No contacts match",
      ],
      [{ action: "delete", confirm: "1", scope: "matching", match_query: `company=${aCompany}` }, "No contacts match"],
      // A's tag is not B's: refused before anything is written.
      [
        { action: "tag", tag_id: String(aTag), scope: "matching", match_query: "q=alpha" },
        "Choose a tag from the list",
      ],
      [{ action: "tag", tag_id: String(bTag), scope: "matching", match_query: `tag=${aTag}` }, "No contacts match"],
    ];
    for (const [form, message] of cases) {
      const res = await post("/app/contacts/bulk", b.cookie, form);
      expect(res.status, message).toBe(422);
      expect(await res.text(), message).toContain(message);
    }
    expect({ a: await tenantState(a.tenantId), b: await tenantState(b.tenantId) }).toEqual(before);
  });

  it("refuses garbage and too many matches with a 4xx, and writes nothing", async () => {
    const t = await newTenant("Garbage Co");
    await insertContacts(t.tenantId, 5_001, { prefix: "Huge" });
    const vip = await insertTag(t.tenantId, "VIP");
    const before = await tenantState(t.tenantId);
    const tag = { action: "tag", tag_id: String(vip) };
    const cases: [Record<string, string | string[]>, string][] = [
      [{ ...tag, scope: "everything", match_query: "q=huge" }, "could not be read"],
      [{ ...tag, scope: "matching" }, "filters could not be read"],
      [{ ...tag, scope: "matching", match_query: ["q=a", "q=b"] }, "filters could not be read"],
      [{ ...tag, scope: "matching", match_query: "cf_abc=1" }, "filters could not be read"],
      [{ ...tag, scope: "matching", match_query: `q=${"x".repeat(5_000)}` }, "filters could not be read"],
      [{ action: "erase", confirm: "1", scope: "matching", match_query: "q=huge" }, "More than 5,000 contacts match"],
      [{ action: "erase", confirm: "1", scope: "matching", match_query: "" }, "More than 5,000 contacts match"],
      [{ action: "tag", scope: "matching", match_query: "q=nobody" }, "No contacts match"],
      [{ action: "explode", scope: "matching", match_query: "q=huge" }, "Choose what to do"],
    ];
    for (const [form, message] of cases) {
      const res = await post("/app/contacts/bulk", t.cookie, form);
      expect(res.status, message).toBe(422);
      expect(await res.text(), message).toContain(message);
    }
    expect(await tenantState(t.tenantId)).toEqual(before);
  });
});
