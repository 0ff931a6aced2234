/**
 * What the company pages say is what happens: the delete confirmation and notice name everything that goes to the
 * trash with a company and what stays, and the merge review shows a custom field even when it is named like one of
 * the review's own rows ("Contacts", "Deals").
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createDeal, firstStageId } from "../deals/helpers";
import { logThroughForm, textOfHtml } from "../interactions/helpers";
import { addTask } from "../tasks/helpers";
import { createCompanyThroughForm, insertContact, insertField } from "./helpers";

const count = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<number>("n");

describe("deleting a company", () => {
  it("says its tasks and logged interactions go to the trash with it and its deals lose it, as they do", async () => {
    const owner = await newTenant("Delete Words Co");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Initech" });
    await addTask(owner.cookie, { title: "Call Initech", record: `company:${id}` });
    await logThroughForm(owner.cookie, "companies", id, { kind: "meeting", notes: "Spoke about staplers" });
    const deal = await createDeal(owner.cookie, {
      name: "Staplers",
      stage_id: String(await firstStageId(owner.tenantId)),
      company_id: String(id),
    });
    const contact = await insertContact(owner.tenantId, "Milton", "Waddams", { id, name: "Initech" });

    const confirm = await send(`/app/companies/${id}/delete`, { cookie: owner.cookie });
    expect(confirm.status).toBe(200);
    const said = textOfHtml(await confirm.text());
    expect(said).toContain(
      "Its notes, tasks, logged calls, meetings and emails, tags and custom values go to the trash",
    );
    expect(said).toContain("Its contacts and deals are kept, without a company.");

    const deleted = await send(`/app/companies/${id}/delete`, { cookie: owner.cookie, form: {} });
    expect(deleted.status).toBe(303);
    const list = await send(deleted.headers.get("Location")!, { cookie: owner.cookie });
    const notice = textOfHtml(await list.text());
    expect(notice).toContain("Company moved to the trash with its notes, tasks and logged interactions.");
    expect(notice).toContain("Its contacts and deals were kept, without a company.");

    // What the words say: tasks and interactions went with it, its deal and contact stay without it.
    const ofCompany = "WHERE tenant_id = ? AND subject_type = 'company' AND subject_id = ?";
    expect(await count(`SELECT count(*) AS n FROM tasks ${ofCompany}`, owner.tenantId, id)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM interactions ${ofCompany}`, owner.tenantId, id)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM deals WHERE id = ? AND company_id IS NULL", deal)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM contacts WHERE id = ? AND company_id IS NULL", contact)).toBe(1);

    // And restoring it brings them back and links the deal and the contact back.
    const item = await env.DB.prepare("SELECT id FROM trash_items WHERE tenant_id = ? AND kind = 'company'")
      .bind(owner.tenantId)
      .first<number>("id");
    expect((await send(`/app/trash/${item}/restore`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await count(`SELECT count(*) AS n FROM tasks ${ofCompany}`, owner.tenantId, id)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM interactions ${ofCompany}`, owner.tenantId, id)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM deals WHERE id = ? AND company_id = ?", deal, id)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM contacts WHERE id = ? AND company_id = ?", contact, id)).toBe(1);
  });
});

describe("the merge review", () => {
  it("shows custom fields named Contacts and Deals with their values, beside the counts of contacts and deals", async () => {
    const owner = await newTenant("Review Rows Co");
    const contactsField = await insertField(owner.tenantId, "company", "Contacts");
    const dealsField = await insertField(owner.tenantId, "company", "Deals");
    const kept = await createCompanyThroughForm(owner.cookie, {
      name: "Acme",
      [`cf_${contactsField}`]: "Wile E. Coyote",
    });
    const other = await createCompanyThroughForm(owner.cookie, { name: "ACME", [`cf_${dealsField}`]: "Anvils" });
    await insertContact(owner.tenantId, "Road", "Runner", { id: other, name: "ACME" });

    const res = await send(`/app/companies/${kept}/merge?with=${other}`, { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const rows = [...(await res.text()).matchAll(/<tr>\s*<th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
      m[1],
      ...[...m[2]!.matchAll(/<td[^>]*>(?:<strong>)?([^<]*)/g)].map((c) => c[1]),
    ]);
    // Field, kept, merged in, after the merge.
    expect(rows.filter((r) => r[0] === "Contacts")).toEqual([
      ["Contacts", "Wile E. Coyote", "—", "Wile E. Coyote"],
      ["Contacts", "0", "1", "1"],
    ]);
    expect(rows.filter((r) => r[0] === "Deals")).toEqual([
      ["Deals", "—", "Anvils", "Anvils"],
      ["Deals", "0", "0", "0"],
    ]);
  });
});
