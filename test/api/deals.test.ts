/**
 * /api/v1/deals as a client sees it: create, read, list with the deal list's filters, partial updates whose
 * stage moves and outcomes go through the board's and the deal page's services (timeline, totals, webhook
 * events), validation listing every field with nothing written, the trash, isolation and scopes.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addPipeline, dealState, expectTotalsExact, pipelinesOf } from "../deals/helpers";
import { insertCompany, insertTag } from "../contacts/contact-helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "./helpers";

type Deal = {
  id: number;
  name: string;
  amount_minor: number;
  currency: string;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string };
  status: string;
  lost_reason: string | null;
  closed_on: string | null;
  company: { id: number; name: string } | null;
  contacts: { id: number; name: string; role: string | null }[];
  custom_fields: Record<string, { value: string }>;
  updated_at: string;
};

async function created(key: string, json: unknown): Promise<Deal> {
  const res = await api("/deals", { key, method: "POST", json });
  expect(res.status, await res.clone().text()).toBe(201);
  expect(res.headers.get("Location")).toMatch(/^\/api\/v1\/deals\/\d+$/);
  return (await res.json()) as Deal;
}

async function patched(key: string, id: number, json: unknown): Promise<Deal> {
  const res = await api(`/deals/${id}`, { key, method: "PATCH", json });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Deal;
}

async function contactOf(key: string, first_name: string): Promise<number> {
  const res = await api("/contacts", {
    key,
    method: "POST",
    json: { first_name, emails: [`${first_name}@example.com`] },
  });
  return ((await res.json()) as { id: number }).id;
}

describe("API deals", () => {
  it("create in the first stage, read, and list with the deal list's filters and a keyset cursor", async () => {
    const owner = await newTenant("Deals API Co");
    const key = await makeKey(owner.cookie);
    const [sales] = await pipelinesOf(owner.tenantId);
    const company = await insertCompany(owner.tenantId, "Analytical Engines");
    const ada = await contactOf(key, "ada");
    await env.DB.prepare(
      "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, 'deal', 'Seats', 'seats', 'number', NULL, 0, 0)",
    )
      .bind(owner.tenantId)
      .run();
    const deal = await created(key, {
      name: "Renewal",
      amount_minor: 1250050,
      currency: "eur",
      close_date: "2027-03-31",
      company_id: company,
      contacts: [{ contact_id: ada, role: "Champion" }],
      custom_fields: { Seats: 12.5 },
    });
    expect(deal).toMatchObject({
      name: "Renewal",
      amount_minor: 1250050,
      currency: "EUR",
      pipeline: { id: sales!.id, name: "Sales" },
      stage: { id: sales!.stages[0]!.id },
      status: "open",
      company: { id: company, name: "Analytical Engines" },
      contacts: [{ id: ada, name: "ada", role: "Champion" }],
      custom_fields: { Seats: { value: "12.5" } },
    });
    expect(await (await api(`/deals/${deal.id}`, { key })).json()).toEqual(deal);
    // The app's own timeline and totals saw it.
    const state = await dealState(owner.tenantId);
    expect(state.activities.map((a) => a.kind)).toContain("created");
    await expectTotalsExact(owner.tenantId);

    const second = await created(key, { name: "Expansion", stage_id: sales!.stages[1]!.id });
    const third = await created(key, { name: "Pilot" });
    const list = async (query: string) =>
      (await (await api(`/deals${query}`, { key })).json()) as { data: Deal[]; next_cursor: string | null };
    expect((await list(`?stage=${sales!.stages[1]!.id}`)).data.map((d) => d.id)).toEqual([second.id]);
    expect((await list(`?contact=${ada}`)).data.map((d) => d.id)).toEqual([deal.id]);
    expect((await list(`?company=${company}&status=open`)).data.map((d) => d.id)).toEqual([deal.id]);
    expect((await list("?status=won")).data).toEqual([]);
    const page1 = await list("?limit=2");
    expect(page1.data.map((d) => d.id)).toEqual([deal.id, second.id]);
    const page2 = await list(`?limit=2&cursor=${page1.next_cursor}`);
    expect(page2).toEqual({ data: [expect.objectContaining({ id: third.id })], next_cursor: null });
    const since = await list(`?updated_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(since.data).toEqual([]);
    const bad = await api("/deals?status=closed&cursor=nope", { key });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.map((e) => e.field)).toContain("status");
  });

  it("move stages, win, lose and reopen through the board's and the deal page's services, with webhook events", async () => {
    const owner = await newTenant("Deals API Moves");
    const key = await makeKey(owner.cookie);
    await addEndpoint(owner.cookie, receiverUrl("deals-api"), ["deal.stage_changed", "deal.won", "deal.lost"]);
    const [sales] = await pipelinesOf(owner.tenantId);
    const deal = await created(key, { name: "Moving", amount_minor: 5000 });

    // Only the amount changes; the rest stays.
    const cheaper = await patched(key, deal.id, { amount_minor: 4000 });
    expect(cheaper).toMatchObject({ amount_minor: 4000, name: "Moving", stage: { id: sales!.stages[0]!.id } });
    const moved = await patched(key, deal.id, { stage_id: sales!.stages[2]!.id });
    expect(moved.stage.id).toBe(sales!.stages[2]!.id);
    const won = await patched(key, deal.id, { status: "won", closed_on: "2027-01-15" });
    expect(won).toMatchObject({ status: "won", closed_on: "2027-01-15" });
    const reopened = await patched(key, deal.id, { status: "open" });
    expect(reopened).toMatchObject({ status: "open", closed_on: null });
    const lost = await patched(key, deal.id, { status: "lost", lost_reason: "Price" });
    expect(lost).toMatchObject({ status: "lost", lost_reason: "Price" });

    const events = await eventsOf(owner.tenantId);
    expect(events.map((e) => e.type)).toEqual(["deal.stage_changed", "deal.won", "deal.lost"]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({
      id: deal.id,
      stage_id: sales!.stages[2]!.id,
      previous_stage_id: sales!.stages[0]!.id,
    });
    const kinds = (await dealState(owner.tenantId)).activities.map((a) => a.kind);
    expect(kinds).toEqual(["created", "updated", "moved", "won", "reopened", "lost"]);
    await expectTotalsExact(owner.tenantId);

    // Another pipeline's stage moves the deal there (as the edit form does).
    const other = await addPipeline(owner.tenantId, "Partners", ["Intro", "Signed"]);
    const elsewhere = await patched(key, deal.id, { stage_id: other.stages[1]!.id });
    expect(elsewhere).toMatchObject({ pipeline: { id: other.id }, stage: { id: other.stages[1]!.id } });
    const first = await patched(key, deal.id, { pipeline_id: sales!.id });
    expect(first.stage.id).toBe(sales!.stages[0]!.id);
    await expectTotalsExact(owner.tenantId);
  });

  it("a PATCH of fields, stage and status is one change: all of it lands, or none when a step fails", async () => {
    const owner = await newTenant("Deals API One Change");
    const key = await makeKey(owner.cookie);
    await addEndpoint(owner.cookie, receiverUrl("deals-api-one"), ["deal.stage_changed", "deal.won", "deal.updated"]);
    const [sales] = await pipelinesOf(owner.tenantId);
    const deal = await created(key, { name: "Whole", amount_minor: 700 });
    const before = await dealState(owner.tenantId);

    // The close fails inside the database (as a lost connection or a crash would): the rename and move go too.
    const trigger = `fail_close_${owner.tenantId.replace(/[^A-Za-z0-9]/g, "")}`;
    await env.DB.exec(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE OF status ON deals WHEN NEW.tenant_id = '${owner.tenantId}' AND NEW.status = 'won' BEGIN SELECT RAISE(ABORT, 'injected'); END`,
    );
    try {
      const res = await api(`/deals/${deal.id}`, {
        key,
        method: "PATCH",
        json: { name: "Renamed", stage_id: sales!.stages[1]!.id, status: "won" },
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await env.DB.exec(`DROP TRIGGER ${trigger}`);
    }
    expect(await dealState(owner.tenantId)).toEqual(before);
    expect(await eventsOf(owner.tenantId)).toEqual([]);

    const done = await patched(key, deal.id, { name: "Renamed", stage_id: sales!.stages[1]!.id, status: "won" });
    expect(done).toMatchObject({ name: "Renamed", stage: { id: sales!.stages[1]!.id }, status: "won" });
    expect((await dealState(owner.tenantId)).activities.map((a) => a.kind)).toEqual([
      "created",
      "updated",
      "moved",
      "won",
    ]);
    expect((await eventsOf(owner.tenantId)).map((e) => e.type)).toEqual([
      "deal.updated",
      "deal.stage_changed",
      "deal.won",
    ]);
    await expectTotalsExact(owner.tenantId);
  });

  it("a PATCH that finds the deal changed meanwhile answers 409 and leaves its stage totals exact", async () => {
    const owner = await newTenant("Deals API Conflict");
    const key = await makeKey(owner.cookie);
    const deal = await created(key, { name: "Contested", amount_minor: 900 });
    // Someone renames it between the PATCH's read and its batch.
    const rename = () =>
      env.DB.prepare("UPDATE deals SET name = 'Renamed meanwhile', updated_at = updated_at + 7 WHERE id = ?")
        .bind(deal.id)
        .run();
    for (const json of [{ status: "won" }, { status: "lost", lost_reason: "Price" }, { name: "Mine" }]) {
      const DB = raceBeforeBatch(env.DB, /deal_stage_totals/i, rename);
      const res = await api(`/deals/${deal.id}`, { key, method: "PATCH", json, env: { DB } });
      expect(res.status, JSON.stringify(json)).toBe(409);
      await expectTotalsExact(owner.tenantId);
    }
    const now = (await (await api(`/deals/${deal.id}`, { key })).json()) as Deal;
    expect(now).toMatchObject({ name: "Renamed meanwhile", status: "open" });
  });

  it("refuse bad bodies with every field named, and write nothing", async () => {
    const owner = await newTenant("Deals API Bad");
    const other = await newTenant("Deals API Other");
    const key = await makeKey(owner.cookie);
    const otherKey = await makeKey(other.cookie);
    const [otherSales] = await pipelinesOf(other.tenantId);
    const stranger = await contactOf(otherKey, "stranger");
    const deal = await created(key, { name: "Kept", amount_minor: 1250050 });
    const before = await dealState(owner.tenantId);

    const fields = async (method: string, path: string, json: unknown) => {
      const res = await api(path, { key, method, json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      return (await problemOf(res)).errors!.map((e) => e.field).sort();
    };
    expect(await fields("POST", "/deals", { amount_minor: -1, nmae: "x" })).toEqual(["amount_minor", "nmae"]);
    expect(await fields("POST", "/deals", { name: "", currency: "XYZ", close_date: "2027-02-31" })).toEqual([
      "close_date",
      "currency",
      "name",
    ]);
    expect(await fields("POST", "/deals", { name: "Won at birth", status: "won" })).toEqual(["status"]);
    // Another workspace's records are unknown here.
    expect(await fields("POST", "/deals", { name: "x", stage_id: otherSales!.stages[0]!.id })).toEqual(["stage_id"]);
    expect(await fields("POST", "/deals", { name: "x", pipeline_id: otherSales!.id })).toEqual(["pipeline_id"]);
    expect(await fields("POST", "/deals", { name: "x", contacts: [{ contact_id: stranger }] })).toEqual([
      "contacts[0].contact_id",
    ]);
    expect(await fields("POST", "/deals", { name: "x", custom_fields: { Nope: 1 } })).toEqual(["custom_fields.Nope"]);
    expect(await fields("PATCH", `/deals/${deal.id}`, { status: "lost" })).toEqual(["lost_reason"]);
    expect(await fields("PATCH", `/deals/${deal.id}`, { name: "Renamed", lost_reason: "Price" })).toEqual([
      "lost_reason",
    ]);
    expect(await fields("PATCH", `/deals/${deal.id}`, { status: "won", closed_on: "yesterday" })).toEqual([
      "closed_on",
    ]);
    // The kept 1250050 would read as ¥1,250,050: a currency of other decimals needs its amount.
    expect(await fields("PATCH", `/deals/${deal.id}`, { currency: "JPY" })).toEqual(["amount_minor"]);
    expect(await dealState(owner.tenantId)).toEqual(before);
    expect(await patched(key, deal.id, { currency: "EUR" })).toMatchObject({ currency: "EUR", amount_minor: 1250050 });
    expect(await patched(key, deal.id, { currency: "JPY", amount_minor: 12501 })).toMatchObject({
      currency: "JPY",
      amount_minor: 12501,
    });
  });

  it("delete to the trash; another workspace's deal is a 404 and a read key cannot write", async () => {
    const a = await newTenant("Deals API A");
    const b = await newTenant("Deals API B");
    const keyA = await makeKey(a.cookie);
    const keyB = await makeKey(b.cookie);
    const readA = await makeKey(a.cookie, { name: "Reader", scope: "read" });
    const deal = await created(keyA, { name: "Private" });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`/deals/${deal.id}`, {
        key: keyB,
        method,
        json: method === "PATCH" ? { name: "x" } : undefined,
      });
      expect(res.status, method).toBe(404);
      expect((await problemOf(res)).code).toBe("not_found");
    }
    expect((await api("/deals", { key: readA })).status).toBe(200);
    const refused = await api("/deals", { key: readA, method: "POST", json: { name: "Nope" } });
    expect(refused.status).toBe(403);
    expect((await api(`/deals/${deal.id}`, { key: readA, method: "DELETE" })).status).toBe(403);

    expect((await api(`/deals/${deal.id}`, { key: keyA, method: "DELETE" })).status).toBe(204);
    expect((await api(`/deals/${deal.id}`, { key: keyA })).status).toBe(404);
    const trashed = await env.DB.prepare("SELECT kind, record_id FROM trash_items WHERE tenant_id = ?")
      .bind(a.tenantId)
      .all();
    expect(trashed.results).toEqual([{ kind: "deal", record_id: deal.id }]);
    await expectTotalsExact(a.tenantId);
  });

  it("list 200 deals with their contacts, tags and custom values in one round trip (the key checked in the same batch)", async () => {
    const owner = await newTenant("Deals API Queries");
    const key = await makeKey(owner.cookie);
    const [sales] = await pipelinesOf(owner.tenantId);
    const tag = await insertTag(owner.tenantId, "Big");
    const ada = await contactOf(key, "ada");
    await env.DB.batch([
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 210)
         INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, pipeline_id, stage_id, created_at,
           updated_at, last_activity_at) SELECT ?, 'Deal ' || i, 'deal ' || i, i * 100, 'USD', ?, ?, 0, 0, 0 FROM n`,
      ).bind(owner.tenantId, sales!.id, sales!.stages[0]!.id),
      env.DB.prepare(
        "INSERT INTO deal_tags (tenant_id, deal_id, tag_id) SELECT tenant_id, id, ? FROM deals WHERE tenant_id = ?",
      ).bind(tag, owner.tenantId),
      env.DB.prepare(
        "INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role) SELECT tenant_id, id, ?, 'Buyer' FROM deals WHERE tenant_id = ?",
      ).bind(ada, owner.tenantId),
    ]);
    const counting = countingDb();
    const res = await api("/deals?limit=200", { key, env: { DB: counting.binding } });
    const page = (await res.json()) as { data: (Deal & { tags: unknown[] })[]; next_cursor: string | null };
    expect(page.data).toHaveLength(200);
    expect(page.data[199]).toMatchObject({ tags: [{ id: tag, name: "Big" }], contacts: [{ id: ada, role: "Buyer" }] });
    expect(page.next_cursor).not.toBeNull();
    // The key was used before (contactOf): its check rides in the page's batch.
    expect(counting.roundTrips.count).toBe(1);
  });
});
