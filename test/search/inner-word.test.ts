/**
 * Search inside words (issue 18): "opper" finds Hopper and "ountess" countess.ada@example.com, in the contacts list
 * and the header's search, only ever in the reader's own workspace; short words still match word starts
 * only, and whatever is typed is text, never search syntax.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCompanyThroughForm } from "../companies/helpers";
import { createContact, listedIds } from "../contacts/contact-helpers";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

const BOX = { "HX-Request": "true", "HX-Target": "global-results" };
const RESULTS = { "HX-Request": "true", "HX-Target": "contact-results" };

async function workspace(name: string) {
  const t = await newTenant(name);
  const grace = await createContact(t.cookie, {
    first_name: "Grace",
    last_name: "Hopper",
    emails: "amazing.grace@navy.mil",
  });
  const ada = await createContact(t.cookie, {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: "countess.ada@example.com",
  });
  return { ...t, grace, ada };
}

/** The contacts the list shows for a search (the results region the search box asks for). */
async function listed(cookie: string, q: string): Promise<number[]> {
  const res = await send(`/app/contacts?q=${encodeURIComponent(q)}`, { cookie, headers: RESULTS });
  expect(res.status, q).toBe(200);
  return listedIds(await res.text()).sort((a, b) => a - b);
}

const contactLinks = (html: string) => [...html.matchAll(/href="\/app\/contacts\/(\d+)"/g)].map((m) => Number(m[1]));

describe("inner-word search", () => {
  it("finds parts inside names and emails as well as word starts, in the list and the header", async () => {
    const w = await workspace("Inner Co");
    expect(await listed(w.cookie, "opper")).toEqual([w.grace]);
    expect(await listed(w.cookie, "OPPER")).toEqual([w.grace]);
    expect(await listed(w.cookie, "velace")).toEqual([w.ada]);
    expect(await listed(w.cookie, "ountess")).toEqual([w.ada]); // countess.ada@example.com
    // A domain is found from its start, not inside it: many contacts share one (migration 0026).
    expect(await listed(w.cookie, "exam")).toEqual([w.ada]);
    expect(await listed(w.cookie, "xample")).toEqual([]);
    expect(await listed(w.cookie, "azing")).toEqual([w.grace]); // amazing.grace@navy.mil
    expect(await listed(w.cookie, "hop")).toEqual([w.grace]); // prefixes as before
    expect(await listed(w.cookie, "race opp")).toEqual([w.grace]); // every word must match
    expect(await listed(w.cookie, "race velace")).toEqual([]);
    expect(contactLinks(await textOf("/app/search?q=opper", { cookie: w.cookie, headers: BOX }))).toEqual([w.grace]);
    expect(contactLinks(await textOf("/app/search?q=ountess", { cookie: w.cookie, headers: BOX }))).toEqual([w.ada]);
  });

  it("follows edits: a new name or email is found by its inner parts, the old one no longer", async () => {
    const w = await workspace("Inner Edit Co");
    await env.DB.prepare("UPDATE contacts SET last_name = 'Murray' WHERE id = ?").bind(w.grace).run();
    expect(await listed(w.cookie, "opper")).toEqual([]);
    expect(await listed(w.cookie, "urray")).toEqual([w.grace]);
    await env.DB.prepare("UPDATE contact_emails SET email = 'analytical.ada@babbage.example' WHERE contact_id = ?")
      .bind(w.ada)
      .run();
    expect(await listed(w.cookie, "nalytic")).toEqual([w.ada]);
    expect(await listed(w.cookie, "ountess")).toEqual([]); // the old address's inner part
    expect(await listed(w.cookie, "nalytic")).not.toContain(w.grace);
  });

  it("short words match only the start of words", async () => {
    const w = await workspace("Short Co");
    expect(await listed(w.cookie, "ho")).toEqual([w.grace]);
    expect(await listed(w.cookie, "op")).toEqual([]); // inside Hopper, but too short to look inside words
    expect(await listed(w.cookie, "ac")).toEqual([]); // inside Lovelace and Grace
    expect(await listed(w.cookie, "ace")).toEqual([w.grace, w.ada].sort((a, b) => a - b));
  });

  it("never finds another workspace's contacts, whatever part is typed", async () => {
    const mine = await workspace("Mine Inner Co");
    const theirs = await workspace("Theirs Inner Co");
    const only = await createContact(theirs.cookie, { first_name: "Katherine", last_name: "Johnson" });
    for (const q of ["opper", "ountess", "therin", "ohnson"]) {
      const ids = await listed(mine.cookie, q);
      expect(ids, q).not.toContain(theirs.grace);
      expect(ids, q).not.toContain(theirs.ada);
      expect(ids, q).not.toContain(only);
      const box = contactLinks(await textOf(`/app/search?q=${q}`, { cookie: mine.cookie, headers: BOX }));
      expect(
        box.filter((id) => id === theirs.grace || id === theirs.ada || id === only),
        q,
      ).toEqual([]);
    }
  });

  it("takes search syntax as text, and a workspace id is no search term", async () => {
    const w = await workspace("Syntax Co");
    for (const q of [
      'opper" OR "a',
      "opper*",
      "parts : opper",
      "{parts} : a",
      "NEAR(opper grace)",
      "tenant : x",
      '"',
      "^opp",
      "-opper",
    ]) {
      const res = await send(`/app/contacts?q=${encodeURIComponent(q)}`, { cookie: w.cookie, headers: RESULTS });
      expect(res.status, q).toBe(200);
      const box = await send(`/app/search?q=${encodeURIComponent(q)}`, { cookie: w.cookie, headers: BOX });
      expect(box.status, q).toBe(200);
    }
    // The operators are words like any other: "opper OR a" needs a word "or" as well, which nobody has.
    expect(await listed(w.cookie, 'opper" OR "a')).toEqual([]);
    expect(await listed(w.cookie, "opper*")).toEqual([w.grace]);
    // Each document holds the workspace id; typing it (or its start) must not match every contact.
    expect(await listed(w.cookie, w.tenantId)).toEqual([]);
    expect(await listed(w.cookie, w.tenantId.slice(0, 6))).toEqual([]);
  });

  it("finds companies by a part of their name or of their domain", async () => {
    const t = await newTenant("Company Parts Co");
    const company = await createCompanyThroughForm(t.cookie, { name: "Analytical Engines", domain: "babbage.example" });
    const links = async (q: string) =>
      [
        ...(await textOf(`/app/search?q=${q}`, { cookie: t.cookie, headers: BOX })).matchAll(
          /\/app\/companies\/(\d+)/g,
        ),
      ].map((m) => Number(m[1]));
    expect(await links("lytical")).toEqual([company]);
    expect(await links("bbage")).toEqual([company]); // inside the domain
    expect(await links("babbage.ex")).toEqual([company]);
    expect(await links("zzz")).toEqual([]);
  });
});
