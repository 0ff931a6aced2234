/**
 * Numbers in an import's custom columns are kept as the app's edit form can show and save them again:
 * plain decimal text (never "1e-7"), and a row with more than 15 digits is skipped with the column named.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "./helpers";

describe("an import's number column", () => {
  it("stores plain decimals and skips a row of more than 15 digits, naming the column", async () => {
    const owner = await newTenant("Import Digits Co");
    const made = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "contact", name: "Score", kind: "number", options: "" },
    });
    expect(made.status).toBe(303);
    const { id, result } = await importFile(
      owner.cookie,
      "First name,Last name,Score\nAda,Lovelace,0.0000001\nAlan,Turing,12345678901234567890\nGrace,Hopper,1234567890123456\nKatherine,Johnson,2.5e3\n",
    );
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 2 });

    const stored = await env.DB.prepare(
      `SELECT c.first_name AS name, v.value FROM custom_field_values v JOIN contacts c ON c.id = v.entity_id
      WHERE v.tenant_id = ? ORDER BY c.first_name`,
    )
      .bind(owner.tenantId)
      .all<{ name: string; value: string }>();
    expect(stored.results).toEqual([
      { name: "Ada", value: "0.0000001" },
      { name: "Katherine", value: "2500" },
    ]);

    const errors = (await (await send(`/app/import/${id}/errors.csv`, { cookie: owner.cookie })).text()).replace(
      /^\uFEFF/,
      "",
    );
    const rows = errors.trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toContain("Column “Score”: Score has more than 15 digits.");
  });
});
