/**
 * A company field deleted while a company form is being saved: the company is saved without that value, as
 * contacts and deals do, never a 500 from the foreign key. The race is made with the real D1 binding.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm, insertField } from "./helpers";

const deleteField = (id: number) => env.DB.prepare("DELETE FROM custom_fields WHERE id = ?").bind(id).run();

async function valuesOf(tenantId: string, companyId: number) {
  const { results } = await env.DB.prepare(
    "SELECT field_id, value FROM custom_field_values WHERE tenant_id = ? AND entity_id = ? ORDER BY field_id",
  )
    .bind(tenantId, companyId)
    .all<{ field_id: number; value: string }>();
  return results;
}

describe("companies: a custom field deleted during the save", () => {
  it("creating keeps the company and the other values, without the deleted field's", async () => {
    const owner = await newTenant("Field Race Companies");
    const doomed = await insertField(owner.tenantId, "company", "Doomed");
    const kept = await insertField(owner.tenantId, "company", "Kept");
    const res = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "Initech", [`cf_${doomed}`]: "gone", [`cf_${kept}`]: "stays" },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "companies"/i, () => deleteField(doomed)) },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const id = Number(res.headers.get("Location")?.match(/\/app\/companies\/(\d+)$/)?.[1]);
    expect(await valuesOf(owner.tenantId, id)).toEqual([{ field_id: kept, value: "stays" }]);
  });

  it("updating saves the rest of the form", async () => {
    const owner = await newTenant("Field Race Edits");
    const doomed = await insertField(owner.tenantId, "company", "Doomed");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Initech" });
    const res = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: { name: "Initrode", [`cf_${doomed}`]: "gone" },
      env: { DB: raceBeforeBatch(env.DB, /^update "companies"/i, () => deleteField(doomed)) },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const row = await env.DB.prepare("SELECT name FROM companies WHERE id = ?").bind(id).first<{ name: string }>();
    expect(row?.name).toBe("Initrode");
    expect(await valuesOf(owner.tenantId, id)).toEqual([]);
  });
});
