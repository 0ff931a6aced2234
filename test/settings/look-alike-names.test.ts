/**
 * Tag and custom field names that look the same are the same name: "Café" typed on a Mac (e + combining accent,
 * NFD) or with a zero-width space pasted in finds the existing tag or field instead of making a twin, on every
 * path that makes one (API, settings forms, "New tag" on records, imports). Names are stored clean.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { fieldError } from "../companies/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "../import/helpers";

const NFC = "Caf\u00e9";
const NFD = "Cafe\u0301";
const ZWSP = "\u200b";

async function tagsOf(tenantId: string) {
  const { results } = await env.DB.prepare("SELECT id, name FROM tags WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all<{ id: number; name: string }>();
  return results;
}

async function linkedTags(table: "contact_tags" | "company_tags", tenantId: string): Promise<number[]> {
  const { results } = await env.DB.prepare(`SELECT tag_id FROM ${table} WHERE tenant_id = ? ORDER BY tag_id`)
    .bind(tenantId)
    .all<{ tag_id: number }>();
  return results.map((r) => r.tag_id);
}

describe("look-alike tag and field names", () => {
  it("the API and Settings → Tags refuse a tag that looks like an existing one, and store names clean", async () => {
    const owner = await newTenant("Look-alike Tags");
    const key = await makeKey(owner.cookie);
    const post = (name: string) => api("/tags", { key, method: "POST", json: { name } });
    expect((await post(NFC)).status).toBe(201);
    expect((await post("VIP")).status).toBe(201);
    for (const twin of [NFD, `VIP${ZWSP}`, `V${ZWSP}IP`, "vip\u2060"]) {
      const res = await post(twin);
      expect(res.status, JSON.stringify(twin)).toBe(422);
      expect((await problemOf(res)).errors).toEqual([
        { field: "name", message: "A tag with this name already exists." },
      ]);
    }
    const clean = await post(`Key${ZWSP} \u00a0 account`);
    expect(await clean.json()).toMatchObject({ name: "Key account" });
    expect((await post(ZWSP)).status).toBe(422);

    const form = await send("/app/settings/tags", { cookie: owner.cookie, form: { name: NFD, color: "red" } });
    expect(form.status).toBe(422);
    expect(fieldError(await form.text(), "f-name")).toBe("A tag with this name already exists.");
    expect((await tagsOf(owner.tenantId)).map((t) => t.name)).toEqual([NFC, "VIP", "Key account"]);
  });

  it("a record's New tag and an import find the existing tag, however it is written", async () => {
    const owner = await newTenant("Look-alike Records");
    const key = await makeKey(owner.cookie);
    const cafe = ((await (await api("/tags", { key, method: "POST", json: { name: NFC } })).json()) as { id: number })
      .id;
    const vip = ((await (await api("/tags", { key, method: "POST", json: { name: "VIP" } })).json()) as { id: number })
      .id;

    const contact = await send("/app/contacts", { cookie: owner.cookie, form: { first_name: "Ada", new_tag: NFD } });
    expect(contact.status).toBe(303);
    const company = await send("/app/companies", { cookie: owner.cookie, form: { name: "Acme", new_tag: NFD } });
    expect(company.status).toBe(303);
    expect(await linkedTags("company_tags", owner.tenantId)).toEqual([cafe]);

    const { result } = await importFile(
      owner.cookie,
      `First name,Email,Tags\nGrace,grace@example.com,"${NFD}; VIP${ZWSP}"`,
    );
    expect(result).toMatchObject({ status: "done", created_count: 1 });
    expect(await linkedTags("contact_tags", owner.tenantId)).toEqual([cafe, cafe, vip]);
    expect((await tagsOf(owner.tenantId)).map((t) => t.id)).toEqual([cafe, vip]);
  });

  it("the API and Settings → Fields refuse a field name that looks like an existing one of the record type", async () => {
    const owner = await newTenant("Look-alike Fields");
    const key = await makeKey(owner.cookie);
    const post = (name: string, entity = "contact") =>
      api("/custom_fields", { key, method: "POST", json: { entity, name, kind: "text" } });
    expect((await post(`R\u00e9gion`)).status).toBe(201);
    const twin = await post(`Re\u0301gion${ZWSP}`);
    expect(twin.status).toBe(422);
    expect((await problemOf(twin)).errors).toEqual([
      { field: "name", message: "A contact field with this name already exists." },
    ]);
    // A built-in column written with an invisible character is still that column.
    const builtIn = await post(`E${ZWSP}mail`);
    expect(builtIn.status).toBe(422);
    const form = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "contact", name: `Re\u0301gion`, kind: "text", options: "" },
    });
    expect(form.status).toBe(422);
    expect(fieldError(await form.text(), "f-name")).toBe("A contact field with this name already exists.");
    // Renaming to a look-alike of another field is refused too.
    const other = (await (await post("Area")).json()) as { id: number };
    const rename = await api(`/custom_fields/${other.id}`, { key, method: "PATCH", json: { name: `Re\u0301gion` } });
    expect(rename.status).toBe(422);
    const { results } = await env.DB.prepare("SELECT name FROM custom_fields WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual([`R\u00e9gion`, "Area"]);
  });

  it("refuses a field name an import reads as a built-in column or another field's (accents, punctuation aside)", async () => {
    const owner = await newTenant("Column Key Fields");
    const key = await makeKey(owner.cookie);
    const post = (name: string, entity = "contact") =>
      api("/custom_fields", { key, method: "POST", json: { entity, name, kind: "text" } });
    const refusedBy = async (res: Response) => {
      expect(res.status).toBe(422);
      return (await problemOf(res)).errors;
    };
    // Our own contacts.csv re-imported would put its first names into a "First-name" field.
    for (const [name, entity, column] of [
      ["First-name", "contact", "First name"],
      ["job_title", "contact", "Job title"],
      ["Close-date", "deal", "Close date"],
      ["LOST  REASON!", "deal", "Lost reason"],
      ["Domain.", "company", "Domain"],
    ] as const)
      expect(await refusedBy(await post(name, entity)), name).toEqual([
        {
          field: "name",
          message: `“${column}” is already a ${entity} column in exports and imports. Choose another name.`,
        },
      ]);
    const twin =
      "A contact field is called “Région”, which imports cannot tell apart from this name. Choose another name.";
    const region = (await (await post("R\u00e9gion")).json()) as { id: number };
    expect(await refusedBy(await post("Region"))).toEqual([{ field: "name", message: twin }]);
    // Another record type's field, and the field itself, may have the name.
    expect((await post("Region", "company")).status).toBe(201);
    const area = (await (await post("Area")).json()) as { id: number };
    expect(
      await refusedBy(await api(`/custom_fields/${area.id}`, { key, method: "PATCH", json: { name: "REGION" } })),
    ).toEqual([{ field: "name", message: twin }]);
    expect(
      await refusedBy(await api(`/custom_fields/${area.id}`, { key, method: "PATCH", json: { name: "First_Name" } })),
    ).toEqual([
      {
        field: "name",
        message: "“First name” is already a contact column in exports and imports. Choose another name.",
      },
    ]);
    const self = await api(`/custom_fields/${region.id}`, { key, method: "PATCH", json: { name: "Region" } });
    expect(self.status).toBe(200);

    // The settings forms say the same beside the name.
    const created = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "contact", name: "\u00c1rea", kind: "text", options: "" },
    });
    expect(created.status).toBe(422);
    expect(fieldError(await created.text(), "f-name")).toBe(
      "A contact field is called “Area”, which imports cannot tell apart from this name. Choose another name.",
    );
    const edited = await send(`/app/settings/fields/${area.id}`, { cookie: owner.cookie, form: { name: "Job-Title" } });
    expect(edited.status).toBe(422);
    expect(fieldError(await edited.text(), "f-name")).toBe(
      "“Job title” is already a contact column in exports and imports. Choose another name.",
    );
    const { results } = await env.DB.prepare("SELECT entity, name FROM custom_fields WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all<{ entity: string; name: string }>();
    expect(results).toEqual([
      { entity: "contact", name: "Region" },
      { entity: "company", name: "Region" },
      { entity: "contact", name: "Area" },
    ]);
  });

  it("a look-alike field made between the check and the write still refuses the name, with nothing written", async () => {
    const owner = await newTenant("Column Key Race");
    const key = await makeKey(owner.cookie);
    const area = (await (
      await api("/custom_fields", { key, method: "POST", json: { entity: "deal", name: "Area", kind: "text" } })
    ).json()) as { id: number };
    const insertTwin = (name: string) => () =>
      env.DB.prepare(
        "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'deal', ?, lower(?), 'text', 9, 0)",
      )
        .bind(owner.tenantId, name, name)
        .run();
    const message = (twin: string) =>
      `A deal field is called “${twin}”, which imports cannot tell apart from this name. Choose another name.`;

    const created = await api("/custom_fields", {
      key,
      method: "POST",
      json: { entity: "deal", name: "Region", kind: "text" },
      env: { DB: raceBeforeBatch(env.DB, /^insert into "custom_fields"/i, insertTwin("R\u00e9gion")) },
    });
    expect((await problemOf(created)).errors).toEqual([{ field: "name", message: message("R\u00e9gion") }]);
    const renamed = await api(`/custom_fields/${area.id}`, {
      key,
      method: "PATCH",
      json: { name: "Sector" },
      env: { DB: raceBeforeBatch(env.DB, /^update "custom_fields"/i, insertTwin("S\u00e9ctor")) },
    });
    expect(renamed.status).toBe(422);
    expect((await problemOf(renamed)).errors).toEqual([{ field: "name", message: message("S\u00e9ctor") }]);
    const { results } = await env.DB.prepare("SELECT name FROM custom_fields WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(["Area", "R\u00e9gion", "S\u00e9ctor"]);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'custom_field.%'",
    )
      .bind(owner.tenantId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["custom_field.created"]);
  });
});
