/** Settings → Workspace: the deals' default currency and number format. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { fieldError, page } from "./list-helpers";

const PATH = "/app/settings/workspace";

async function settingsOf(tenantId: string) {
  return env.DB.prepare("SELECT currency, locale FROM tenants WHERE id = ?")
    .bind(tenantId)
    .first<{ currency: string; locale: string }>();
}

describe("currency and number format", () => {
  it("an admin picks a currency from the list or types any valid code, and a number format", async () => {
    const owner = await newTenant("Money Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const html = await page(PATH, admin.cookie);
    expect(html).toContain("de-DE: 12.500,50");
    expect(html).toContain("en-US: 12,500.50");
    const picked = await send(PATH, {
      cookie: admin.cookie,
      form: { default_region: "US", currency: "EUR", locale: "fr-FR" },
    });
    expect(picked.status).toBe(303);
    expect(await settingsOf(owner.tenantId)).toEqual({ currency: "EUR", locale: "fr-FR" });
    const typed = await send(PATH, {
      cookie: admin.cookie,
      form: { default_region: "US", currency: "EUR", currency_other: " thb ", locale: "ja-JP" },
    });
    expect(typed.status).toBe(303);
    expect(await settingsOf(owner.tenantId)).toEqual({ currency: "THB", locale: "ja-JP" });
    const audit = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'workspace.updated' ORDER BY id DESC LIMIT 1",
    )
      .bind(owner.tenantId)
      .first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ currency: "EUR → THB", locale: "fr-FR → ja-JP" });
  });

  it("a code that is not ISO 4217, or a format not on the list, is refused by its field; nothing changes", async () => {
    const owner = await newTenant("Bad Money Co");
    const cases: [Record<string, string>, string, string][] = [
      [
        { currency_other: "XYZ" },
        "f-currency_other",
        "Enter a three-letter ISO 4217 currency code, such as USD or EUR.",
      ],
      [
        { currency_other: "euro" },
        "f-currency_other",
        "Enter a three-letter ISO 4217 currency code, such as USD or EUR.",
      ],
      [{ currency: "ABC" }, "f-currency", "Enter a three-letter ISO 4217 currency code, such as USD or EUR."],
      [{ currency: "EUR", locale: "xx-XX" }, "f-locale", "Choose a number format from the list."],
    ];
    for (const [form, id, message] of cases) {
      const res = await send(PATH, {
        cookie: owner.cookie,
        form: { default_region: "GB", company_name: "Bad Money Co", ...form },
      });
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(fieldError(await res.text(), id), JSON.stringify(form)).toBe(message);
    }
    expect(await settingsOf(owner.tenantId)).toEqual({ currency: "USD", locale: "en-US" });
    const region = await env.DB.prepare("SELECT default_region FROM tenants WHERE id = ?")
      .bind(owner.tenantId)
      .first<{ default_region: string }>();
    expect(region!.default_region).toBe("US");
  });
});
