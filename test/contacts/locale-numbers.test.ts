/**
 * Custom number fields take numbers as people write them in their own locale (users.locale, else the
 * workspace's): "1.234,5" in de, "1,234.5" in en, stored as "1234.5" and shown back their way; anything
 * else is a 422 with the message by the field and nothing written.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { fieldError, insertField } from "../companies/helpers";

async function setLocale(email: string, locale: string) {
  await env.DB.prepare("UPDATE users SET locale = ? WHERE email = ?").bind(locale, email).run();
}

async function storedValue(fieldId: number) {
  return (
    await env.DB.prepare("SELECT value FROM custom_field_values WHERE field_id = ?")
      .bind(fieldId)
      .first<{ value: string }>()
  )?.value;
}

async function createContact(cookie: string, form: Record<string, string>) {
  return send("/app/contacts", { cookie, form: { first_name: "Ada", ...form } });
}

describe("custom number fields in the reader's locale", () => {
  it.each([
    ["de", "1.234,5"],
    ["de", "-0,25"],
    ["en", "1,234.5"],
    ["en", "1234.5"],
  ])("in %s, %s is stored canonically and shown back the same way", async (locale, typed) => {
    const t = await newTenant(`Numbers ${locale}`);
    await setLocale(t.email, locale);
    const field = await insertField(t.tenantId, "contact", "Revenue", "number");
    const res = await createContact(t.cookie, { [`cf_${field}`]: typed });
    expect(res.status, await res.clone().text()).toBe(303);
    const expected = typed === "-0,25" ? "-0.25" : "1234.5";
    expect(await storedValue(field)).toBe(expected);
    const id = res.headers.get("Location")!.split("/").pop();
    const edit = await textOf(`/app/contacts/${id}/edit`, { cookie: t.cookie });
    const shown = typed === "1234.5" ? "1,234.5" : typed;
    expect(edit).toMatch(new RegExp(`name="cf_${field}"[^>]* value="${shown}"`));
    const page = await textOf(`/app/contacts/${id}`, { cookie: t.cookie });
    expect(page).toContain(shown);
  });

  it.each([
    ["de", "1,234.5", "1.234,5"],
    ["de", "1.5", "1.234,5"],
    ["en", "1.234,5", "1,234.5"],
    ["en", "twelve", "1,234.5"],
    ["en", "1e5", "1,234.5"],
  ])("in %s, refuses %s with a message by the field and writes nothing", async (locale, typed, example) => {
    const t = await newTenant(`Bad numbers ${locale}`);
    await setLocale(t.email, locale);
    const field = await insertField(t.tenantId, "contact", "Revenue", "number");
    const res = await createContact(t.cookie, { [`cf_${field}`]: typed });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), `f-cf_${field}`)).toBe(`Revenue must be a number, such as ${example}.`);
    expect(await storedValue(field)).toBeUndefined();
    const count = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("reads a company's number field in the reader's locale too, and an edit round-trips", async () => {
    const t = await newTenant("Numbers Companies");
    await setLocale(t.email, "de");
    const field = await insertField(t.tenantId, "company", "Staff", "number");
    const res = await send("/app/companies", {
      cookie: t.cookie,
      form: { name: "Zahlen GmbH", [`cf_${field}`]: "12.500" },
    });
    expect(res.status).toBe(303);
    expect(await storedValue(field)).toBe("12500");
    const id = res.headers.get("Location")!.split("/").pop();
    const edit = await textOf(`/app/companies/${id}/edit`, { cookie: t.cookie });
    expect(edit).toMatch(new RegExp(`name="cf_${field}"[^>]* value="12\\.500"`));
    const again = await send(`/app/companies/${id}`, {
      cookie: t.cookie,
      form: { name: "Zahlen GmbH", [`cf_${field}`]: "12.500" },
    });
    expect(again.status).toBe(303);
    expect(await storedValue(field)).toBe("12500");
  });
});
