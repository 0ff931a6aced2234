/**
 * The deal form's contact combobox: its options find any of the workspace's contacts through the search index
 * (the plain select holds the first 500 by name), never another workspace's, and nothing typed breaks the
 * search; the form keeps its plain selects for browsers without JavaScript.
 */
import { describe, expect, it } from "vitest";
import { createContact, insertContacts } from "../contacts/contact-helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

/** Each option: its contact id (or none) and its text. */
const optionsOf = (html: string) =>
  [...html.matchAll(/<div role="option"([^>]*)>(.*?)<\/div>/g)].map((m) => [
    Number(m[1]!.match(/data-id="(\d+)"/)?.[1]) || null,
    m[2]!.replace(/<[^>]+>/g, ""),
  ]);

describe("the deal form's contact combobox", () => {
  it("finds any of the workspace's contacts, the 501st by name too, and never another workspace's", async () => {
    const t = await newTenant("Deal Combo Co");
    const other = await newTenant("Deal Combo Other");
    await insertContacts(t.tenantId, 501, { prefix: "Aaron" });
    const zed = await createContact(t.cookie, { first_name: "Zed", last_name: "Zulu", emails: "zed@zulu.example" });
    await createContact(other.cookie, { first_name: "Zelda", last_name: "Zulu", emails: "zelda@theirs.example" });
    // Without JavaScript the select offers the first 500 by name: Zed is not among them.
    const form = await textOf("/app/deals/new", { cookie: t.cookie });
    expect(form).not.toContain(`<option value="${zed}">`);
    expect(form).toMatch(/<div class="field record-combobox" data-options="\/app\/deals\/contact-options"/);
    expect(form).toMatch(/<select id="f-contact_ids-0" name="contact_ids"/);

    const html = await textOf("/app/deals/contact-options?q=zulu", { cookie: t.cookie });
    expect(optionsOf(html)).toEqual([[zed, "Zed Zulu · zed@zulu.example"]]);
    expect(optionsOf(await textOf("/app/deals/contact-options?q=zul", { cookie: t.cookie }))).toEqual([
      [zed, "Zed Zulu · zed@zulu.example"],
    ]);
    // Ten at most, and a word that matches nothing says so.
    expect(optionsOf(await textOf("/app/deals/contact-options?q=aaron", { cookie: t.cookie }))).toHaveLength(10);
    expect(optionsOf(await textOf("/app/deals/contact-options?q=zelda", { cookie: t.cookie }))).toEqual([
      [null, "No contact matches “zelda”"],
    ]);
  });

  it("reads anything typed as words: search syntax, markup and nothing at all answer options, never an error", async () => {
    const t = await newTenant("Deal Combo Hostile");
    await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace" });
    for (const q of ['"', "*", "ada OR 1=1", "NEAR(ada lovelace)", "ada*", "-ada", "tenant : x", "(", "%", "", " "]) {
      const res = await send(`/app/deals/contact-options?q=${encodeURIComponent(q)}`, { cookie: t.cookie });
      expect(res.status, q).toBe(200);
      await res.text();
    }
    const markup = await textOf(`/app/deals/contact-options?q=${encodeURIComponent("<img src=x onerror=a()>")}`, {
      cookie: t.cookie,
    });
    expect(markup).not.toContain("<img");
    expect(markup).toContain("&lt;img");
    expect(optionsOf(await textOf("/app/deals/contact-options?q=ada%20lov", { cookie: t.cookie }))).toHaveLength(1);
  });

  it("is for those who may write deals: a viewer is refused", async () => {
    const t = await newTenant("Deal Combo Roles");
    const viewer = await memberOf(t.tenantId, "viewer");
    expect((await send("/app/deals/contact-options?q=ada", { cookie: viewer.cookie })).status).toBe(403);
  });
});
