/**
 * The contact form keeps numbers as it can show them again: plain decimal text (a tiny number is not stored
 * as "1e-7", which the form would then refuse), and at most 15 digits (a double keeps no more).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fieldError, insertField } from "../companies/helpers";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

async function storedValue(fieldId: number) {
  return (
    await env.DB.prepare("SELECT value FROM custom_field_values WHERE field_id = ?")
      .bind(fieldId)
      .first<{ value: string }>()
  )?.value;
}

describe("a number typed in the contact form", () => {
  it("is stored as plain decimal text and saves again from the edit form", async () => {
    const t = await newTenant("Form Digits Co");
    await env.DB.prepare("UPDATE users SET locale = 'de' WHERE email = ?").bind(t.email).run();
    const field = await insertField(t.tenantId, "contact", "Score", "number");
    const res = await send("/app/contacts", {
      cookie: t.cookie,
      form: { first_name: "Ada", [`cf_${field}`]: "0,0000001" },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await storedValue(field)).toBe("0.0000001");
    const id = res.headers.get("Location")!.split("/").pop();
    const edit = await textOf(`/app/contacts/${id}/edit`, { cookie: t.cookie });
    expect(edit).toMatch(new RegExp(`name="cf_${field}"[^>]* value="0,0000001"`));
    const again = await send(`/app/contacts/${id}`, {
      cookie: t.cookie,
      form: { first_name: "Ada", [`cf_${field}`]: "0,0000001" },
    });
    expect(again.status, await again.clone().text()).toBe(303);

    const long = await send(`/app/contacts/${id}`, {
      cookie: t.cookie,
      form: { first_name: "Ada", [`cf_${field}`]: "123.456.789,1234567" },
    });
    expect(long.status).toBe(422);
    expect(fieldError(await long.text(), `f-cf_${field}`)).toBe("Score has more than 15 digits.");
    expect(await storedValue(field)).toBe("0.0000001");
  });
});
