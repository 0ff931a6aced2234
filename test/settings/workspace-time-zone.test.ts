/** The workspace's time zone is stored as the list names it, however it was typed, so the page shows it chosen. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

describe("the workspace time zone", () => {
  it("takes a zone in other letter cases as its listed name, and the settings page shows it selected", async () => {
    const owner = await newTenant("Zone Case Co");
    const res = await send("/app/settings/workspace", {
      cookie: owner.cookie,
      form: { default_region: "DE", company_name: "Zone Case Co", time_zone: "europe/berlin" },
    });
    expect(res.status).toBe(303);
    const stored = await env.DB.prepare("SELECT time_zone FROM tenants WHERE id = ?")
      .bind(owner.tenantId)
      .first<string>("time_zone");
    expect(stored).toBe("Europe/Berlin");
    const page = await textOf("/app/settings/workspace", { cookie: owner.cookie });
    expect(page).toMatch(/<option value="Europe\/Berlin" selected/);
    expect(page).not.toContain("europe/berlin");
  });
});
