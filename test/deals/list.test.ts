/** The deal list through real requests: sorts with keyset pages, filters, footer totals, isolation. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  fieldError,
  insertDeals,
  listedDealIds,
  page,
  pagerHref,
  post,
  stagesOf,
  userIdOf,
  type DealSpec,
} from "./list-helpers";

const LIST = "/app/deals/list";

interface DealRow {
  id: number;
  name_sort: string;
  amount_minor: number;
  close_key: string;
  updated_at: number;
  status: string;
  pp: number;
  pid: number;
  sp: number;
  sid: number;
}

async function dealRows(tenantId: string): Promise<DealRow[]> {
  return (
    await env.DB.prepare(
      `SELECT d.id, d.name_sort, d.amount_minor, d.close_key, d.updated_at, d.status,
         s.pipeline_position AS pp, s.pipeline_id AS pid, s.position AS sp, s.id AS sid
       FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id WHERE d.tenant_id = ?`,
    )
      .bind(tenantId)
      .all<DealRow>()
  ).results;
}

const cmp = (a: (string | number)[], b: (string | number)[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};
const KEYS: Record<string, (d: DealRow) => (string | number)[]> = {
  amount: (d) => [d.amount_minor, d.id],
  close: (d) => [d.close_key, d.id],
  updated: (d) => [d.updated_at, d.id],
  name: (d) => [d.name_sort, d.id],
  stage: (d) => [d.pp, d.pid, d.sp, d.sid, d.status, d.close_key, d.id],
};

/** Walks every page through the Next links, then back through Previous, returning the ids seen. */
async function walk(cookie: string, first: string) {
  const pages: number[][] = [];
  let href: string | null = first;
  let html = "";
  while (href) {
    html = await page(href, cookie);
    pages.push(listedDealIds(html));
    href = pagerHref(html, "next");
    expect(pages.length).toBeLessThan(20);
  }
  const back: number[][] = [];
  let prev = pagerHref(html, "prev");
  while (prev) {
    const h = await page(prev, cookie);
    back.unshift(listedDealIds(h));
    prev = pagerHref(h, "prev");
  }
  return { forward: pages, back };
}

/** A workspace with a second pipeline and 130 deals: many equal amounts, dates and update times. */
async function filledWorkspace() {
  const owner = await newTenant("Deal List Co");
  await post("/app/settings/pipelines", owner.cookie, { name: "Renewals" });
  const stages = await stagesOf(owner.tenantId);
  const specs: DealSpec[] = [];
  for (let i = 0; i < 130; i++) {
    specs.push({
      name: `Deal ${String(i % 17).padStart(2, "0")}`,
      stageId: stages[i % stages.length]!.id,
      amountMinor: (i % 5) * 100000,
      currency: i % 11 === 0 ? "EUR" : "USD",
      status: i % 13 === 0 ? "won" : i % 7 === 0 ? "lost" : "open",
      closeDate: i % 4 === 0 ? null : `2026-0${1 + (i % 3)}-1${i % 2}`,
      updatedAt: 1_700_000_000_000 + (i % 9) * 1000,
    });
  }
  await insertDeals(owner.tenantId, specs);
  return { owner, stages };
}

describe("sorts and pages", () => {
  it("every sort, both ways, pages through every deal once, in order, forward and back", async () => {
    const { owner } = await filledWorkspace();
    const rows = await dealRows(owner.tenantId);
    expect(rows.length).toBe(130);
    for (const sort of Object.keys(KEYS)) {
      for (const dir of ["asc", "desc"] as const) {
        const { forward, back } = await walk(owner.cookie, `${LIST}?sort=${sort}&dir=${dir}`);
        const seen = forward.flat();
        const expected = [...rows]
          .sort((a, b) => (dir === "asc" ? 1 : -1) * cmp(KEYS[sort]!(a), KEYS[sort]!(b)))
          .map((d) => d.id);
        expect(seen, `${sort} ${dir}`).toEqual(expected);
        expect(forward.map((p) => p.length)).toEqual([50, 50, 30]);
        expect(back, `${sort} ${dir} back`).toEqual(forward.slice(0, -1));
      }
    }
  });
});

describe("filters and footer", () => {
  it("filters as the board does, and the footer's totals equal a recount of what matches", async () => {
    const { owner, stages } = await filledWorkspace();
    const member = await memberOf(owner.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Hot', 'hot', 'red', 0) RETURNING id",
    )
      .bind(owner.tenantId)
      .first<{ id: number }>();
    await env.DB.batch([
      env.DB.prepare("UPDATE deals SET owner_id = ? WHERE tenant_id = ? AND id % 3 = 0").bind(memberId, owner.tenantId),
      env.DB.prepare(
        "INSERT INTO deal_tags (tenant_id, deal_id, tag_id) SELECT tenant_id, id, ? FROM deals WHERE tenant_id = ? AND id % 2 = 0",
      ).bind(tag!.id, owner.tenantId),
    ]);
    const renewals = stages.find((s) => s.pipeline_name === "Renewals")!.pipeline_id;
    const cases: [string, string][] = [
      [`pipeline=${renewals}`, `pipeline_id = ${renewals}`],
      [`owner=${memberId}`, `owner_id = '${memberId}'`],
      [`tag=${tag!.id}`, `id % 2 = 0`],
      ["status=won", "status = 'won'"],
      ["close_month=2026-02", "close_date LIKE '2026-02-%'"],
      ["amount_min=1%2C000&amount_max=2%2C000.00", "amount_minor BETWEEN 100000 AND 200000"],
      ["q=deal%2003", "name = 'Deal 03'"],
      [`status=open&tag=${tag!.id}`, "status = 'open' AND id % 2 = 0"],
    ];
    for (const [query, where] of cases) {
      const expected = (
        await env.DB.prepare(
          `SELECT currency, count(*) AS n, sum(amount_minor) AS amount FROM deals WHERE tenant_id = ? AND ${where}
           GROUP BY currency ORDER BY currency`,
        )
          .bind(owner.tenantId)
          .all<{ currency: string; n: number; amount: number }>()
      ).results;
      const total = expected.reduce((n, r) => n + r.n, 0);
      const ids = (
        await env.DB.prepare(`SELECT id FROM deals WHERE tenant_id = ? AND ${where} ORDER BY updated_at DESC, id DESC`)
          .bind(owner.tenantId)
          .all<{ id: number }>()
      ).results.map((r) => r.id);
      const { forward } = await walk(owner.cookie, `${LIST}?${query}`);
      expect(forward.flat(), query).toEqual(ids);
      const html = await page(`${LIST}?${query}`, owner.cookie);
      expect(html, query).toContain(total === 1 ? "1 deal matches." : `${total} deals match.`);
      for (const r of expected) {
        const amount = new Intl.NumberFormat("en-US", { style: "currency", currency: r.currency }).format(
          r.amount / 100,
        );
        expect(html, query).toContain(`${amount} (${r.n === 1 ? "1 deal" : `${r.n} deals`} in ${r.currency})`);
      }
    }
    // "My deals" is the signed-in member's.
    const mine = await page(`${LIST}?mine=1`, member.cookie);
    const memberDeals = (await dealRows(owner.tenantId)).filter((d) => d.id % 3 === 0).length;
    expect(mine).toContain(`${memberDeals} deals match.`);
  });

  it("amounts are read in the workspace's number format; one that cannot be read is a 422 by its field", async () => {
    const owner = await newTenant("Format Co");
    const lead = (await stagesOf(owner.tenantId))[0]!;
    await insertDeals(owner.tenantId, [
      { name: "Small", stageId: lead.id, amountMinor: 50000 },
      { name: "Big", stageId: lead.id, amountMinor: 1250050 },
      { name: "Yen", stageId: lead.id, amountMinor: 20000, currency: "JPY" },
    ]);
    await post("/app/settings/workspace", owner.cookie, {
      default_region: "US",
      locale: "de-DE",
      company_name: "Format Co",
    });
    const html = await page(`${LIST}?amount_min=${encodeURIComponent("12.500,50")}`, owner.cookie);
    expect(html).toContain("2 deals match.");
    expect(listedDealIds(html).length).toBe(2);
    const bad = await send(`${LIST}?amount_min=${encodeURIComponent("12,500.50")}`, { cookie: owner.cookie });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), "f-deal-amount-min")).toMatch(/Enter an amount like 12\.500,50/);
    const month = await send(`${LIST}?close_month=2026-13`, { cookie: owner.cookie });
    expect(month.status).toBe(422);
    expect(fieldError(await month.text(), "f-deal-close-month")).toBe("Enter a month like 2026-03.");
  });

  it("another workspace's pipeline, tag or member in a filter is a 404; its deals never show", async () => {
    const mine = await newTenant("Mine List Co");
    const theirs = await newTenant("Theirs List Co");
    const theirStage = (await stagesOf(theirs.tenantId))[0]!;
    await insertDeals(theirs.tenantId, [{ name: "Secret deal", stageId: theirStage.id, amountMinor: 999 }]);
    const tag = await env.DB.prepare(
      "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'T', 't', 'red', 0) RETURNING id",
    )
      .bind(theirs.tenantId)
      .first<{ id: number }>();
    const theirOwner = await userIdOf(theirs.email);
    for (const q of [`pipeline=${theirStage.pipeline_id}`, `tag=${tag!.id}`, `owner=${theirOwner}`])
      expect((await send(`${LIST}?${q}`, { cookie: mine.cookie })).status, q).toBe(404);
    const html = await page(LIST, mine.cookie);
    expect(html).not.toContain("Secret deal");
    expect(html).toContain("0 deals match.");
  });

  it("filters by the deals' custom fields, keeps them in the paging links; another workspace's field is a 404", async () => {
    const t = await newTenant("Deal Fields Co");
    const stage = (await stagesOf(t.tenantId))[0]!;
    const ids = await insertDeals(t.tenantId, [
      { name: "Inbound A", stageId: stage.id },
      { name: "Inbound B", stageId: stage.id },
      { name: "Partner C", stageId: stage.id },
    ]);
    const field = async (tenantId: string, name: string, kind: string, options: string[] | null) =>
      (await env.DB.prepare(
        "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, 'deal', ?, ?, ?, ?, 0, 0) RETURNING id",
      )
        .bind(tenantId, name, name.toLowerCase(), kind, options && JSON.stringify(options))
        .first<{ id: number }>())!.id;
    const source = await field(t.tenantId, "Source", "select", ["Inbound", "Partner"]);
    const seats = await field(t.tenantId, "Seats", "number", null);
    const value = (fieldId: number, dealId: number, v: string) =>
      env.DB.prepare("INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, ?)")
        .bind(t.tenantId, fieldId, dealId, v)
        .run();
    await value(source, ids[0]!, "Inbound");
    await value(source, ids[1]!, "Inbound");
    await value(source, ids[2]!, "Partner");
    await value(seats, ids[0]!, "12");
    await value(seats, ids[1]!, "40");

    const html = await page(`${LIST}?cf_${source}=Inbound`, t.cookie);
    expect(listedDealIds(html).sort()).toEqual([ids[0], ids[1]].sort());
    expect(html).toContain(`name="cf_${source}"`);
    // The sort links keep the filter.
    expect(html).toContain(`cf_${source}=Inbound&amp;sort=amount`);
    // Read as the field reads it: "12.0" is 12; two filters together.
    expect(listedDealIds(await page(`${LIST}?cf_${source}=Inbound&cf_${seats}=12.0`, t.cookie))).toEqual([ids[0]]);
    // A value the field cannot hold matches nothing, and says so without an error.
    expect(listedDealIds(await page(`${LIST}?cf_${seats}=lots`, t.cookie))).toEqual([]);

    const theirs = await newTenant("Their Deal Fields Co");
    const theirField = await field(theirs.tenantId, "Secret", "text", null);
    expect((await send(`${LIST}?cf_${theirField}=x`, { cookie: t.cookie })).status).toBe(404);
    expect((await send(`${LIST}?cf_abc=x`, { cookie: t.cookie })).status).toBe(404);
  });

  it('past the footer\'s bound it says "about" and still adds up no more than the bound allows', async () => {
    const owner = await newTenant("Many Deals Co");
    const lead = (await stagesOf(owner.tenantId))[0]!;
    for (let chunk = 0; chunk < 3; chunk++)
      await insertDeals(
        owner.tenantId,
        Array.from({ length: 700 }, (_, i) => ({ name: `D${chunk}-${i}`, stageId: lead.id, amountMinor: 100 })),
      );
    const html = await page(LIST, owner.cookie);
    expect(listedDealIds(html).length).toBe(50);
    expect(html).toContain("About: more than 2,000 deals match; these totals add up the first 2,001 found.");
    expect(html).toContain("about $2,001.00 (2001 deals in USD)");
    const few = await page(`${LIST}?q=d0-1`, owner.cookie);
    expect(few).not.toContain("About:");
  });
});
