/**
 * A workspace has at most 2,000 tags and 500 custom fields per record type (every form and filter loads them
 * all): past that, the API and the settings forms refuse a new one by its name field with a 422.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey, problemOf } from "../api/helpers";
import { fieldError } from "../companies/helpers";
import { send } from "../helpers/http";
import { countRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";

/** `count` rows named "<prefix> 1", "<prefix> 2"... in one statement (setup). */
function fill(table: "tags" | "custom_fields", tenantId: string, count: number, prefix: string, entity = "contact") {
  const rows = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) `;
  const statement =
    table === "tags"
      ? `${rows} INSERT INTO tags (tenant_id, name, name_key, color, created_at)
          SELECT ?, ? || ' ' || i, lower(?) || ' ' || i, 'gray', 0 FROM n`
      : `${rows} INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at)
          SELECT ?, '${entity}', ? || ' ' || i, lower(?) || ' ' || i, 'text', NULL, i, 0 FROM n`;
  return env.DB.prepare(statement).bind(count, tenantId, prefix, prefix).run();
}

// The limits as users read them in the messages (src/lib/setting-names.ts holds them).
const MAX_TAGS = 2_000;
const MAX_FIELDS = 500;

describe("limits on tags and custom fields", () => {
  it("the 2,001st tag is refused by its name, through the API and Settings → Tags; renames still work", async () => {
    const owner = await newTenant("Tag Limit Co");
    const key = await makeKey(owner.cookie);
    await fill("tags", owner.tenantId, MAX_TAGS - 1, "Tag");
    const last = await api("/tags", { key, method: "POST", json: { name: "Last one" } });
    expect(last.status).toBe(201);

    const over = await api("/tags", { key, method: "POST", json: { name: "One too many" } });
    expect(over.status).toBe(422);
    const message = "This workspace has 2,000 tags, the most it can have. Delete one you no longer use first.";
    expect((await problemOf(over)).errors).toEqual([{ field: "name", message }]);
    const form = await send("/app/settings/tags", { cookie: owner.cookie, form: { name: "Form one", color: "red" } });
    expect(form.status).toBe(422);
    expect(fieldError(await form.text(), "f-name")).toBe(message);
    expect(await countRows("tags", "tenant_id = ?", owner.tenantId)).toBe(MAX_TAGS);

    const { id } = (await last.json()) as { id: number };
    expect((await api(`/tags/${id}`, { key, method: "PATCH", json: { name: "Renamed" } })).status).toBe(200);
    // A company form naming an existing tag (written another way) still links it at the limit.
    const company = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "Acme", new_tag: "renamed\u200b" },
    });
    expect(company.status).toBe(303);
    expect(await countRows("company_tags", "tenant_id = ? AND tag_id = ?", owner.tenantId, id)).toBe(1);
  });

  it("a record form's New tag past the limit gets the form back with the message by the field, nothing written", async () => {
    const owner = await newTenant("Tag Limit Forms Co");
    await fill("tags", owner.tenantId, MAX_TAGS, "Tag");
    const message = "A workspace has at most 2,000 tags: choose an existing one.";
    const stage = await env.DB.prepare(
      "SELECT id, pipeline_id FROM pipeline_stages WHERE tenant_id = ? ORDER BY pipeline_id, position LIMIT 1",
    )
      .bind(owner.tenantId)
      .first<{ id: number; pipeline_id: number }>();
    const forms: [string, Record<string, string>][] = [
      ["/app/contacts", { first_name: "Ada", new_tag: "Brand new" }],
      ["/app/companies", { name: "Acme", new_tag: "Brand new" }],
      [
        "/app/deals",
        {
          name: "Big deal",
          amount: "10",
          pipeline_id: String(stage!.pipeline_id),
          stage_id: String(stage!.id),
          new_tag: "Brand new",
        },
      ],
    ];
    for (const [path, form] of forms) {
      const res = await send(path, { cookie: owner.cookie, form });
      expect(res.status, path).toBe(422);
      expect(fieldError(await res.text(), "f-new_tag"), path).toBe(message);
    }
    const company = await send("/app/companies", { cookie: owner.cookie, form: { name: "Kept Ltd" } });
    const companyId = company.headers.get("Location")!.split("/").pop();
    const edit = await send(`/app/companies/${companyId}`, {
      cookie: owner.cookie,
      form: { name: "Kept Ltd", new_tag: "Brand new" },
    });
    expect(edit.status).toBe(422);
    expect(fieldError(await edit.text(), "f-new_tag")).toBe(message);
    expect(await countRows("tags", "tenant_id = ?", owner.tenantId)).toBe(MAX_TAGS);
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);
    expect(await countRows("deals", "tenant_id = ?", owner.tenantId)).toBe(0);
    expect(await countRows("companies", "tenant_id = ?", owner.tenantId)).toBe(1);
  });

  it("the 501st field of a record type is refused by its name; other record types keep their room", async () => {
    const owner = await newTenant("Field Limit Co");
    const key = await makeKey(owner.cookie);
    await fill("custom_fields", owner.tenantId, MAX_FIELDS - 1, "Field");
    const post = (name: string, entity = "contact") =>
      api("/custom_fields", { key, method: "POST", json: { entity, name, kind: "text" } });
    expect((await post("Last one")).status).toBe(201);

    const over = await post("One too many");
    expect(over.status).toBe(422);
    const message = "This workspace has 500 contact fields, the most it can have. Delete one you no longer use first.";
    expect((await problemOf(over)).errors).toEqual([{ field: "name", message }]);
    const form = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "contact", name: "Form one", kind: "text", options: "" },
    });
    expect(form.status).toBe(422);
    expect(fieldError(await form.text(), "f-name")).toBe(message);
    expect(await countRows("custom_fields", "tenant_id = ? AND entity = 'contact'", owner.tenantId)).toBe(500);

    expect((await post("Company one", "company")).status).toBe(201);
    expect((await post("Deal one", "deal")).status).toBe(201);
  });
});
