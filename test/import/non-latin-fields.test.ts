/**
 * Custom fields named in any script map their columns on import ("Регион", "地域"), so re-importing our own
 * export keeps their values; a column whose header has no letters or digits maps to no field.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "./helpers";

async function addField(cookie: string, entity: string, name: string) {
  const res = await send("/app/settings/fields", { cookie, form: { entity, name, kind: "text", options: "" } });
  expect(res.status).toBe(303);
}

/** Each custom value of the tenant as "field=value". */
async function valuesOf(tenantId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT f.name || '=' || v.value AS pair FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id
     WHERE v.tenant_id = ? ORDER BY f.id`,
  )
    .bind(tenantId)
    .all<{ pair: string }>();
  return results.map((r) => r.pair);
}

describe("import: custom fields with non-Latin names", () => {
  it("contacts and companies columns map to their fields by name", async () => {
    const owner = await newTenant("Non-Latin Import");
    await addField(owner.cookie, "contact", "Регион");
    await addField(owner.cookie, "contact", "地域");
    await addField(owner.cookie, "company", "Отрасль");
    const contacts = await importFile(owner.cookie, "Name,Email,Регион,地域\nAda Lovelace,ada@example.com,Москва,関東");
    expect(contacts.result).toMatchObject({ status: "done", created_count: 1 });
    const companies = await importFile(owner.cookie, "Name,Отрасль\nInitech,Финансы", { kind: "companies" });
    expect(companies.result).toMatchObject({ status: "done", created_count: 1 });
    expect(await valuesOf(owner.tenantId)).toEqual(["Регион=Москва", "地域=関東", "Отрасль=Финансы"]);
  });

  it("deals: two non-Latin columns go to their own fields, a header of symbols to none", async () => {
    const owner = await newTenant("Non-Latin Deals");
    await addField(owner.cookie, "deal", "Регион");
    await addField(owner.cookie, "deal", "地域");
    const { result } = await importFile(
      owner.cookie,
      "Name,Amount,Currency,Регион,地域,№\nKiosk,10,USD,Москва,関東,7",
      {
        kind: "deals",
      },
    );
    expect(result).toMatchObject({ status: "done", created_count: 1 });
    expect(await valuesOf(owner.tenantId)).toEqual(["Регион=Москва", "地域=関東"]);
  });
});
