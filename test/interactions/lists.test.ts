/** The contacts and companies lists' "Last contacted" and "Next task" columns: shown, sorted both ways, paged by key. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { insertCompanies, insertContact } from "../companies/helpers";
import { insertContacts, listedIds, pagerHref } from "../contacts/contact-helpers";
import { logThroughForm, textOfHtml, workspaceWithRecords } from "./helpers";

const DAY = 86_400_000;

/** The ids of the companies a list page shows, in order. */
function listedCompanies(html: string): number[] {
  const table = html.match(/<table class="records">[\s\S]*?<\/table>/)?.[0] ?? "";
  return [...table.matchAll(/<a href="\/app\/companies\/(\d+)">/g)].map((m) => Number(m[1]));
}

/** The ids in the order a sort with nulls last gives: values `dir`, then the rows without, by id `dir`. */
async function expectedOrder(table: "contacts" | "companies", tenantId: string, column: string, dir: "asc" | "desc") {
  const rows = await env.DB.prepare(
    `SELECT id FROM ${table} WHERE tenant_id = ? ORDER BY (${column} IS NULL), ${column} ${dir}, id ${dir}`,
  )
    .bind(tenantId)
    .all<{ id: number }>();
  return rows.results.map((r) => r.id);
}

/** Walks a list from `first` by its "next" links, then back by "prev" links: the ids of each way. */
async function walk(first: string, cookie: string, ids: (html: string) => number[]) {
  const pages: number[][] = [];
  let href: string | null = first;
  let html = "";
  while (href) {
    html = await textOf(href, { cookie });
    pages.push(ids(html));
    href = pagerHref(html, "next");
    expect(pages.length).toBeLessThan(20);
  }
  const back: number[][] = [pages.at(-1)!];
  href = pagerHref(html, "prev");
  while (href) {
    html = await textOf(href, { cookie });
    back.unshift(ids(html));
    href = pagerHref(html, "prev");
    expect(back.length).toBeLessThan(20);
  }
  return { forward: pages, back };
}

describe("last contacted and next task on the lists", () => {
  it("shows them on the contacts list and sorts by each both ways, the never-contacted last", async () => {
    const { owner, records } = await workspaceWithRecords("Columns Co", "America/New_York");
    const ada = records.contacts;
    const bob = await insertContact(owner.tenantId, "Bob", "Babbage");
    const cy = await insertContact(owner.tenantId, "Cy", "Never");
    await logThroughForm(owner.cookie, "contacts", ada, {
      kind: "call",
      outcome: "connected",
      occurred_at: "2026-05-01T21:30",
    });
    await logThroughForm(owner.cookie, "contacts", bob, { kind: "email", occurred_at: "2026-03-01T09:00" });
    await env.DB.batch([
      env.DB.prepare("UPDATE contacts SET next_task_due = '2026-12-10' WHERE id = ?").bind(ada),
      env.DB.prepare("UPDATE contacts SET next_task_due = '2026-12-01' WHERE id = ?").bind(cy),
    ]);
    const list = (query: string) => textOf(`/app/contacts?${query}`, { cookie: owner.cookie });

    const byContact = await list("sort=contacted");
    expect(listedIds(byContact)).toEqual([ada, bob, cy]);
    expect(byContact).toContain(
      'aria-sort="descending"><a href="/app/contacts?sort=contacted&amp;dir=asc">Last contacted',
    );
    // The reader's zone: 21:30 in New York on 1 May is 2 May in UTC, shown as the 1st.
    const adaRow = textOfHtml(byContact.match(new RegExp(`<tr id="contact-${ada}">[\\s\\S]*?</tr>`))![0]);
    expect(adaRow).toContain("5/1/2026 12/10/2026");
    expect(listedIds(await list("sort=contacted&dir=asc"))).toEqual([bob, ada, cy]);
    expect(listedIds(await list("sort=next_task"))).toEqual([cy, ada, bob]);
    expect(listedIds(await list("sort=next_task&dir=desc"))).toEqual([ada, cy, bob]);
  });

  it.each(["desc", "asc"] as const)(
    "pages the contacts list by last contacted (%s) across the never-contacted, forward and back",
    async (dir) => {
      const { owner } = await workspaceWithRecords("Paging Co");
      await insertContacts(owner.tenantId, 130);
      // Some share a time (the id breaks the tie); about half were never contacted.
      await env.DB.prepare(
        `UPDATE contacts SET last_contacted_at = ?2 + (id % 40) * ?3
         WHERE tenant_id = ?1 AND id % 2 = 0`,
      )
        .bind(owner.tenantId, Date.UTC(2026, 0, 1), DAY)
        .run();
      const expected = await expectedOrder("contacts", owner.tenantId, "last_contacted_at", dir);
      expect(expected.length).toBe(131);
      const { forward, back } = await walk(`/app/contacts?sort=contacted&dir=${dir}`, owner.cookie, listedIds);
      expect(forward.flat()).toEqual(expected);
      expect(forward.map((p) => p.length)).toEqual([50, 50, 31]);
      expect(back).toEqual(forward);
    },
  );

  it("shows them on the companies list and pages it by last contacted and by next task, nulls last", async () => {
    const { owner, records } = await workspaceWithRecords("Firms Co");
    await insertCompanies(
      owner.tenantId,
      Array.from({ length: 119 }, (_, i) => `Firm ${String(i).padStart(3, "0")}`),
    );
    await env.DB.batch([
      env.DB.prepare(
        "UPDATE companies SET last_contacted_at = ?2 + (id % 30) * ?3 WHERE tenant_id = ?1 AND id % 3 <> 0",
      ).bind(owner.tenantId, Date.UTC(2026, 0, 1), DAY),
      env.DB.prepare(
        "UPDATE companies SET next_task_due = date('2026-12-01', '+' || (id % 9) || ' days') WHERE tenant_id = ?1 AND id % 4 = 0",
      ).bind(owner.tenantId),
    ]);
    for (const [sort, column] of [
      ["contacted", "last_contacted_at"],
      ["next_task", "next_task_due"],
    ] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const expected = await expectedOrder("companies", owner.tenantId, column, dir);
        const { forward } = await walk(`/app/companies?sort=${sort}&dir=${dir}`, owner.cookie, listedCompanies);
        expect(forward.flat(), `${sort} ${dir}`).toEqual(expected);
      }
    }
    await logThroughForm(owner.cookie, "companies", records.companies, {
      kind: "meeting",
      occurred_at: "2026-12-01T10:00",
    });
    await env.DB.prepare("UPDATE companies SET next_task_due = '2027-02-03' WHERE id = ?")
      .bind(records.companies)
      .run();
    const html = await textOf("/app/companies?sort=contacted&dir=desc", { cookie: owner.cookie });
    expect(listedCompanies(html)[0]).toBe(records.companies);
    expect(html).toContain('<th scope="col">Last contacted</th>');
    const row = textOfHtml(
      html.match(
        new RegExp(`<tr>\\s*<td data-label="Name">\\s*<a href="/app/companies/${records.companies}">[\\s\\S]*?</tr>`),
      )![0],
    );
    expect(row).toContain("12/1/2026 2/3/2027");
  });
});
