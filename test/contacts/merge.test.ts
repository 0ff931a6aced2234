/**
 * Merging a duplicate into a contact (/app/contacts/:id/merge): the kept contact gains what only the other had and
 * everything that referred to the other; the other is gone. Another workspace's contact, the contact itself, a
 * stale review and garbage change nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MERGE_PLAN } from "../../src/services/contacts/merge";
import { queryRows } from "../helpers/db";
import { send } from "../helpers/http";
import { textOfHtml as textOf } from "../interactions/helpers";
import { createDeal, firstStageId } from "../deals/helpers";
import { addTask } from "../tasks/helpers";
import { restoreTo, trashItemOf } from "../trash/helpers";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "../api/helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import {
  createContact,
  expectCountersExact,
  insertCustomField,
  insertTag,
  newTenant,
  post,
  tenantState,
} from "./contact-helpers";

/** The review's form values for merging `other` into `kept` (their versions as the review shows them). */
async function reviewed(cookie: string, kept: number, other: number) {
  const res = await send(`/app/contacts/${kept}/merge?with=${other}`, { cookie });
  const html = await res.text();
  const value = (name: string) => html.match(new RegExp(`name="${name}" value="(\\d+)"`))?.[1] ?? "";
  return {
    res,
    html,
    form: { with: String(other), kept_version: value("kept_version"), merged_version: value("merged_version") },
  };
}

async function twoAdas() {
  const owner = await newTenant("Merge Co");
  const vip = await insertTag(owner.tenantId, "VIP");
  const lead = await insertTag(owner.tenantId, "Lead");
  const tier = await insertCustomField(owner.tenantId, "Tier", "text");
  const region = await insertCustomField(owner.tenantId, "Region", "text");
  const kept = await createContact(owner.cookie, {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: ["ada@engines.example"],
    phones: ["+44 20 7946 0001"],
    tag_ids: String(vip),
    [`cf_${tier}`]: "Gold",
  });
  const other = await createContact(owner.cookie, {
    first_name: "Ada",
    last_name: "King",
    emails: ["countess@lovelace.example", "ada@engines.example"],
    phones: ["+44 20 7946 0002"],
    job_title: "Analyst",
    tag_ids: [String(vip), String(lead)],
    [`cf_${tier}`]: "Silver",
    [`cf_${region}`]: "London",
    allow_duplicate: "1",
  });
  return { owner, kept, other, vip, lead, tier, region };
}

describe("merging a duplicate", () => {
  it("moves everything to the kept contact, fills what it lacked, and deletes the other", async () => {
    const { owner, kept, other, vip, lead, tier, region } = await twoAdas();
    await addEndpoint(owner.cookie, receiverUrl("merge"), ["contact.updated", "contact.deleted"]);
    expect(
      (await post(`/app/contacts/${other}/notes`, owner.cookie, { body: "Prefers the analytical engine" })).status,
    ).toBe(303);
    const task = await addTask(owner.cookie, { title: "Call the countess", record: `contact:${other}` });
    // A note of the other's in the trash comes back onto the kept contact after the merge.
    await post(`/app/contacts/${other}/notes`, owner.cookie, { body: "Bernoulli numbers draft" });
    const [trashedNote] = await queryRows<{ id: number }>(
      "SELECT id FROM notes WHERE tenant_id = ? AND body = 'Bernoulli numbers draft'",
      owner.tenantId,
    );
    expect((await send(`/app/notes/${trashedNote!.id}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const deal = await createDeal(owner.cookie, {
      name: "Engines",
      stage_id: String(await firstStageId(owner.tenantId)),
      contact_ids: String(other),
      contact_roles: "Buyer",
    });
    const logged = await send(`/app/contacts/${other}/interactions`, {
      cookie: owner.cookie,
      form: { kind: "call", outcome: "connected", notes: "Talked numbers" },
    });
    expect(logged.status).toBe(303);
    const [{ last_contacted_at: otherContacted }] = (await queryRows<{ last_contacted_at: number }>(
      "SELECT last_contacted_at FROM contacts WHERE tenant_id = ? AND id = ?",
      owner.tenantId,
      other,
    )) as [{ last_contacted_at: number }];
    expect(otherContacted).toBeGreaterThan(0);

    // The page offers the contact sharing an email and a namesake, and the review shows what the kept one becomes.
    const namesake = await createContact(owner.cookie, {
      first_name: "ada",
      last_name: "LOVELACE",
      emails: ["ada@elsewhere.example"],
    });
    const find = await send(`/app/contacts/${kept}/merge`, { cookie: owner.cookie });
    expect(find.status).toBe(200);
    const offered = await find.text();
    expect(offered).toContain(`href="/app/contacts/${kept}/merge?with=${other}"`);
    expect(offered).toContain(`href="/app/contacts/${kept}/merge?with=${namesake}"`);
    expect(textOf(offered)).toContain("ada LOVELACE · same name");
    const review = await reviewed(owner.cookie, kept, other);
    expect(review.res.status).toBe(200);
    const text = textOf(review.html);
    expect(text).toContain("Merge Ada King into Ada Lovelace?");
    expect(text).toContain("ada@engines.example, countess@lovelace.example");

    const merged = await post(`/app/contacts/${kept}/merge`, owner.cookie, review.form);
    expect(merged.status).toBe(303);
    expect(merged.headers.get("Location")).toBe(`/app/contacts/${kept}`);
    expect((await send(`/app/contacts/${other}`, { cookie: owner.cookie })).status).toBe(404);

    const q = (sql: string) => queryRows<Record<string, unknown>>(sql, owner.tenantId, kept);
    expect(
      await q("SELECT email FROM contact_emails WHERE tenant_id = ? AND contact_id = ? ORDER BY position"),
    ).toEqual([{ email: "ada@engines.example" }, { email: "countess@lovelace.example" }]);
    expect(
      await q("SELECT phone FROM contact_phones WHERE tenant_id = ? AND contact_id = ? ORDER BY position"),
    ).toEqual([{ phone: "+442079460001" }, { phone: "+442079460002" }]);
    expect(await q("SELECT tag_id FROM contact_tags WHERE tenant_id = ? AND contact_id = ? ORDER BY tag_id")).toEqual(
      [vip, lead].sort((a, b) => a - b).map((tag_id) => ({ tag_id })),
    );
    // The kept contact's own value wins; the one it lacked comes over.
    expect(
      await q(
        "SELECT field_id, value FROM custom_field_values WHERE tenant_id = ? AND entity_id = ? ORDER BY field_id",
      ),
    ).toEqual(
      [
        { field_id: tier, value: "Gold" },
        { field_id: region, value: "London" },
      ].sort((a, b) => a.field_id - b.field_id),
    );
    const [row] = await q(
      "SELECT first_name, last_name, job_title, next_task_due, last_contacted_at FROM contacts WHERE tenant_id = ? AND id = ?",
    );
    // The list's Next task and Last contacted follow the task and the call it gained.
    expect(row).toEqual({
      first_name: "Ada",
      last_name: "Lovelace",
      job_title: "Analyst",
      next_task_due: "2026-12-24",
      last_contacted_at: otherContacted,
    });
    // What referred to the other now refers to the kept one; nothing refers to the other any more.
    for (const table of ["notes", "tasks", "interactions", "activities"]) {
      const rows = await queryRows<{ subject_id: number }>(
        `SELECT subject_id FROM ${table} WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id IN (?, ?)`,
        owner.tenantId,
        kept,
        other,
      );
      expect(rows.length, table).toBeGreaterThan(0);
      expect(
        rows.every((r) => r.subject_id === kept),
        table,
      ).toBe(true);
    }
    expect((await queryRows("SELECT subject_id FROM tasks WHERE id = ?", task.id))[0]).toEqual({ subject_id: kept });
    expect(await queryRows("SELECT contact_id, role FROM deal_contacts WHERE deal_id = ?", deal)).toEqual([
      { contact_id: kept, role: "Buyer" },
    ]);
    await expectCountersExact(owner.tenantId);
    await restoreTo(owner.cookie, (await trashItemOf("note", trashedNote!.id))!.id, `/app/contacts/${kept}`);
    expect(await queryRows("SELECT subject_id FROM notes WHERE id = ?", trashedNote!.id)).toEqual([
      { subject_id: kept },
    ]);
    await expectCountersExact(owner.tenantId);

    // The page, the search and the trail tell the same story.
    const page = textOf(await (await send(`/app/contacts/${kept}`, { cookie: owner.cookie })).text());
    expect(page).toContain("merged a duplicate into this one");
    expect(page).toContain(
      "changed email addresses from ada@engines.example to ada@engines.example, countess@lovelace.example",
    );
    expect(page).toContain("Prefers the analytical engine");
    const taskList = await send(`/app/tasks?record=contact:${kept}&assignee=all`, { cookie: owner.cookie });
    expect(textOf(await taskList.text())).toContain("Call the countess");
    const search = await (await send("/app/contacts?q=analytical", { cookie: owner.cookie })).text();
    expect(search).toContain(`href="/app/contacts/${kept}"`);
    const audit = await queryRows(
      "SELECT target_id, detail FROM audit_log WHERE tenant_id = ? AND action = 'record.merged'",
      owner.tenantId,
    );
    expect(audit).toEqual([{ target_id: String(kept), detail: JSON.stringify({ merged: other }) }]);
    const events = (await eventsOf(owner.tenantId)).map((e) => [e.type, JSON.parse(e.payload).id]);
    expect(events.slice(-2)).toEqual([
      ["contact.updated", kept],
      ["contact.deleted", other],
    ]);
    // A receiver learns where the merged contact went.
    expect(JSON.parse((await eventsOf(owner.tenantId)).at(-1)!.payload)).toEqual({
      id: other,
      erased: false,
      merged_into: kept,
    });
  });

  it("offers a colleague on the same switchboard last, as such, and keeps the merged one's role on a shared deal", async () => {
    const owner = await newTenant("Switchboard Merge Co");
    const line = "+44 20 7946 0999";
    const ada = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace", phones: [line] });
    const bob = await createContact(owner.cookie, {
      first_name: "Bob",
      last_name: "Babbage",
      phones: [line],
      allow_duplicate: "1",
    });
    const twin = await createContact(owner.cookie, {
      first_name: "Ada",
      last_name: "Lovelace",
      emails: ["ada@twin.example"],
      allow_duplicate: "1",
    });
    const offered = textOf(await (await send(`/app/contacts/${ada}/merge`, { cookie: owner.cookie })).text());
    expect(offered).toContain("Ada Lovelace · same name");
    expect(offered).toMatch(/Bob Babbage · same phone only/);
    expect(offered.indexOf("Ada Lovelace · same name")).toBeLessThan(offered.indexOf("Bob Babbage"));

    // Both on one deal: the kept one without a role, the merged one the decision maker.
    const deal = await createDeal(owner.cookie, {
      name: "Engines",
      stage_id: String(await firstStageId(owner.tenantId)),
      contact_ids: [String(ada), String(twin)],
      contact_roles: ["", "Decision maker"],
    });
    const review = await reviewed(owner.cookie, ada, twin);
    expect((await post(`/app/contacts/${ada}/merge`, owner.cookie, review.form)).status).toBe(303);
    const links = await queryRows(
      "SELECT contact_id, role FROM deal_contacts WHERE tenant_id = ? AND deal_id = ?",
      owner.tenantId,
      deal,
    );
    expect(links).toEqual([{ contact_id: ada, role: "Decision maker" }]);
    expect(bob).toBeGreaterThan(0);
  });

  it("a deal of the other in the trash comes back with the kept contact on it", async () => {
    const { owner, kept, other } = await twoAdas();
    const deal = await createDeal(owner.cookie, {
      name: "Engines",
      stage_id: String(await firstStageId(owner.tenantId)),
      contact_ids: [String(other), ""],
      contact_roles: ["Champion", ""],
    });
    expect((await send(`/app/deals/${deal}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const review = await reviewed(owner.cookie, kept, other);
    expect((await post(`/app/contacts/${kept}/merge`, owner.cookie, review.form)).status).toBe(303);
    const [item] = await queryRows<{ id: number }>(
      "SELECT id FROM trash_items WHERE tenant_id = ? AND kind = 'deal'",
      owner.tenantId,
    );
    expect((await send(`/app/trash/${item!.id}/restore`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(
      await queryRows(
        "SELECT contact_id, role FROM deal_contacts WHERE tenant_id = ? AND deal_id = ?",
        owner.tenantId,
        deal,
      ),
    ).toEqual([{ contact_id: kept, role: "Champion" }]);
  });

  it("changes nothing for another workspace's contact, the contact itself, garbage, a stale review or too many emails", async () => {
    const { owner, kept, other } = await twoAdas();
    const stranger = await newTenant("Stranger Co");
    const theirs = await createContact(stranger.cookie, { first_name: "Grace", emails: ["grace@navy.example"] });
    const before = await tenantState(owner.tenantId);
    const theirsBefore = await tenantState(stranger.tenantId);

    expect((await send(`/app/contacts/${theirs}/merge`, { cookie: owner.cookie })).status).toBe(404);
    expect((await post(`/app/contacts/${theirs}/merge`, owner.cookie, { with: String(kept) })).status).toBe(404);
    for (const other of [String(theirs), String(kept), "abc", "1e3", "", "-1"]) {
      const page = await send(`/app/contacts/${kept}/merge?with=${encodeURIComponent(other)}`, {
        cookie: owner.cookie,
      });
      expect(page.status, other).toBe(400);
      expect(textOf(await page.text()), other).toContain("Choose another contact of this workspace");
      const res = await post(`/app/contacts/${kept}/merge`, owner.cookie, {
        with: other,
        kept_version: "1",
        merged_version: "1",
      });
      expect(res.status, other).toBe(400);
    }
    // Search never offers another workspace's contacts, nor the contact itself.
    const search = await (await send(`/app/contacts/${kept}/merge?q=grace`, { cookie: owner.cookie })).text();
    expect(search).not.toContain(`with=${theirs}`);
    expect(textOf(search)).toContain("No other contact matches “grace”.");

    // A review whose versions are missing, or older than the contacts: nothing is merged, the review is shown again.
    const review = await reviewed(owner.cookie, kept, other);
    const unversioned = await post(`/app/contacts/${kept}/merge`, owner.cookie, { with: String(other) });
    expect(unversioned.status).toBe(409);
    const edited = await post(`/app/contacts/${other}`, owner.cookie, {
      first_name: "Ada",
      last_name: "King-Noel",
      emails: ["countess@lovelace.example", "ada@engines.example"],
      allow_duplicate: "1",
    });
    expect(edited.status).toBe(303);
    const stale = await post(`/app/contacts/${kept}/merge`, owner.cookie, review.form);
    expect(stale.status).toBe(409);
    expect(textOf(await stale.text())).toContain("Merge Ada King-Noel into Ada Lovelace?");
    const afterEdit = await tenantState(owner.tenantId);
    expect(afterEdit.contacts.length).toBe(before.contacts.length);
    expect(afterEdit.emails).toEqual(before.emails);

    // Six addresses together, where a contact keeps five: refused with the reason, nothing written.
    const many = await createContact(owner.cookie, {
      first_name: "Ada",
      emails: ["a1@x.example", "a2@x.example", "a3@x.example", "a4@x.example", "a5@x.example"],
      allow_duplicate: "1",
    });
    const full = await reviewed(owner.cookie, kept, many);
    expect(full.res.status).toBe(422);
    expect(textOf(full.html)).toContain("Together they have 6 email addresses; a contact keeps at most 5.");
    const state = await tenantState(owner.tenantId);
    const refused = await post(`/app/contacts/${kept}/merge`, owner.cookie, full.form);
    expect(refused.status).toBe(422);
    expect(await tenantState(owner.tenantId)).toEqual(state);
    expect(await tenantState(stranger.tenantId)).toEqual(theirsBefore);
    expect(
      await queryRows(
        "SELECT id FROM audit_log WHERE action = 'record.merged' AND tenant_id IN (?, ?)",
        owner.tenantId,
        stranger.tenantId,
      ),
    ).toEqual([]);
  });

  it("from the list: two ticked contacts open the review, the first kept; any other selection is refused", async () => {
    const { owner, kept, other } = await twoAdas();
    const stranger = await newTenant("Bulk Stranger Co");
    const theirs = await createContact(stranger.cookie, { first_name: "Grace" });
    const bulk = (ids: string[], extra: Record<string, string> = {}) =>
      post("/app/contacts/bulk", owner.cookie, { action: "merge", ids, ...extra });
    const two = await bulk([String(kept), String(other)]);
    expect(two.status).toBe(303);
    expect(two.headers.get("Location")).toBe(`/app/contacts/${kept}/merge?with=${other}`);
    const before = await tenantState(owner.tenantId);
    for (const [ids, extra, message] of [
      [[String(kept)], {}, "Select exactly two contacts to merge."],
      [[String(kept), String(other), String(kept + other)], {}, "Select exactly two contacts to merge."],
      [[String(kept), String(theirs)], {}, "The selected contacts no longer exist."],
      [[String(kept), String(other)], { scope: "matching", match_query: "" }, "Select exactly two contacts to merge."],
    ] as const) {
      const res = await bulk([...ids], extra);
      expect(res.status, ids.join(",")).toBe(422);
      expect(textOf(await res.text())).toContain(message);
    }
    expect(await tenantState(owner.tenantId)).toEqual(before);
  });

  it("through the API: POST /contacts/{id}/merge keeps the contact of the path; refused for a read key and others' ids", async () => {
    const { owner, kept, other } = await twoAdas();
    const stranger = await newTenant("API Stranger Co");
    const theirs = await createContact(stranger.cookie, { first_name: "Grace" });
    const key = await makeKey(owner.cookie);
    const readKey = await makeKey(owner.cookie, { name: "Reader", scope: "read" });
    const before = await tenantState(owner.tenantId);
    const path = `/contacts/${kept}/merge`;
    expect((await api(path, { key: readKey, method: "POST", json: { merge_id: other } })).status).toBe(403);
    for (const [url, json, status] of [
      [path, { merge_id: theirs }, 404],
      [path, { merge_id: kept }, 404],
      [`/contacts/${theirs}/merge`, { merge_id: other }, 404],
      [path, { merge_id: "two" }, 422],
      [path, { merge_id: other, extra: true }, 422],
      [path, {}, 422],
    ] as const) {
      const res = await api(url, { key, method: "POST", json });
      expect(res.status, JSON.stringify(json)).toBe(status);
      await problemOf(res);
    }
    expect(await tenantState(owner.tenantId)).toEqual(before);
    const res = await api(path, { key, method: "POST", json: { merge_id: other } });
    expect(res.status).toBe(200);
    const record = (await res.json()) as { id: number; emails: string[]; job_title: string };
    expect(record).toMatchObject({
      id: kept,
      emails: ["ada@engines.example", "countess@lovelace.example"],
      job_title: "Analyst",
    });
    expect((await api(`/contacts/${other}`, { key })).status).toBe(404);
  });

  it("has a plan for every table that points at a contact (read from the schema)", async () => {
    const all = (
      await env.DB.prepare(
        `SELECT m.name, m.sql,
          EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name IN ('subject_id', 'entity_id', 'contact_id')) AS refers
        FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'sqlite_%'`,
      ).all<{ name: string; sql: string | null; refers: number }>()
    ).results;
    // A foreign key to contacts under another column's name counts too.
    const names = all
      .filter((t) => t.refers === 1 || /REFERENCES\s+[`"]?contacts[`"]?\s*\(/i.test(t.sql ?? ""))
      .map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["contact_emails", "notes", "custom_field_values", "deal_contacts"]));
    expect(names.filter((t) => !(t in MERGE_PLAN))).toEqual([]);
  });
});

/** The review's rows: field, kept, merged in, after the merge. */
const reviewRows = (html: string) =>
  [...html.matchAll(/<tr>\s*<th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [
    m[1],
    ...[...m[2]!.matchAll(/<td[^>]*>(?:<strong>)?([^<]*)/g)].map((c) => c[1]),
  ]);

/** A company made through its form; its id. */
async function companyNamed(cookie: string, name: string): Promise<number> {
  const res = await post("/app/companies", cookie, { name });
  expect(res.status).toBe(303);
  return Number(res.headers.get("Location")!.match(/(\d+)$/)![1]);
}

describe("the merge review's rows", () => {
  it("shows custom fields named Company and Owner as their own rows with their values, beside the built-in ones", async () => {
    const owner = await newTenant("Review Rows Contacts");
    const companyField = await insertCustomField(owner.tenantId, "Company", "text");
    const ownerField = await insertCustomField(owner.tenantId, "Owner", "text");
    const initech = await companyNamed(owner.cookie, "Initech");
    const kept = await createContact(owner.cookie, {
      first_name: "Peter",
      last_name: "Gibbons",
      company_id: String(initech),
      [`cf_${companyField}`]: "Globex",
      [`cf_${ownerField}`]: "Bill",
    });
    const other = await createContact(owner.cookie, {
      first_name: "Peter",
      last_name: "Gibbons",
      [`cf_${ownerField}`]: "Milton",
    });

    const { res, html } = await reviewed(owner.cookie, kept, other);
    expect(res.status).toBe(200);
    const rows = reviewRows(html);
    expect(rows.filter((r) => r[0] === "Company")).toEqual([
      ["Company", "Initech", "—", "Initech"],
      ["Company", "Globex", "—", "Globex"],
    ]);
    const owners = rows.filter((r) => r[0] === "Owner");
    expect(owners).toHaveLength(2);
    expect(owners[1]).toEqual(["Owner", "Bill", "Milton", "Bill"]);
    expect(owners[0]![1]).toBe(owner.email);
  });
});

describe("a merge whose company is removed meanwhile", () => {
  it("leaving both contacts' versions as they were: the review again (409, API 409), nothing merged", async () => {
    const owner = await newTenant("Merge Company Gone");
    const key = await makeKey(owner.cookie);
    for (const through of ["page", "api"] as const) {
      const initech = await companyNamed(owner.cookie, `Initech ${through}`);
      const kept = await createContact(owner.cookie, {
        first_name: "Peter",
        last_name: "Gibbons",
        company_id: String(initech),
      });
      const other = await createContact(owner.cookie, {
        first_name: "Peter",
        last_name: "Gibbons",
        emails: [`peter-${through}@initech.example`],
      });
      const review = await reviewed(owner.cookie, kept, other);
      expect(review.res.status).toBe(200);
      // Between the merge's reads and its write, the company row goes by a path that bumps no contact's version
      // (its foreign key clears the contact's company_id on its own).
      let before: Awaited<ReturnType<typeof tenantState>> | null = null;
      const DB = raceBeforeBatch(env.DB, /^update "contacts"/i, async () => {
        await env.DB.prepare("DELETE FROM companies WHERE tenant_id = ? AND id = ?")
          .bind(owner.tenantId, initech)
          .run();
        before = await tenantState(owner.tenantId);
      });
      if (through === "page") {
        const res = await send(`/app/contacts/${kept}/merge`, { cookie: owner.cookie, form: review.form, env: { DB } });
        expect(res.status).toBe(409);
        const text = textOf(await res.text());
        expect(text).toContain("nothing was merged");
        expect(text).toContain("Merge Peter Gibbons into Peter Gibbons?");
      } else {
        const res = await api(`/contacts/${kept}/merge`, {
          key,
          method: "POST",
          json: { merge_id: other },
          env: { DB },
        });
        expect(res.status).toBe(409);
        await problemOf(res);
      }
      expect(before).not.toBeNull();
      expect(await tenantState(owner.tenantId)).toEqual(before);
      expect((await send(`/app/contacts/${other}`, { cookie: owner.cookie })).status).toBe(200);
    }
  });
});
