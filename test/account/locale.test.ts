/**
 * Each reader's number and date format: chosen in the profile (else the workspace's), it writes the
 * amounts and dates they see and reads the amounts they type, so two colleagues in one workspace each
 * see and type a deal's amount their own way and store the same minor units.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact, fieldError, post } from "../contacts/contact-helpers";
import { createDeal, dealRow, pipelinesOf } from "../deals/helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

async function localeOf(email: string): Promise<string | null> {
  return (await env.DB.prepare("SELECT locale FROM users WHERE email = ?")
    .bind(email)
    .first<{ locale: string | null }>())!.locale;
}

/** The amount field's value on the deal's edit form. */
async function amountTyped(cookie: string, id: number): Promise<string> {
  const html = await textOf(`/app/deals/${id}/edit`, { cookie });
  return html
    .match(/name="amount"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="amount"/)!
    .slice(1)
    .find(Boolean)!;
}

describe("each reader's number and date format", () => {
  it("two members see one deal's amount their own way on the board and its page, and each saves it typed their way", async () => {
    const owner = await newTenant("Two Formats Co");
    await env.DB.prepare("UPDATE tenants SET currency = 'EUR' WHERE id = ?").bind(owner.tenantId).run();
    const german = await memberOf(owner.tenantId, "member");
    const chosen = await send("/app/settings/profile/locale", { cookie: german.cookie, form: { locale: "de-DE" } });
    expect(chosen.status).toBe(303);
    expect(await localeOf(german.email)).toBe("de-DE");
    expect(await localeOf(owner.email)).toBeNull();

    const stage = String((await pipelinesOf(owner.tenantId))[0]!.stages[0]!.id);
    const id = await createDeal(owner.cookie, { name: "Engine", amount: "12,500", currency: "EUR", stage_id: stage });
    expect((await dealRow(id))!.amount_minor).toBe(1_250_000);

    // The board (whole units) and the deal's page (with cents), each reader's way.
    const board = (cookie: string) => textOf("/app/deals", { cookie });
    expect(await board(german.cookie)).toContain("<b>12.500\u00a0€</b>");
    expect(await board(owner.cookie)).toContain("<b>€12,500</b>");
    expect(await textOf(`/app/deals/${id}`, { cookie: german.cookie })).toContain("12.500,00\u00a0€");
    expect(await textOf(`/app/deals/${id}`, { cookie: owner.cookie })).toContain("€12,500.00");
    expect(await amountTyped(german.cookie, id)).toBe("12.500,00");
    expect(await amountTyped(owner.cookie, id)).toBe("12,500.00");

    // Each types it as their form shows it; the stored minor units are the same.
    const save = (cookie: string, amount: string) =>
      post(`/app/deals/${id}`, cookie, { name: "Engine", amount, currency: "EUR", stage_id: stage });
    expect((await save(german.cookie, "12.500,50")).status).toBe(303);
    expect((await dealRow(id))!.amount_minor).toBe(1_250_050);
    expect((await save(owner.cookie, "12,500.75")).status).toBe(303);
    expect((await dealRow(id))!.amount_minor).toBe(1_250_075);
    expect((await save(owner.cookie, "12,500.50")).status).toBe(303);
    expect((await dealRow(id))!.amount_minor).toBe(1_250_050);
    // The other's way is refused by the field rather than misread (a German "12.500" is not 12.5).
    const misread = await save(german.cookie, "12,500.50");
    expect(misread.status).toBe(422);
    expect(fieldError(await misread.text(), "f-amount")).toMatch(/12\.500,50/);
    expect((await dealRow(id))!.amount_minor).toBe(1_250_050);

    // Filters read amounts the reader's way too.
    expect(await textOf("/app/deals?min=12.000", { cookie: german.cookie })).toContain(`href="/app/deals/${id}"`);
    expect(await textOf("/app/deals?min=12.600", { cookie: german.cookie })).not.toContain(`href="/app/deals/${id}"`);
  });

  it("refuses a format not on the list with a 400 and the message by the field; nothing changes", async () => {
    const user = await newTenant("Odd Format Co");
    await send("/app/settings/profile/locale", { cookie: user.cookie, form: { locale: "sv-SE" } });
    for (const bad of ["xx-XX", "de", "de-de", "en-US-x-evil", "'; DROP TABLE users; --", "x".repeat(300)]) {
      const res = await send("/app/settings/profile/locale", { cookie: user.cookie, form: { locale: bad } });
      expect(res.status, bad).toBe(400);
      const html = await res.text();
      expect(html).toContain('id="locale-error"');
      expect(html).toContain("Choose a format from the list.");
      expect(await localeOf(user.email), bad).toBe("sv-SE");
    }
    // Back to the workspace's.
    expect((await send("/app/settings/profile/locale", { cookie: user.cookie, form: { locale: "" } })).status).toBe(
      303,
    );
    expect(await localeOf(user.email)).toBeNull();
    const profile = await textOf("/app/settings/profile", { cookie: user.cookie });
    expect(profile).toContain("de-DE: 12.500,50 · 5.12.2026");
    expect(profile).toContain("en-US: 12,500.50 · 12/5/2026");
  });

  it("writes times and calendar dates the reader's way, in their zone, never moving a calendar date", async () => {
    const owner = await newTenant("Dates Co");
    const german = await memberOf(owner.tenantId, "member");
    await send("/app/settings/profile/locale", { cookie: german.cookie, form: { locale: "de-DE" } });
    // Far east of UTC: a calendar date must still read as the same day.
    await send("/app/settings/profile/time-zone", { cookie: german.cookie, form: { time_zone: "Pacific/Kiritimati" } });
    await send("/app/settings/profile/time-zone", { cookie: owner.cookie, form: { time_zone: "America/New_York" } });
    const contact = await createContact(owner.cookie, { first_name: "Time", last_name: "Reader" });
    await send(`/app/contacts/${contact}/notes`, { cookie: owner.cookie, form: { body: "Called" } });
    const at = Date.UTC(2026, 11, 5, 14, 4);
    await env.DB.prepare("UPDATE notes SET created_at = ? WHERE subject_id = ? AND subject_type = 'contact'")
      .bind(at, contact)
      .run();
    const noteTime = async (cookie: string) =>
      (await textOf(`/app/contacts/${contact}`, { cookie })).match(
        new RegExp(`<time datetime="${new Date(at).toISOString()}">([^<]+)</time>`),
      )?.[1];
    expect(await noteTime(owner.cookie)).toBe("12/5/2026, 9:04 AM EST");
    expect(await noteTime(german.cookie)).toBe("6.12.2026, 04:04 GMT+14");

    const stage = String((await pipelinesOf(owner.tenantId))[0]!.stages[0]!.id);
    const id = await createDeal(owner.cookie, { name: "Dated", stage_id: stage, close_date: "2027-03-31" });
    const closeShown = async (cookie: string) =>
      (await textOf(`/app/deals/${id}`, { cookie })).match(/<time datetime="2027-03-31">([^<]+)<\/time>/)?.[1];
    expect(await closeShown(owner.cookie)).toBe("3/31/2027");
    expect(await closeShown(german.cookie)).toBe("31.3.2027");
    // A custom date field is a calendar date too.
    const field = (await env.DB.prepare(
      `INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at)
       VALUES (?, 'deal', 'Renewal', 'renewal', 'date', NULL, 0, ?) RETURNING id`,
    )
      .bind(owner.tenantId, Date.now())
      .first<{ id: number }>())!.id;
    await env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, '2027-12-01')",
    )
      .bind(owner.tenantId, field, id)
      .run();
    expect(await textOf(`/app/deals/${id}`, { cookie: german.cookie })).toContain(
      '<time datetime="2027-12-01">1.12.2027</time>',
    );
    // The date input stays ISO, which is what the browser posts back.
    expect(await textOf(`/app/deals/${id}/edit`, { cookie: german.cookie })).toContain('value="2027-03-31"');
    // The contacts list's Updated column follows the locale too.
    const list = await textOf("/app/contacts", { cookie: german.cookie });
    expect(list).toMatch(/<td data-label="Updated"><time datetime="[^"]+">\d{1,2}\.\d{1,2}\.\d{4}<\/time><\/td>/);
  });
});
