/**
 * Merging a duplicate company into another (Merge… on a company's page): the review first, then one batch that
 * moves the other's contacts, deals, notes, tasks and tags to the kept company and deletes it; another workspace's
 * company, the company itself, garbage and a stale review change nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COMPANY_MERGE_PLAN } from "../../src/services/companies/merge";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { textOfHtml as textOf } from "../interactions/helpers";
import { createDeal, firstStageId } from "../deals/helpers";
import { addTask } from "../tasks/helpers";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "../api/helpers";
import { createContact, newTenant, post } from "../contacts/contact-helpers";
import { auditOf, counters, createCompanyThroughForm, crmSnapshot, insertTag } from "./helpers";

async function companyField(tenantId: string, name: string): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'company', ?, ?, 'text', 0, ?) RETURNING id",
  )
    .bind(tenantId, name, name.toLowerCase(), Date.now())
    .first<{ id: number }>();
  return row!.id;
}

/** The review's form values for merging `other` into `kept` (their versions as the review shows them). */
async function reviewed(cookie: string, kept: number, other: number) {
  const res = await send(`/app/companies/${kept}/merge?with=${other}`, { cookie });
  const html = await res.text();
  const value = (name: string) => html.match(new RegExp(`name="${name}" value="(\\d+)"`))?.[1] ?? "";
  return {
    res,
    html,
    form: { with: String(other), kept_version: value("kept_version"), merged_version: value("merged_version") },
  };
}

async function twoAcmes() {
  const owner = await newTenant("Company Merge Co");
  const vip = await insertTag(owner.tenantId, "VIP");
  const lead = await insertTag(owner.tenantId, "Lead");
  const tier = await companyField(owner.tenantId, "Tier");
  const region = await companyField(owner.tenantId, "Region");
  const kept = await createCompanyThroughForm(owner.cookie, {
    name: "Acme",
    domain: "acme.example",
    tag_ids: String(vip),
    [`cf_${tier}`]: "Gold",
  });
  const other = await createCompanyThroughForm(owner.cookie, {
    name: "ACME",
    industry: "Rockets",
    tag_ids: String(lead),
    [`cf_${tier}`]: "Silver",
    [`cf_${region}`]: "West",
  });
  return { owner, kept, other, vip, lead, tier, region };
}

describe("merging a duplicate company", () => {
  it("moves contacts, deals, notes, tasks and tags to the kept company, fills what it lacked, deletes the other", async () => {
    const { owner, kept, other, vip, lead, tier, region } = await twoAcmes();
    await addEndpoint(owner.cookie, receiverUrl("company-merge"), ["company.updated", "company.deleted"]);
    const wile = await createContact(owner.cookie, {
      first_name: "Wile",
      last_name: "Coyote",
      company_id: String(other),
    });
    expect((await post(`/app/companies/${other}/notes`, owner.cookie, { body: "Ships anvils" })).status).toBe(303);
    await addTask(owner.cookie, { title: "Call about the anvils", record: `company:${other}` });
    const deal = await createDeal(owner.cookie, {
      name: "Anvils",
      stage_id: String(await firstStageId(owner.tenantId)),
      company_id: String(other),
    });
    const sister = await createCompanyThroughForm(owner.cookie, {
      name: "Acme Rockets",
      domain: "acme.example",
      confirm_duplicate: "1",
    });
    expect((await counters(owner.tenantId)).companies).toBe(3);

    // The same name (any case) and the same domain are offered; the review shows both and what the kept one becomes.
    const find = await send(`/app/companies/${kept}/merge`, { cookie: owner.cookie });
    expect(find.status).toBe(200);
    const offered = await find.text();
    expect(offered).toContain(`href="/app/companies/${kept}/merge?with=${other}"`);
    expect(textOf(offered)).toContain("ACME · same name");
    expect(textOf(offered)).toContain("Acme Rockets · same domain, acme.example");
    expect(offered).toContain(`href="/app/companies/${kept}/merge?with=${sister}"`);
    const review = await reviewed(owner.cookie, kept, other);
    expect(review.res.status).toBe(200);
    expect(textOf(review.html)).toContain("Merge ACME into Acme?");
    expect(textOf(review.html)).toContain("Rockets");

    const merged = await post(`/app/companies/${kept}/merge`, owner.cookie, review.form);
    expect(merged.status).toBe(303);
    expect(merged.headers.get("Location")).toBe(`/app/companies/${kept}`);
    expect((await send(`/app/companies/${other}`, { cookie: owner.cookie })).status).toBe(404);

    const one = async (sql: string, ...args: unknown[]) => (await queryRows(sql, owner.tenantId, ...args))[0];
    expect(await one("SELECT company_id, company_name FROM contacts WHERE tenant_id = ? AND id = ?", wile)).toEqual({
      company_id: kept,
      company_name: "Acme",
    });
    expect(await one("SELECT company_id FROM deals WHERE tenant_id = ? AND id = ?", deal)).toEqual({
      company_id: kept,
    });
    // Both count as changed: a sync by updated_since reads them again.
    const version = await one("SELECT updated_at FROM companies WHERE tenant_id = ? AND id = ?", kept);
    expect(await one("SELECT updated_at FROM contacts WHERE tenant_id = ? AND id = ?", wile)).toEqual(version);
    expect(await one("SELECT updated_at FROM deals WHERE tenant_id = ? AND id = ?", deal)).toEqual(version);
    expect(
      await queryRows(
        "SELECT subject_id FROM notes WHERE tenant_id = ? AND body = 'Ships anvils' UNION ALL SELECT subject_id FROM tasks WHERE tenant_id = ? AND title = 'Call about the anvils'",
        owner.tenantId,
        owner.tenantId,
      ),
    ).toEqual([{ subject_id: kept }, { subject_id: kept }]);
    expect(
      await queryRows(
        "SELECT tag_id FROM company_tags WHERE tenant_id = ? AND company_id = ? ORDER BY tag_id",
        owner.tenantId,
        kept,
      ),
    ).toEqual([vip, lead].sort((a, b) => a - b).map((tag_id) => ({ tag_id })));
    expect(
      await queryRows(
        "SELECT field_id, value FROM custom_field_values WHERE tenant_id = ? AND entity_id IN (?, ?) ORDER BY field_id, entity_id",
        owner.tenantId,
        kept,
        other,
      ),
    ).toEqual([
      { field_id: tier, value: "Gold" },
      { field_id: region, value: "West" },
    ]);
    expect(await one("SELECT name, domain, industry FROM companies WHERE tenant_id = ? AND id = ?", kept)).toEqual({
      name: "Acme",
      domain: "acme.example",
      industry: "Rockets",
    });
    expect((await counters(owner.tenantId)).companies).toBe(2);

    // The kept company's page shows what it gained and says what happened.
    const page = textOf(await (await send(`/app/companies/${kept}`, { cookie: owner.cookie })).text());
    expect(page).toContain("Wile Coyote");
    expect(page).toContain("Ships anvils");
    expect(page).toContain("merged a duplicate into this one");
    expect((await auditOf(owner.tenantId, "record.merged")).map((a) => [a.target_type, a.target_id, a.detail])).toEqual(
      [["company", String(kept), JSON.stringify({ merged: other })]],
    );
    const events = (await eventsOf(owner.tenantId)).map((e) => [e.type, JSON.parse(e.payload).id]);
    expect(events.slice(-2)).toEqual([
      ["company.updated", kept],
      ["company.deleted", other],
    ]);
    expect(JSON.parse((await eventsOf(owner.tenantId)).at(-1)!.payload)).toMatchObject({
      id: other,
      name: "ACME",
      merged_into: kept,
    });
  });

  it("repoints what still named the other: a saved view filtered by it, its contact and deal in the trash", async () => {
    const { owner, kept, other } = await twoAcmes();
    const ada = await createContact(owner.cookie, {
      first_name: "Ada",
      last_name: "Trashed",
      company_id: String(other),
    });
    const deal = await createDeal(owner.cookie, {
      name: "Trashed deal",
      stage_id: String(await firstStageId(owner.tenantId)),
      company_id: String(other),
    });
    const view = await post("/app/contacts/views", owner.cookie, { name: "ACME people", query: `company=${other}` });
    expect(view.status).toBe(303);
    for (const path of [`/app/contacts/${ada}/delete`, `/app/deals/${deal}/delete`])
      expect((await send(path, { cookie: owner.cookie, form: {} })).status, path).toBe(303);

    const review = await reviewed(owner.cookie, kept, other);
    expect((await post(`/app/companies/${kept}/merge`, owner.cookie, review.form)).status).toBe(303);

    const views = await queryRows<{ query: string }>(
      "SELECT query FROM saved_views WHERE tenant_id = ?",
      owner.tenantId,
    );
    expect(views).toEqual([{ query: `company=${kept}` }]);
    const items = await queryRows<{ id: number; kind: string }>(
      "SELECT id, kind FROM trash_items WHERE tenant_id = ? ORDER BY kind",
      owner.tenantId,
    );
    for (const item of items) {
      const res = await send(`/app/trash/${item.id}/restore`, { cookie: owner.cookie, form: {} });
      expect(res.status, item.kind).toBe(303);
      expect(res.headers.get("Location"), item.kind).toMatch(/\?restored=1$/);
    }
    expect(
      await queryRows(
        "SELECT company_id, company_name FROM contacts WHERE tenant_id = ? AND id = ?",
        owner.tenantId,
        ada,
      ),
    ).toEqual([{ company_id: kept, company_name: "Acme" }]);
    expect(
      await queryRows("SELECT company_id FROM deals WHERE tenant_id = ? AND id = ?", owner.tenantId, deal),
    ).toEqual([{ company_id: kept }]);
  });

  it("offers no company as a duplicate for sharing a host like facebook.com, only by the same name", async () => {
    const owner = await newTenant("Shared Host Merge Co");
    const bakery = await createCompanyThroughForm(owner.cookie, {
      name: "Acme Bakery",
      domain: "facebook.com/acmebakery",
    });
    const plumber = await createCompanyThroughForm(owner.cookie, { name: "Zed Plumbing", domain: "facebook.com/zed" });
    const namesake = await createCompanyThroughForm(owner.cookie, {
      name: "Acme Bakery",
      domain: "facebook.com/other",
    });
    const offered = await (await send(`/app/companies/${bakery}/merge`, { cookie: owner.cookie })).text();
    expect(offered).not.toContain(`merge?with=${plumber}"`);
    expect(offered).toContain(`merge?with=${namesake}"`);
    expect(textOf(offered)).toContain("Acme Bakery · same name");
    expect(textOf(offered)).not.toContain("same domain");
  });

  it("changes nothing for another workspace's company, the company itself, garbage or a stale review", async () => {
    const { owner, kept, other } = await twoAcmes();
    const stranger = await newTenant("Stranger Co");
    const theirs = await createCompanyThroughForm(stranger.cookie, { name: "Acme" });
    const before = await crmSnapshot(owner.tenantId);
    const theirsBefore = await crmSnapshot(stranger.tenantId);
    const versions = { kept_version: "1", merged_version: "1" };

    expect((await send(`/app/companies/${theirs}/merge`, { cookie: owner.cookie })).status).toBe(404);
    expect(
      (await post(`/app/companies/${theirs}/merge`, owner.cookie, { with: String(kept), ...versions })).status,
    ).toBe(404);
    // Their company is never offered, reviewed or merged in.
    const offered = await (await send(`/app/companies/${kept}/merge?q=acme`, { cookie: owner.cookie })).text();
    expect(offered).not.toContain(`with=${theirs}"`);
    for (const other of [String(theirs), String(kept), "abc", "-1", ""]) {
      expect((await send(`/app/companies/${kept}/merge?with=${other}`, { cookie: owner.cookie })).status).toBe(400);
      const res = await post(`/app/companies/${kept}/merge`, owner.cookie, { with: other, ...versions });
      expect(res.status).toBe(400);
      expect(textOf(await res.text())).toContain("Choose another company of this workspace");
    }
    // Without the review's versions: the review again.
    expect((await post(`/app/companies/${kept}/merge`, owner.cookie, { with: String(other) })).status).toBe(409);
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    expect(await crmSnapshot(stranger.tenantId)).toEqual(theirsBefore);

    // The other edited after the review: nothing merged, and the review shows it as it now is.
    const review = await reviewed(owner.cookie, kept, other);
    await new Promise((r) => setTimeout(r, 2));
    expect((await post(`/app/companies/${other}`, owner.cookie, { name: "ACME", industry: "Anvils" })).status).toBe(
      303,
    );
    const stale = await post(`/app/companies/${kept}/merge`, owner.cookie, review.form);
    expect(stale.status).toBe(409);
    expect(textOf(await stale.text())).toContain("Anvils");
    expect((await send(`/app/companies/${other}`, { cookie: owner.cookie })).status).toBe(200);
    expect(await auditOf(owner.tenantId, "record.merged")).toEqual([]);
  });

  it("through the API: POST /companies/{id}/merge keeps the company of the path; refused for a read key and others' ids", async () => {
    const { owner, kept, other } = await twoAcmes();
    const stranger = await newTenant("API Stranger Co");
    const theirs = await createCompanyThroughForm(stranger.cookie, { name: "Acme" });
    const key = await makeKey(owner.cookie);
    const readKey = await makeKey(owner.cookie, { name: "Reader", scope: "read" });
    const before = await crmSnapshot(owner.tenantId);
    const path = `/companies/${kept}/merge`;
    expect((await api(path, { key: readKey, method: "POST", json: { merge_id: other } })).status).toBe(403);
    for (const [url, json, status] of [
      [path, { merge_id: theirs }, 404],
      [path, { merge_id: kept }, 404],
      [`/companies/${theirs}/merge`, { merge_id: other }, 404],
      [path, { merge_id: "two" }, 422],
      [path, { merge_id: other, extra: true }, 422],
      [path, {}, 422],
    ] as const) {
      const res = await api(url, { key, method: "POST", json });
      expect(res.status, JSON.stringify(json)).toBe(status);
      await problemOf(res);
    }
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    const res = await api(path, { key, method: "POST", json: { merge_id: other } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: kept, name: "Acme", domain: "acme.example", industry: "Rockets" });
    expect((await api(`/companies/${other}`, { key })).status).toBe(404);
  });

  it("has a plan for every table that points at a company (read from the schema)", async () => {
    const all = (
      await env.DB.prepare(
        `SELECT m.name, m.sql,
          EXISTS (SELECT 1 FROM pragma_table_info(m.name) c
            WHERE c.name IN ('subject_id', 'entity_id', 'company_id')) AS refers
        FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'sqlite_%'`,
      ).all<{ name: string; sql: string | null; refers: number }>()
    ).results;
    const names = all
      .filter((t) => t.refers === 1 || /REFERENCES\s+[`"]?companies[`"]?\s*\(/i.test(t.sql ?? ""))
      .map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["contacts", "deals", "company_tags", "notes", "custom_field_values"]),
    );
    expect(names.filter((t) => !(t in COMPANY_MERGE_PLAN))).toEqual([]);
  });
});
