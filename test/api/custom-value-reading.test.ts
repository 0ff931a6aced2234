/**
 * How the API reads custom values the app's own form and the importer would read differently: checkbox words
 * ("false" and "no" leave a box unticked, as a CSV import reads them) and numbers, stored as plain decimal text
 * with at most 15 digits so that the app's edit form can show them and save them again.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Contact = { id: number; custom_fields: Record<string, { kind: string; value: unknown }> };

async function workspace(name: string, kind: string, fieldName: string) {
  const owner = await newTenant(name);
  const key = await makeKey(owner.cookie);
  const res = await api("/custom_fields", { key, method: "POST", json: { entity: "contact", name: fieldName, kind } });
  expect(res.status, await res.clone().text()).toBe(201);
  const create = (value: unknown) =>
    api("/contacts", { key, method: "POST", json: { first_name: "Ada", custom_fields: { [fieldName]: value } } });
  return { owner, key, create };
}

async function contactCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return row!.n;
}

describe("API checkbox values", () => {
  it("reads the importer's words for a box, and refuses any other word by the field", async () => {
    const { owner, key, create } = await workspace("Checkbox Words Co", "checkbox", "Newsletter");
    for (const value of ["false", "no", "No", "0", "off", false, 0]) {
      const res = await create(value);
      expect(res.status, JSON.stringify(value)).toBe(201);
      expect(((await res.json()) as Contact).custom_fields.Newsletter, JSON.stringify(value)).toBeUndefined();
    }
    for (const value of ["true", "yes", "YES", "1", "on", true, 1]) {
      const res = await create(value);
      expect(res.status, JSON.stringify(value)).toBe(201);
      expect(((await res.json()) as Contact).custom_fields.Newsletter, JSON.stringify(value)).toMatchObject({
        kind: "checkbox",
      });
    }

    const before = await contactCount(owner.tenantId);
    for (const value of ["maybe", "x", 2]) {
      const res = await create(value);
      expect(res.status, JSON.stringify(value)).toBe(422);
      expect((await problemOf(res)).errors, JSON.stringify(value)).toEqual([
        { field: "custom_fields.Newsletter", message: expect.stringContaining("true or false") },
      ]);
    }
    expect(await contactCount(owner.tenantId)).toBe(before);

    // An update unticks with "no" too.
    const ticked = (await (await create("yes")).json()) as Contact;
    const patch = await api(`/contacts/${ticked.id}`, {
      key,
      method: "PATCH",
      json: { custom_fields: { Newsletter: "no" } },
    });
    expect(patch.status, await patch.clone().text()).toBe(200);
    expect(((await patch.json()) as Contact).custom_fields.Newsletter).toBeUndefined();
  });
});

describe("API number values", () => {
  it("stores plain decimal text the edit form shows and saves again", async () => {
    const { owner, create } = await workspace("Number Text Co", "number", "Score");
    for (const [sent, stored] of [
      [0.0000001, "0.0000001"],
      ["1e-7", "0.0000001"],
      ["1.5e3", "1500"],
      [123456789012345, "123456789012345"],
      ["-0.25", "-0.25"],
    ] as const) {
      const res = await create(sent);
      expect(res.status, JSON.stringify(sent)).toBe(201);
      const contact = (await res.json()) as Contact;
      expect(contact.custom_fields.Score?.value, JSON.stringify(sent)).toBe(stored);
    }

    // The app's edit form shows the tiny one as a number and takes it back unchanged.
    const tiny = (await (await create(0.0000001)).json()) as Contact;
    const edit = await textOf(`/app/contacts/${tiny.id}/edit`, { cookie: owner.cookie });
    const shown = edit.match(/name="cf_(\d+)"[^>]* value="([^"]*)"/);
    expect(shown?.[2]).toBe("0.0000001");
    const saved = await send(`/app/contacts/${tiny.id}`, {
      cookie: owner.cookie,
      form: { first_name: "Ada", job_title: "Analyst", [`cf_${shown![1]}`]: shown![2]! },
    });
    expect(saved.status, await saved.clone().text()).toBe(303);
  });

  it("refuses a number of more than 15 digits by the field, writing nothing", async () => {
    const { owner, key, create } = await workspace("Number Digits Co", "number", "Score");
    // A client's JSON number of 20 digits, as sent (JavaScript itself would round it on the way).
    const raw = (n: string) =>
      api("/contacts", { key, method: "POST", body: `{"first_name":"Ada","custom_fields":{"Score":${n}}}` });
    for (const [label, res] of [
      ["12345678901234567890", await raw("12345678901234567890")],
      ["1e21", await raw("1e21")],
      ['"12345678901234567890"', await create("12345678901234567890")],
      ['"1234567890123456"', await create("1234567890123456")],
      ['"0.1234567890123456"', await create("0.1234567890123456")],
    ] as const) {
      expect(res.status, label).toBe(422);
      expect((await problemOf(res)).errors, label).toEqual([
        { field: "custom_fields.Score", message: "Score has more than 15 digits." },
      ]);
    }
    expect(await contactCount(owner.tenantId)).toBe(0);
  });
});
