/**
 * A contact or deal saved while its company is renamed or deleted by someone else, between the save's check of
 * the company and its write: the contact carries the company's name as it is when written, and a company gone
 * by then is a field error with the form back and nothing written, never a 500 from the foreign key. The race is
 * made with the real D1 binding (test/helpers/batch-race.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm, fieldError } from "../companies/helpers";

type Owner = Awaited<ReturnType<typeof newTenant>>;

/** Deletes the company as its page's delete button does, while the other save is under way. */
const deleteCompany = (owner: Owner, id: number) => async () => {
  const res = await send(`/app/companies/${id}/delete`, { cookie: owner.cookie, form: {} });
  expect(res.status).toBe(303);
};

/** Renames the company through its form, while the other save is under way. */
const renameCompany = (owner: Owner, id: number, name: string) => async () => {
  const res = await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { name } });
  expect(res.status).toBe(303);
};

async function contactsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT first_name, company_id, company_name, company_sort FROM contacts WHERE tenant_id = ? ORDER BY id",
  )
    .bind(tenantId)
    .all();
  return results;
}

async function dealsOf(tenantId: string) {
  const { results } = await env.DB.prepare("SELECT name, company_id FROM deals WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all();
  return results;
}

describe("a contact saved while its company changes", () => {
  it("created as the company is renamed: the contact carries the new name", async () => {
    const owner = await newTenant("Race Rename");
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const res = await send("/app/contacts", {
      cookie: owner.cookie,
      form: { first_name: "Ada", company_id: String(acme) },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "contacts"/i, renameCompany(owner, acme, "Acme Ltd")) },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await contactsOf(owner.tenantId)).toEqual([
      { first_name: "Ada", company_id: acme, company_name: "Acme Ltd", company_sort: "acme ltd" },
    ]);
  });

  it("created as the company is deleted: 422, the message by the field, nothing written", async () => {
    const owner = await newTenant("Race Delete");
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const res = await send("/app/contacts", {
      cookie: owner.cookie,
      form: { first_name: "Ada", company_id: String(acme) },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "contacts"/i, deleteCompany(owner, acme)) },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-company_id")).toBe("Choose a company from the list.");
    expect(await contactsOf(owner.tenantId)).toEqual([]);
  });

  it("edited as the company is deleted: 422, the message by the field, the contact as it was", async () => {
    const owner = await newTenant("Race Edit");
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const globex = await createCompanyThroughForm(owner.cookie, { name: "Globex" });
    const created = await send("/app/contacts", {
      cookie: owner.cookie,
      form: { first_name: "Ada", company_id: String(globex) },
    });
    const id = Number(created.headers.get("Location")?.match(/(\d+)$/)?.[1]);
    const res = await send(`/app/contacts/${id}`, {
      cookie: owner.cookie,
      form: { first_name: "Ada", company_id: String(acme) },
      env: { DB: raceBeforeBatch(env.DB, /^update "contacts"/i, deleteCompany(owner, acme)) },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-company_id")).toBe("Choose a company from the list.");
    expect(await contactsOf(owner.tenantId)).toEqual([
      { first_name: "Ada", company_id: globex, company_name: "Globex", company_sort: "globex" },
    ]);
  });
});

describe("a deal saved while its company is deleted", () => {
  it("created: 422, the message by the field, nothing written", async () => {
    const owner = await newTenant("Race Deal");
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const res = await send("/app/deals", {
      cookie: owner.cookie,
      form: { name: "Renewal", amount: "100", stage_id: String(stage.id), company_id: String(acme) },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "deals"/i, deleteCompany(owner, acme)) },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-company_id")).toBe("Choose a company from the list.");
    expect(await dealsOf(owner.tenantId)).toEqual([]);
  });

  it("edited: 422, the message by the field, the deal as it was", async () => {
    const owner = await newTenant("Race Deal Edit");
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const id = await createDeal(owner.cookie, { name: "Renewal", amount: "100", stage_id: String(stage.id) });
    const res = await send(`/app/deals/${id}`, {
      cookie: owner.cookie,
      form: { name: "Renewal", amount: "100", stage_id: String(stage.id), company_id: String(acme) },
      env: { DB: raceBeforeBatch(env.DB, /^update "deals"/i, deleteCompany(owner, acme)) },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-company_id")).toBe("Choose a company from the list.");
    expect(await dealsOf(owner.tenantId)).toEqual([{ name: "Renewal", company_id: null }]);
  });
});

describe("through the API, a save whose company is deleted meanwhile", () => {
  it("is a 422 naming company_id, and nothing is written", async () => {
    const owner = await newTenant("Race API");
    const key = await makeKey(owner.cookie);
    const acme = await createCompanyThroughForm(owner.cookie, { name: "Acme" });
    const contact = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: "Ada", company_id: acme },
      headers: { "Idempotency-Key": "race-contact" },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "contacts"/i, deleteCompany(owner, acme)) },
    });
    expect(contact.status).toBe(422);
    expect((await problemOf(contact)).errors).toEqual([
      { field: "company_id", message: "Choose a company from the list." },
    ]);
    expect(await contactsOf(owner.tenantId)).toEqual([]);

    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const globex = await createCompanyThroughForm(owner.cookie, { name: "Globex" });
    const deal = await api("/deals", {
      key,
      method: "POST",
      json: { name: "Renewal", stage_id: stage.id, company_id: globex },
      headers: { "Idempotency-Key": "race-deal" },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "deals"/i, deleteCompany(owner, globex)) },
    });
    expect(deal.status).toBe(422);
    expect((await problemOf(deal)).errors).toEqual([
      { field: "company_id", message: "Choose a company from the list." },
    ]);
    expect(await dealsOf(owner.tenantId)).toEqual([]);
  });
});
