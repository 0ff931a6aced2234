/**
 * Creating and editing deals through the real form: amounts read in the workspace's locale, and every
 * kind of bad input answered with the form again (422), the message by the field, and nothing written.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  addPipeline,
  createDeal,
  dealRow,
  dealState,
  expectTotalsExact,
  fieldError,
  pipelinesOf,
  post,
} from "./helpers";

let owner: Awaited<ReturnType<typeof newTenant>>;
let stages: { id: number; name: string }[];

beforeAll(async () => {
  owner = await newTenant("Deals Co");
  stages = (await pipelinesOf(owner.tenantId))[0]!.stages;
});

describe("creating a deal", () => {
  it("reads '12,500.50' in en-US, keeps the deal, its history, totals, timeline, counter and audit entry", async () => {
    const id = await createDeal(owner.cookie, {
      name: "Acme renewal",
      amount: "12,500.50",
      stage_id: String(stages[0]!.id),
    });
    const deal = await dealRow(id);
    expect(deal).toMatchObject({ name: "Acme renewal", amount_minor: 1250050, currency: "USD", status: "open" });
    const page = await send(`/app/deals/${id}`, { cookie: owner.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("$12,500.50");
    expect(html).toContain("created this record");
    const state = await dealState(owner.tenantId);
    expect(state.history.filter((h) => h.deal_id === id)).toMatchObject([{ stage_id: stages[0]!.id, left_at: null }]);
    expect(state.audit.length).toBeGreaterThan(0);
    await expectTotalsExact(owner.tenantId);
  });

  it("reads '12.500,50' in a de-DE workspace as twelve thousand five hundred euros and fifty cents", async () => {
    const de = await newTenant("Deutsch GmbH");
    await env.DB.prepare("UPDATE tenants SET locale = 'de-DE', currency = 'EUR' WHERE id = ?").bind(de.tenantId).run();
    const stage = (await pipelinesOf(de.tenantId))[0]!.stages[0]!;
    const id = await createDeal(de.cookie, { name: "Auftrag", amount: "12.500,50", stage_id: String(stage.id) });
    expect(await dealRow(id)).toMatchObject({ amount_minor: 1250050, currency: "EUR" });
    // "12,500.50" is not how this workspace writes amounts: refused, not misread.
    const res = await post("/app/deals", de.cookie, {
      name: "Falsch",
      amount: "12,500.50",
      stage_id: String(stage.id),
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-amount")).toMatch(/12\.500,50/);
  });

  it("keeps contacts with their roles, tags and a close date, and shows them on the deal page", async () => {
    const contact = await post("/app/contacts", owner.cookie, {
      first_name: "Ada",
      last_name: "Lovelace",
      allow_duplicate: "1",
    });
    const contactId = Number(contact.headers.get("Location")!.split("/").pop());
    const id = await createDeal(owner.cookie, {
      name: "Engines",
      amount: "100",
      close_date: "2027-03-31",
      stage_id: String(stages[1]!.id),
      contact_ids: [String(contactId), ""],
      contact_roles: ["Decision maker", ""],
      new_tag: "Hot",
    });
    const html = await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text();
    expect(html).toContain("Ada Lovelace");
    expect(html).toContain("Decision maker");
    expect(html).toContain("Hot");
    expect(html).toContain("2027-03-31");
    expect(await dealRow(id)).toMatchObject({ close_date: "2027-03-31", close_key: "2027-03-31" });
  });
});

describe("custom fields on deals", () => {
  it("an admin adds a deal field in settings; the deal form offers it, checks it, and the page shows it", async () => {
    const made = await post("/app/settings/fields", owner.cookie, {
      entity: "deal",
      name: "Renewal date",
      kind: "date",
    });
    expect(made.status).toBe(303);
    const field = await env.DB.prepare("SELECT id FROM custom_fields WHERE tenant_id = ? AND entity = 'deal'")
      .bind(owner.tenantId)
      .first<{ id: number }>();
    const form = await (await send("/app/deals/new", { cookie: owner.cookie })).text();
    expect(form).toContain(`name="cf_${field!.id}"`);
    const bad = await post("/app/deals", owner.cookie, {
      name: "With field",
      stage_id: String(stages[0]!.id),
      [`cf_${field!.id}`]: "2027-13-01",
    });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), `f-cf_${field!.id}`)).toMatch(/Renewal date must be a date/);
    const id = await createDeal(owner.cookie, {
      name: "With field",
      stage_id: String(stages[0]!.id),
      [`cf_${field!.id}`]: "2027-12-01",
    });
    const page = await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text();
    expect(page).toContain("Renewal date");
    expect(page).toContain("2027-12-01");
  });
});

describe("bad input: the form again, the message by the field, nothing written", () => {
  async function expectRefused(form: Record<string, string | string[]>, field: string, message: RegExp) {
    const before = await dealState(owner.tenantId);
    const res = await post("/app/deals", owner.cookie, { name: "Bad deal", stage_id: String(stages[0]!.id), ...form });
    expect(res.status, JSON.stringify(form)).toBe(422);
    const html = await res.text();
    expect(fieldError(html, field), `${field} in ${JSON.stringify(form)}`).toMatch(message);
    expect(await dealState(owner.tenantId)).toEqual(before);
  }

  it("refuses a negative amount", () => expectRefused({ amount: "-5" }, "f-amount", /cannot be negative/));
  it("refuses an absurd amount (more than 10^12)", () =>
    expectRefused({ amount: "2,000,000,000,000" }, "f-amount", /too large/));
  it("refuses an unknown currency", () => expectRefused({ amount: "5", currency: "ABC" }, "f-currency", /currency/));
  it("refuses a close date that does not exist", () =>
    expectRefused({ close_date: "2027-02-31" }, "f-close_date", /date that exists/));
  it("refuses an empty or too long name", async () => {
    await expectRefused({ name: "" }, "f-name", /name/i);
    await expectRefused({ name: "x".repeat(201) }, "f-name", /at most 200/);
  });
  it("refuses a stage of another pipeline", async () => {
    const other = await addPipeline(owner.tenantId, `Renewals ${Date.now()}`, ["Due", "Signed"]);
    await expectRefused(
      {
        pipeline_id: String(stages[0] && (await pipelinesOf(owner.tenantId))[0]!.id),
        stage_id: String(other.stages[0]!.id),
      },
      "f-stage_id",
      /That stage is not in this pipeline\./,
    );
  });
  it("refuses another workspace's company, contact, owner and stage as field errors, not 500s", async () => {
    const other = await newTenant("Other Co");
    const company = await post("/app/companies", other.cookie, { name: "Theirs Inc" });
    const companyId = company.headers.get("Location")!.split("/").pop()!;
    const contact = await post("/app/contacts", other.cookie, { first_name: "Theirs", allow_duplicate: "1" });
    const contactId = contact.headers.get("Location")!.split("/").pop()!;
    const otherOwner = await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ?")
      .bind(other.tenantId)
      .first<{ user_id: string }>();
    const otherStage = (await pipelinesOf(other.tenantId))[0]!.stages[0]!.id;
    await expectRefused({ company_id: companyId }, "f-company_id", /Choose a company/);
    await expectRefused({ contact_ids: contactId, contact_roles: "" }, "f-contact_ids-0", /Choose a contact/);
    await expectRefused({ owner_id: otherOwner!.user_id }, "f-owner_id", /member of this workspace/);
    await expectRefused({ stage_id: String(otherStage) }, "f-stage_id", /Choose a stage/);
  });
  it("refuses a role longer than 60 characters", async () => {
    await expectRefused({ contact_ids: "", contact_roles: "r".repeat(61) }, "f-contact_roles-0", /at most 60/);
  });
});

describe("editing a deal", () => {
  it("writes the amount and stage change to the timeline and moves the totals", async () => {
    const id = await createDeal(owner.cookie, { name: "Edit me", amount: "1,000", stage_id: String(stages[0]!.id) });
    const version = (await dealRow(id))!.updated_at as number;
    const res = await post(`/app/deals/${id}`, owner.cookie, {
      name: "Edit me",
      amount: "2,000",
      stage_id: String(stages[2]!.id),
      version: String(version),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await dealRow(id)).toMatchObject({ amount_minor: 200000, stage_id: stages[2]!.id });
    const html = await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text();
    expect(html).toMatch(/changed amount from <q>\$1,000\.00<\/q> to <q>\$2,000\.00<\/q>/);
    await expectTotalsExact(owner.tenantId);
  });

  it("refuses bad input on edit with nothing written, and a stale version with 409", async () => {
    const id = await createDeal(owner.cookie, { name: "Stale", amount: "10", stage_id: String(stages[0]!.id) });
    const before = await dealState(owner.tenantId);
    const bad = await post(`/app/deals/${id}`, owner.cookie, {
      name: "Stale",
      amount: "-1",
      stage_id: String(stages[0]!.id),
    });
    expect(bad.status).toBe(422);
    expect(await dealState(owner.tenantId)).toEqual(before);
    const stale = await post(`/app/deals/${id}`, owner.cookie, {
      name: "Stale",
      amount: "11",
      stage_id: String(stages[0]!.id),
      version: "1",
    });
    expect(stale.status).toBe(409);
    expect(await dealState(owner.tenantId)).toEqual(before);
  });
});

describe("the edit form keeps what the deal has", () => {
  it("offers the deal's own contact and company even beyond the first 500 by name", async () => {
    const t = await newTenant("Many contacts");
    const stage = (await pipelinesOf(t.tenantId))[0]!.stages[0]!;
    const names = JSON.stringify(Array.from({ length: 501 }, (_, i) => `Person ${String(i).padStart(3, "0")}`));
    await env.DB.prepare(
      `INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_at, updated_at, last_activity_at)
       SELECT ?, 'A', j.value, lower(j.value || ' a'), 1, 1, 1 FROM json_each(?) j`,
    )
      .bind(t.tenantId, names)
      .run();
    const last = await env.DB.prepare(
      "INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, 'Zed', 'Zulu', 'zulu zed', 1, 1, 1) RETURNING id",
    )
      .bind(t.tenantId)
      .first<{ id: number }>();
    const id = await createDeal(t.cookie, {
      name: "Far contact",
      stage_id: String(stage.id),
      contact_ids: String(last!.id),
      contact_roles: "Champion",
    });
    const form = await (await send(`/app/deals/${id}/edit`, { cookie: t.cookie })).text();
    expect(form).toContain(`<option value="${last!.id}" selected="">Zed Zulu</option>`);
    // The filled row offers only its contact; each empty row the first 500 by name and the deal's own (not 3 × 501).
    const rows = [...form.matchAll(/<select id="f-contact_ids-(\d+)"[^>]*>([\s\S]*?)<\/select>/g)];
    expect(rows.map((m) => (m[2]!.match(/<option value="\d+"/g) ?? []).length)).toEqual([1, 501, 501]);
  });
});

describe("viewers", () => {
  it("read the board and deals but cannot create, move or close them", async () => {
    const viewer = await memberOf(owner.tenantId, "viewer");
    const id = await createDeal(owner.cookie, { name: "Look only", amount: "5", stage_id: String(stages[0]!.id) });
    const board = await send("/app/deals", { cookie: viewer.cookie });
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html, html.slice(html.indexOf("<main"))).toContain("Look only");
    expect(html).not.toContain("data-scripts");
    const before = await dealState(owner.tenantId);
    for (const [path, form] of [
      ["/app/deals", { name: "Nope", stage_id: String(stages[0]!.id) }],
      [`/app/deals/${id}/move`, { stage_id: String(stages[1]!.id) }],
      [`/app/deals/${id}/won`, {}],
      [`/app/deals/${id}/delete`, {}],
    ] as const) {
      const res = await post(path, viewer.cookie, form);
      expect(res.status, path).toBe(403);
    }
    const after = await dealState(owner.tenantId);
    expect(after.deals).toEqual(before.deals);
    expect(after.totals).toEqual(before.totals);
  });
});
