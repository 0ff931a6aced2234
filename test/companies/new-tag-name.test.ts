/**
 * The company form's "New tag" follows the same rule as the contact and deal forms and the API: no ";" in a
 * tag's name, because ";" separates tags in exports and imports.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { crmSnapshot, fieldError } from "./helpers";

describe("the company form's new tag", () => {
  it("refuses a name with “;” by the field, writing nothing", async () => {
    const owner = await newTenant("Company Tag Co");
    const before = await crmSnapshot(owner.tenantId);
    const res = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "Analytical Engines", new_tag: "North; South" },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-new_tag")).toContain("cannot contain “;”");
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);

    // The same name without ";" is a tag like any other.
    const ok = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "Analytical Engines", new_tag: "North and South" },
    });
    expect(ok.status, await ok.clone().text()).toBe(303);
  });
});
