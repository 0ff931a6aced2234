/**
 * What the trash answers around its edges: a second Undo, a purge or restore that finds the item gone (the audit
 * trail records only what happened), "Delete forever" without JavaScript, and a record whose company is not back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCompanyThroughForm } from "../companies/helpers";
import { createContact } from "../contacts/contact-helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { restore, restoreTo, trashItemOf } from "./helpers";

async function auditCount(tenantId: string, action: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = ?")
    .bind(tenantId, action)
    .first<number>("n"))!;
}

async function trashedContact(name: string) {
  const owner = await newTenant(`${name} Co`);
  const contact = await createContact(owner.cookie, { first_name: name, last_name: "Person" });
  await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
  return { owner, contact, item: (await trashItemOf("contact", contact))!.id };
}

describe("a second Undo", () => {
  it("finds the contact back already: off to it, saying so, not a 404", async () => {
    const { owner, contact, item } = await trashedContact("Twiceundone");
    await restoreTo(owner.cookie, item, `/app/contacts/${contact}`);
    const again = await restore(owner.cookie, item);
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe(`/app/contacts/${contact}?restored=already`);
    const page = await textOf(again.headers.get("Location")!, { cookie: owner.cookie });
    expect(page).toContain("It is already back");
    expect(page).toContain("Twiceundone");
    expect(await auditCount(owner.tenantId, "record.restored")).toBe(1);
  });

  it("of a note goes to the note's record; once the record is deleted again it is a 404", async () => {
    const owner = await newTenant("Twice Note Co");
    const contact = await createContact(owner.cookie, { first_name: "Noted", last_name: "Twice" });
    await send(`/app/contacts/${contact}/notes`, { cookie: owner.cookie, form: { body: "Undo me twice" } });
    const note = (await env.DB.prepare("SELECT id FROM notes WHERE body = 'Undo me twice'").first<number>("id"))!;
    await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    const item = (await trashItemOf("note", note))!.id;
    await restoreTo(owner.cookie, item, `/app/contacts/${contact}`);
    expect((await restore(owner.cookie, item)).headers.get("Location")).toBe(
      `/app/contacts/${contact}?restored=already`,
    );
    // Gone again (in the trash under a new item): the old Undo has nothing to go to.
    await send(`/app/notes/${note}/delete`, { cookie: owner.cookie, form: {} });
    expect((await restore(owner.cookie, item)).status).toBe(404);
    // Another workspace's old Undo finds nothing either.
    const other = await newTenant("Twice Note Other Co");
    expect((await restore(other.cookie, item)).status).toBe(404);
  });
});

describe("the audit trail of a purge or restore that found the item gone", () => {
  it("a second purge of the same item answers 404 and records nothing", async () => {
    const { owner, item } = await trashedContact("Doublepurge");
    expect((await send(`/app/trash/${item}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect((await send(`/app/trash/${item}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(404);
    expect(await auditCount(owner.tenantId, "record.purged")).toBe(1);
  });

  it("a purge whose item another purge took between its read and its batch records nothing", async () => {
    const { owner, item } = await trashedContact("Racepurge");
    const other = () => send(`/app/trash/${item}/delete`, { cookie: owner.cookie, form: {} });
    const DB = raceBeforeBatch(env.DB, /^delete from trash_items/i, other);
    const late = await send(`/app/trash/${item}/delete`, { cookie: owner.cookie, form: {}, env: { DB } });
    expect(late.status).toBe(404);
    expect(await auditCount(owner.tenantId, "record.purged")).toBe(1);
  });

  it("a restore whose item was purged between its read and its batch records no restore", async () => {
    const { owner, contact, item } = await trashedContact("Racerestore");
    const purge = () => send(`/app/trash/${item}/delete`, { cookie: owner.cookie, form: {} });
    const DB = raceBeforeBatch(env.DB, /^delete from trash_items/i, purge);
    const late = await send(`/app/trash/${item}/restore`, { cookie: owner.cookie, form: {}, env: { DB } });
    expect(late.status).toBe(404);
    expect(await env.DB.prepare("SELECT id FROM contacts WHERE id = ?").bind(contact).first()).toBeNull();
    expect(await auditCount(owner.tenantId, "record.restored")).toBe(0);
    expect(await auditCount(owner.tenantId, "record.purged")).toBe(1);
  });
});

describe("Delete forever", () => {
  it("without JavaScript asks on its own page first; with htmx it asks, posts and reloads the trash", async () => {
    const { owner, item } = await trashedContact("Foreverish");
    const list = await textOf("/app/trash", { cookie: owner.cookie });
    // No-JS: a GET to the confirmation; htmx: hx-confirm then hx-post.
    expect(list).toMatch(
      new RegExp(
        `<form[^>]*method="get"[^>]*action="/app/trash/${item}/delete"[^>]*hx-post="/app/trash/${item}/delete"`,
      ),
    );
    expect(list).toContain("hx-confirm=");

    const confirm = await send(`/app/trash/${item}/delete`, { cookie: owner.cookie });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain("Delete Foreverish Person forever?");
    expect(page).toMatch(new RegExp(`<form method="post" action="/app/trash/${item}/delete"`));
    expect(page).toContain('href="/app/trash"');
    // Only asking: the item is still there.
    expect(await env.DB.prepare("SELECT id FROM trash_items WHERE id = ?").bind(item).first()).not.toBeNull();

    const member = await memberOf(owner.tenantId, "member");
    expect((await send(`/app/trash/${item}/delete`, { cookie: member.cookie })).status).toBe(403);
    const other = await newTenant("Foreverish Other Co");
    expect((await send(`/app/trash/${item}/delete`, { cookie: other.cookie })).status).toBe(404);
    expect((await send("/app/trash/abc/delete", { cookie: owner.cookie })).status).toBe(404);

    const posted = await send(`/app/trash/${item}/delete`, {
      cookie: owner.cookie,
      form: {},
      headers: { "HX-Request": "true" },
    });
    expect(posted.status).toBe(200);
    expect(posted.headers.get("HX-Redirect")).toBe("/app/trash?notice=purged");
    expect(await env.DB.prepare("SELECT id FROM trash_items WHERE id = ?").bind(item).first()).toBeNull();
  });
});

describe("a record whose company is not back", () => {
  it("a deal restored while its company is in the trash says so, as a contact does", async () => {
    const owner = await newTenant("Deal Company Trashed Co");
    const company = await createCompanyThroughForm(owner.cookie, { name: "Trashed Holdings" });
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const deal = await createDeal(owner.cookie, {
      name: "Orphaned order",
      amount: "10",
      stage_id: String(stage.id),
      company_id: String(company),
    });
    await send(`/app/deals/${deal}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} });
    const location = await restoreTo(owner.cookie, (await trashItemOf("deal", deal))!.id, `/app/deals/${deal}`);
    expect(location).toBe(`/app/deals/${deal}?restored=company_in_trash`);
    expect(await textOf(location, { cookie: owner.cookie })).toContain(
      "Its company is in the trash, so it came back without one: restore the company first, then set the company again.",
    );
  });

  it("a contact whose company was deleted for good says it no longer exists", async () => {
    const owner = await newTenant("Contact Company Purged Co");
    const company = await createCompanyThroughForm(owner.cookie, { name: "Gone Forever Ltd" });
    const contact = await createContact(owner.cookie, {
      first_name: "Left",
      last_name: "Behind",
      company_id: String(company),
    });
    await send(`/app/contacts/${contact}/delete`, { cookie: owner.cookie, form: {} });
    await send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} });
    const companyItem = (await trashItemOf("company", company))!.id;
    expect((await send(`/app/trash/${companyItem}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const location = await restoreTo(
      owner.cookie,
      (await trashItemOf("contact", contact))!.id,
      `/app/contacts/${contact}`,
    );
    expect(location).toBe(`/app/contacts/${contact}?restored=without_company`);
    expect(await textOf(location, { cookie: owner.cookie })).toContain("Its company no longer exists");
  });
});
