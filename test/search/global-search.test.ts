/**
 * The header's search box: contacts, companies and deals found together, only the workspace's own,
 * whatever is typed into it.
 */
import { describe, expect, it } from "vitest";
import { createCompanyThroughForm } from "../companies/helpers";
import { createContact } from "../contacts/contact-helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask } from "../tasks/helpers";

const BOX = { "HX-Request": "true", "HX-Target": "global-results" };

async function workspaceWithHopper(name: string) {
  const t = await newTenant(name);
  const stage = (await pipelinesOf(t.tenantId))[0]!.stages[0]!;
  const contact = await createContact(t.cookie, {
    first_name: "Grace",
    last_name: "Hopper",
    emails: "grace@navy.example",
  });
  const company = await createCompanyThroughForm(t.cookie, { name: "Cobol Works", domain: "hopperlabs.example" });
  const deal = await createDeal(t.cookie, {
    name: "Compiler renewal for Hopper",
    amount: "12500",
    stage_id: String(stage.id),
  });
  const other = await createDeal(t.cookie, { name: "Unrelated 100% deal", amount: "5", stage_id: String(stage.id) });
  return { ...t, contact, company, deal, other };
}

const linksIn = (html: string) =>
  [...html.matchAll(/href="(\/app\/(?:contacts|companies|deals)\/\d+)"/g)].map((m) => m[1]);

describe("global search", () => {
  it("finds contacts, companies (by domain) and deals together, in the box and on the page", async () => {
    const w = await workspaceWithHopper("Search Co");
    const box = await send("/app/search?q=hopp", { cookie: w.cookie, headers: BOX });
    expect(box.status).toBe(200);
    const fragment = await box.text();
    expect(fragment).not.toContain("<html");
    expect(linksIn(fragment)).toEqual([
      `/app/contacts/${w.contact}`,
      `/app/companies/${w.company}`,
      `/app/deals/${w.deal}`,
    ]);
    expect(fragment).toContain(">Contacts</h2>");
    expect(fragment).toContain("$12,500.00");

    const page = await textOf("/app/search?q=hopp", { cookie: w.cookie });
    expect(page).toContain("<html");
    expect(page).toContain('id="global-q"');
    expect(linksIn(page.slice(page.indexOf("<main")))).toEqual(linksIn(fragment));
    // Part of a deal's name finds it ("renewal" is not its first word).
    expect(linksIn(await textOf("/app/search?q=renew", { cookie: w.cookie, headers: BOX }))).toEqual([
      `/app/deals/${w.deal}`,
    ]);
  });

  it("never shows another workspace's records, and every role can search", async () => {
    const mine = await workspaceWithHopper("Mine Co");
    const theirs = await workspaceWithHopper("Theirs Co");
    const viewer = await memberOf(mine.tenantId, "viewer");
    const found = linksIn(await textOf("/app/search?q=hopp", { cookie: viewer.cookie, headers: BOX }));
    expect(found).toHaveLength(3);
    expect(found).toEqual([
      `/app/contacts/${mine.contact}`,
      `/app/companies/${mine.company}`,
      `/app/deals/${mine.deal}`,
    ]);
    // A forged workspace cookie naming theirs reads mine again, never theirs.
    const forged = `${mine.cookie.replace(/__Host-tenant=[^;]+/, "")}; __Host-tenant=${theirs.tenantId}`;
    const again = linksIn(await textOf("/app/search?q=hopp", { cookie: forged, headers: BOX }));
    expect(again).toEqual(linksIn(await textOf("/app/search?q=hopp", { cookie: mine.cookie, headers: BOX })));
  });

  it("takes anything typed as text: search syntax and wildcards match nothing by themselves", async () => {
    const w = await workspaceWithHopper("Hostile Search Co");
    for (const q of ['"', "*", "hopp OR x", "NEAR(a b)", "_", "%%", "')--", "a".repeat(500), "\u0000", "%00"]) {
      const res = await send(`/app/search?q=${encodeURIComponent(q)}`, { cookie: w.cookie, headers: BOX });
      expect(res.status, q).toBe(200);
    }
    // "%" is a literal percent sign: only the deal whose name has one; alone it is not a search at all.
    expect(linksIn(await textOf("/app/search?q=100%25", { cookie: w.cookie, headers: BOX }))).toEqual([
      `/app/deals/${w.other}`,
    ]);
    expect(linksIn(await textOf("/app/search?q=%25", { cookie: w.cookie, headers: BOX }))).toEqual([]);
    expect(linksIn(await textOf("/app/search?q=_", { cookie: w.cookie, headers: BOX }))).toEqual([]);
    expect(await textOf("/app/search?q=zzzzqqq", { cookie: w.cookie, headers: BOX })).toContain("Nothing matches");
  });

  it("finds tasks by a part of their title, open ones first, only the workspace's own", async () => {
    const mine = await newTenant("Task Search Co");
    const theirs = await newTenant("Task Search Other Co");
    const done = await addTask(mine.cookie, { title: "Send the renewal quote", due_date: "2026-12-01" });
    await send(`/app/tasks/${done.id}/complete`, { cookie: mine.cookie, form: {} });
    const open = await addTask(mine.cookie, { title: "Call about RENEWAL terms", due_date: "2026-12-20" });
    const other = await addTask(theirs.cookie, { title: "Their renewal call", due_date: "2026-12-02" });
    const taskLinks = async (cookie: string, q: string) =>
      [
        ...(await textOf(`/app/search?q=${q}`, { cookie, headers: BOX })).matchAll(/href="\/app\/tasks\/(\d+)\/edit"/g),
      ].map((m) => Number(m[1]));
    expect(await taskLinks(mine.cookie, "enewal")).toEqual([open.id, done.id]);
    expect(await taskLinks(theirs.cookie, "enewal")).toEqual([other.id]);
    const viewer = await memberOf(mine.tenantId, "viewer");
    expect(await taskLinks(viewer.cookie, "quote")).toEqual([done.id]);
    // Typed text is text: a percent sign or an underscore is no wildcard.
    expect(await taskLinks(mine.cookie, "%25")).toEqual([]);
    expect(await taskLinks(mine.cookie, "re_ewal")).toEqual([]);
    const page = await textOf("/app/search?q=enewal", { cookie: mine.cookie });
    expect(page).toContain(">Tasks</h2>");
    expect(page).not.toContain("Their renewal call");
  });

  it("answers the command palette in JSON: each kind's hits with their links, only the workspace's own", async () => {
    const mine = await workspaceWithHopper("Palette Json Co");
    const theirs = await workspaceWithHopper("Palette Json Other Co");
    const res = await send("/app/search?q=hopp&format=json", { cookie: mine.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const found = (await res.json()) as Record<string, { name: string; detail: string; href: string }[]>;
    expect(found.contacts!.map((h) => h.href)).toEqual([`/app/contacts/${mine.contact}`]);
    expect(found.companies!.map((h) => h.href)).toEqual([`/app/companies/${mine.company}`]);
    expect(found.deals!.map((h) => h.href)).toEqual([`/app/deals/${mine.deal}`]);
    expect(found.tasks).toEqual([]);
    expect(found.contacts![0]!.name).toBe("Grace Hopper");
    expect(JSON.stringify(found)).not.toContain(`${String(theirs.contact)}"`);
    const empty = await send("/app/search?q=%22&format=json", { cookie: mine.cookie });
    expect(await empty.json()).toEqual({ contacts: [], companies: [], deals: [], tasks: [] });
  });

  it("finds a company by a domain in its own script, stored in ASCII, and shows it in that script", async () => {
    const t = await newTenant("Search IDN");
    const id = await createCompanyThroughForm(t.cookie, { name: "Stadtwerke", domain: "https://www.München.de/" });
    for (const q of ["münchen", "MÜNCHEN.de", "xn--mnchen-3ya"]) {
      const html = await textOf(`/app/search?q=${encodeURIComponent(q)}`, { cookie: t.cookie, headers: BOX });
      expect(linksIn(html), q).toEqual([`/app/companies/${id}`]);
      expect(html).toContain("münchen.de");
      expect(html).not.toContain("xn--");
    }
  });

  it("asks who you are first", async () => {
    const res = await send("/app/search?q=hopp");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});
