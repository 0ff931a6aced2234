/**
 * The heavy read paths make a fixed number of D1 statements, whatever the number of rows: the company
 * page with 1 or 30 notes and 1 or 60 contacts, the companies list, and the dashboard.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm, insertCompanies, insertContact, insertField, insertTag } from "./helpers";

async function statementsFor(path: string, cookie: string) {
  const counting = countingDb();
  const res = await send(path, { cookie, env: { DB: counting.binding } });
  expect(res.status, path).toBe(200);
  return counting.statements;
}

async function addNotes(cookie: string, id: number, n: number) {
  for (let i = 0; i < n; i++)
    expect((await send(`/app/companies/${id}/notes`, { cookie, form: { body: `note ${i}` } })).status).toBe(303);
}

describe("query counts", () => {
  it("the company page: 1 vs 30 notes and 1 vs 60 contacts cost the same statements", async () => {
    const owner = await newTenant("Counted Co");
    await insertField(owner.tenantId, "company", "Tier");
    const tag = await insertTag(owner.tenantId, "Counted");
    const small = await createCompanyThroughForm(owner.cookie, { name: "Small", tag_ids: String(tag) });
    const big = await createCompanyThroughForm(owner.cookie, { name: "Big", tag_ids: String(tag) });
    await addNotes(owner.cookie, small, 1);
    await addNotes(owner.cookie, big, 30);
    await insertContact(owner.tenantId, "Only", "One", { id: small, name: "Small" });
    for (let i = 0; i < 60; i++) await insertContact(owner.tenantId, `Person${i}`, "Big", { id: big, name: "Big" });

    const few = await statementsFor(`/app/companies/${small}`, owner.cookie);
    const many = await statementsFor(`/app/companies/${big}`, owner.cookie);
    console.info(
      `company page: ${few.length} statements with 1 note and 1 contact, ${many.length} with 30 notes and 60 contacts`,
    );
    expect(many.length).toBe(few.length);
    expect(many).toEqual(few);
    // One batch; the company's logged interactions are its eleventh statement.
    expect(few.length).toBeLessThanOrEqual(11);
    const html = await textOf(`/app/companies/${big}`, { cookie: owner.cookie });
    expect((html.match(/class="timeline-note"/g) ?? []).length).toBe(30);
    expect((html.match(/href="\/app\/contacts\/\d+"/g) ?? []).length).toBe(60);
  });

  it("the companies list: a page of 50 costs the same as a page of 1", async () => {
    const owner = await newTenant("Counted List");
    await insertCompanies(owner.tenantId, ["Lonely"]);
    const one = await statementsFor("/app/companies", owner.cookie);
    await insertCompanies(
      owner.tenantId,
      Array.from({ length: 120 }, (_, i) => `Many ${i}`),
    );
    const tag = await insertTag(owner.tenantId, "Everywhere");
    await env.DB.prepare(
      "INSERT INTO company_tags (tenant_id, company_id, tag_id) SELECT tenant_id, id, ? FROM companies WHERE tenant_id = ?",
    )
      .bind(tag, owner.tenantId)
      .run();
    const fifty = await statementsFor("/app/companies", owner.cookie);
    console.info(`companies list: ${one.length} statements for 1 row, ${fifty.length} for 50 rows with tags`);
    expect(fifty.length).toBe(one.length);
    expect(fifty.filter((s) => /\boffset\b/i.test(s) || /count\(\*\)/i.test(s))).toEqual([]);
  });

  it("the dashboard: the same statements with no records as with many", async () => {
    const owner = await newTenant("Counted Dashboard");
    const empty = await statementsFor("/app", owner.cookie);
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await createCompanyThroughForm(owner.cookie, { name: `Busy ${i}` }));
    for (const id of ids)
      expect(
        (await send("/app/recent", { cookie: owner.cookie, form: { type: "company", id: String(id) } })).status,
      ).toBe(204);
    await addNotes(owner.cookie, ids[0]!, 5);
    const full = await statementsFor("/app", owner.cookie);
    console.info(`dashboard: ${empty.length} statements empty, ${full.length} with 12 companies, 5 notes and 12 views`);
    expect(full.length).toBe(empty.length);
    expect(full.filter((s) => /count\(\*\)/i.test(s) && /from "?(contacts|companies|notes)"?/i.test(s))).toEqual([]);
  });
});
