/**
 * Settings → Custom fields edits a field in place (its name, a choice field's options) with the API's rules, so an
 * admin never deletes a field, and every record's value with it, to add an option or fix a typo; and moves fields
 * up and down with plain forms.
 */
import { describe, expect, it } from "vitest";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf, createCompanyThroughForm, fieldError } from "../companies/helpers";

const page = async (path: string, cookie: string) => {
  const res = await send(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
};

async function fieldsOf(tenantId: string) {
  return queryRows<{ id: number; entity: string; name: string; kind: string; options: string | null }>(
    "SELECT id, entity, name, kind, options FROM custom_fields WHERE tenant_id = ? ORDER BY id",
    tenantId,
  );
}

/** Creates a field through the settings form; its id. */
async function createField(cookie: string, tenantId: string, form: Record<string, string>): Promise<number> {
  const res = await send("/app/settings/fields", { cookie, form: { options: "", ...form } });
  expect(res.status, JSON.stringify(form)).toBe(303);
  return (await fieldsOf(tenantId)).at(-1)!.id;
}

describe("editing a custom field in Settings → Custom fields", () => {
  it("renames a field and edits a choice field's options; records keep their values", async () => {
    const owner = await newTenant("Field Edit Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const tier = await createField(admin.cookie, owner.tenantId, {
      entity: "company",
      name: "Teir",
      kind: "select",
      options: "gold\nsilver",
    });
    const company = await createCompanyThroughForm(owner.cookie, { name: "Golden", [`cf_${tier}`]: "gold" });

    const list = await page("/app/settings/fields", admin.cookie);
    expect(list).toContain(`href="/app/settings/fields/${tier}/edit"`);
    const form = await page(`/app/settings/fields/${tier}/edit`, admin.cookie);
    expect(form).toContain(`action="/app/settings/fields/${tier}"`);
    expect(form).toMatch(/<input id="f-name" name="name" type="text" value="Teir"/);
    expect(form).toMatch(/<textarea id="f-options"[^>]*>gold\nsilver<\/textarea>/);

    // The typo fixed and "bronze" added: the field keeps its id, and Golden its value.
    const saved = await send(`/app/settings/fields/${tier}`, {
      cookie: admin.cookie,
      form: { name: "Tier", options: "gold\nsilver\nbronze" },
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/app/settings/fields?notice=updated#field-${tier}`);
    expect(await fieldsOf(owner.tenantId)).toEqual([
      { id: tier, entity: "company", name: "Tier", kind: "select", options: '["gold","silver","bronze"]' },
    ]);
    const golden = await page(`/app/companies/${company}`, owner.cookie);
    expect(golden).toContain("Tier");
    expect(golden).toContain("gold");
    expect(await page("/app/companies/new", owner.cookie)).toContain(`<option value="bronze">bronze</option>`);
    expect(await page("/app/settings/fields?notice=updated", admin.cookie)).toContain("Field saved.");

    // Dropping (or renaming) an option Golden holds is refused by the options, with the form as typed.
    const refused = await send(`/app/settings/fields/${tier}`, {
      cookie: admin.cookie,
      form: { name: "Level", options: "Gold\nsilver" },
    });
    expect(refused.status).toBe(422);
    const again = await refused.text();
    expect(fieldError(again, "f-options")).toBe("Records hold “gold”: change them before dropping it.");
    expect(again).toMatch(/value="Level"/);
    expect(again).toMatch(/<textarea id="f-options"[^>]*>Gold\nsilver<\/textarea>/);
    // A name that is a built-in column's, or none, or no option at all: refused beside the field.
    for (const [typed, id, message] of [
      [{ name: "Domain", options: "gold" }, "f-name", "“Domain” is already a company column"],
      [{ name: " ", options: "gold" }, "f-name", "Enter name."],
      [{ name: "Tier", options: "\n \n" }, "f-options", "at least one option"],
    ] as const) {
      const res = await send(`/app/settings/fields/${tier}`, { cookie: admin.cookie, form: typed });
      expect(res.status, JSON.stringify(typed)).toBe(422);
      expect(fieldError(await res.text(), id)).toContain(message);
    }
    expect((await fieldsOf(owner.tenantId))[0]).toMatchObject({ name: "Tier", options: '["gold","silver","bronze"]' });

    // A text field has no options: the form shows none and ignores any sent.
    const notes = await createField(admin.cookie, owner.tenantId, { entity: "company", name: "Notes", kind: "text" });
    expect(await page(`/app/settings/fields/${notes}/edit`, admin.cookie)).not.toContain('name="options"');
    const renamed = await send(`/app/settings/fields/${notes}`, {
      cookie: admin.cookie,
      form: { name: "Remarks", options: "sneaky" },
    });
    expect(renamed.status).toBe(303);
    expect((await fieldsOf(owner.tenantId))[1]).toMatchObject({ name: "Remarks", options: null });

    expect((await auditOf(owner.tenantId, "custom_field.updated")).map((e) => e.target_label)).toEqual([
      "Tier",
      "Remarks",
    ]);
  });

  it("moves fields up and down within their record type, with plain forms", async () => {
    const owner = await newTenant("Field Order Co");
    const ids: number[] = [];
    for (const name of ["Alpha", "Bravo", "Charlie"])
      ids.push(await createField(owner.cookie, owner.tenantId, { entity: "contact", name, kind: "text" }));
    const deal = await createField(owner.cookie, owner.tenantId, { entity: "deal", name: "Delta", kind: "text" });
    const [alpha, bravo, charlie] = ids as [number, number, number];
    const order = async () => {
      const form = await page("/app/contacts/new", owner.cookie);
      return ["Alpha", "Bravo", "Charlie"].sort((a, b) => form.indexOf(`>${a}<`) - form.indexOf(`>${b}<`));
    };
    const move = (id: number, direction: string) =>
      send(`/app/settings/fields/${id}/move`, { cookie: owner.cookie, form: { direction } });

    // Each row has its buttons; the first cannot go up, the last cannot go down.
    const list = await page("/app/settings/fields", owner.cookie);
    expect(list).toContain(`action="/app/settings/fields/${charlie}/move"`);
    expect(list).toMatch(/<button type="submit" class="secondary small" disabled="" aria-label="Move field Alpha up">/);
    expect(list).toMatch(/disabled="" aria-label="Move field Charlie down"/);
    expect(list).not.toMatch(/disabled="" aria-label="Move field Bravo (up|down)"/);

    const moved = await move(charlie, "up");
    expect(moved.status).toBe(303);
    expect(moved.headers.get("Location")).toBe(`/app/settings/fields?notice=moved#field-${charlie}`);
    expect(await order()).toEqual(["Alpha", "Charlie", "Bravo"]);
    expect((await move(alpha, "down")).status).toBe(303);
    expect(await order()).toEqual(["Charlie", "Alpha", "Bravo"]);
    // At the end already: nothing moves and nothing is audited.
    expect((await move(bravo, "down")).status).toBe(303);
    expect(await order()).toEqual(["Charlie", "Alpha", "Bravo"]);
    expect((await move(bravo, "sideways")).status).toBe(400);
    expect(await order()).toEqual(["Charlie", "Alpha", "Bravo"]);
    // The API lists them in the new order too; the deal field kept its place.
    const positions = await queryRows<{ id: number }>(
      "SELECT id FROM custom_fields WHERE tenant_id = ? AND entity = 'contact' ORDER BY position, id",
      owner.tenantId,
    );
    expect(positions.map((r) => r.id)).toEqual([charlie, alpha, bravo]);
    expect(await queryRows("SELECT position FROM custom_fields WHERE id = ?", deal)).toEqual([{ position: 1 }]);
    expect((await auditOf(owner.tenantId, "custom_field.moved")).map((e) => [e.target_label, e.detail])).toEqual([
      ["Charlie", JSON.stringify({ entity: "contact", direction: "up" })],
      ["Alpha", JSON.stringify({ entity: "contact", direction: "down" })],
    ]);
  });
});
