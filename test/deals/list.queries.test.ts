/**
 * The deal list's statements are answered from indexes: EXPLAIN QUERY PLAN of the exact SQL the
 * service builds shows each sort on its own index, never a scan of deals or a sort of the workspace's
 * deals; and the page makes the same number of round trips for 5 deals as for 120.
 */
import { env } from "cloudflare:workers";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { dealsFooterQuery, dealsListQuery, type DealListQuery } from "../../src/services/deals/list";
import { DEAL_SORTS, type DealCursor, type StageKey } from "../../src/services/deals/list-sort";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { insertDeals, listedDealIds, stagesOf } from "./list-helpers";

const dialect = new SQLiteAsyncDialect();

async function plan(sql: ReturnType<typeof dealsListQuery>): Promise<string> {
  const q = dialect.sqlToQuery(sql);
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
    .bind(...q.params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join(" | ");
}

const base = (over: Partial<DealListQuery> = {}): DealListQuery => ({
  pipelineId: null,
  ownerId: null,
  tagId: null,
  closeMonth: null,
  amountMin: null,
  amountMax: null,
  status: null,
  name: null,
  custom: [],
  sort: "updated",
  dir: "desc",
  cursor: null,
  ...over,
});

async function filled(n: number) {
  const t = await newTenant(`Deal Plans ${n}`);
  const stages = await stagesOf(t.tenantId);
  await insertDeals(
    t.tenantId,
    Array.from({ length: n }, (_, i) => ({ name: `Deal ${i}`, stageId: stages[i % 4]!.id, amountMinor: i * 100 })),
  );
  return t;
}

describe("query plans", () => {
  it("every sort, both ways, first, next and previous pages, walks its index without sorting", async () => {
    const t = await filled(60);
    const db = scoped(createDb(env.DB), t.tenantId);
    const indexOf: Record<string, RegExp> = {
      amount: /SEARCH d USING (COVERING )?INDEX deals_tenant_amount_idx \(tenant_id=\?/,
      close: /SEARCH d USING (COVERING )?INDEX deals_tenant_close_idx \(tenant_id=\?/,
      updated: /SEARCH d USING (COVERING )?INDEX deals_tenant_updated_idx \(tenant_id=\?/,
      name: /SEARCH d USING (COVERING )?INDEX deals_tenant_name_idx \(tenant_id=\?/,
      stage:
        /SEARCH s USING (COVERING )?INDEX pipeline_stages_tenant_order_idx \(tenant_id=\?.*SEARCH d USING (COVERING )?INDEX deals_tenant_stage_idx \(tenant_id=\? AND stage_id=\?/,
    };
    const stageKey: StageKey = [0, 1, 2, 3, "open", "2026-01-01"];
    for (const sort of DEAL_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        const value = sort === "stage" ? stageKey : sort === "name" || sort === "close" ? "m" : 5;
        const cursors: (DealCursor | null)[] = [
          null,
          ...[false, true].map((back) => ({ sort, dir, value, id: 9, back })),
        ];
        for (const cursor of cursors) {
          const label = `${sort} ${dir} ${cursor ? (cursor.back ? "previous" : "next") : "first"}`;
          const text = await plan(dealsListQuery(db, base({ sort, dir, cursor })));
          expect(text, label).toMatch(indexOf[sort]!);
          expect(text, label).not.toMatch(/\bSCAN d\b|\bSCAN deals\b/);
          expect(text, label).not.toContain("TEMP B-TREE");
        }
      }
    }
  });

  it("filters keep the plan on indexes, and the footer reads a bounded range", async () => {
    const t = await filled(10);
    const db = scoped(createDb(env.DB), t.tenantId);
    const filters = base({ tagId: 1, ownerId: "x", status: "open", closeMonth: "2026-02", amountMin: 1, name: "a" });
    // With an owner filter SQLite may prefer deals_tenant_owner_idx and sort that owner's deals: still
    // a search on an index, never a scan of the workspace.
    for (const sort of DEAL_SORTS) {
      const text = await plan(dealsListQuery(db, { ...filters, sort }));
      expect(text, sort).toMatch(/SEARCH d USING (COVERING )?INDEX deals_tenant_\w+_idx \(tenant_id=\?/);
      expect(text, sort).not.toMatch(/\bSCAN d\b|\bSCAN deal_tags\b/);
    }
    const footer = await plan(dealsFooterQuery(db, filters));
    expect(footer).not.toMatch(/\bSCAN d\b/);
    expect(dialect.sqlToQuery(dealsFooterQuery(db, filters)).sql).toMatch(/LIMIT \?/);
  });
});

describe("round trips per page", () => {
  it("the list makes as many round trips for 5 deals as for 120, and never uses OFFSET", async () => {
    const small = await filled(5);
    const large = await filled(120);
    const counts: number[] = [];
    for (const t of [small, large]) {
      for (const path of ["/app/deals/list", "/app/deals/list?sort=stage&status=open"]) {
        const counting = countingDb();
        const res = await send(path, { cookie: t.cookie, env: { DB: counting.binding } });
        expect(res.status).toBe(200);
        expect(listedDealIds(await res.text()).length).toBe(t === small ? 5 : 50);
        counts.push(counting.roundTrips.count);
        expect(counting.statements.join("\n").toLowerCase()).not.toContain("offset");
      }
    }
    expect(counts.slice(2)).toEqual(counts.slice(0, 2));
    console.log(`deal list round trips (5 vs 120 deals): ${JSON.stringify(counts)}`);
  });
});
