/**
 * "Select all matching" on the deal list (issue 18): offered past one page, it acts on every deal the
 * list's filters match (in chunks of 500, up to 2,000), deleting asks first; another workspace's filter
 * values match nothing; garbage and too many are a 4xx that writes nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { insertTag } from "../helpers/records";
import { expectTotalsExact, insertDeals, page, post, stagesOf } from "./list-helpers";

const BULK = "/app/deals/list/bulk";

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function workspace(name: string, matching: number, others: number) {
  const t = await newTenant(name);
  const [lead] = await stagesOf(t.tenantId);
  const specs = [
    ...Array.from({ length: matching }, (_, i) => ({ name: `Match ${i}`, stageId: lead!.id, amountMinor: 100 })),
    ...Array.from({ length: others }, (_, i) => ({ name: `Other ${i}`, stageId: lead!.id, status: "won" as const })),
  ];
  for (let i = 0; i < specs.length; i += 500) await insertDeals(t.tenantId, specs.slice(i, i + 500));
  return { t, lead: lead! };
}

describe("select all matching deals", () => {
  it("offers every match and tags all of them in chunks, none outside the filter; deleting asks first", async () => {
    const { t } = await workspace("Select Deals Co", 1_201, 5);
    const vip = await insertTag(t.tenantId, "VIP");
    const list = await page("/app/deals/list?status=open", t.cookie);
    expect(list).toContain("Select all 1,201 matching deals");
    expect(list).toContain('name="match_query" value="status=open"');

    const tag = await post(BULK, t.cookie, {
      action: "tag",
      tag_id: String(vip),
      scope: "matching",
      match_query: "status=open",
      back: "/app/deals/list?status=open",
    });
    expect(tag.status).toBe(303);
    expect(tag.headers.get("Location")).toBe("/app/deals/list?status=open&notice=tagged&n=1201");
    const taggedOf = (status: string) =>
      count(
        `SELECT count(*) AS n FROM deal_tags dt JOIN deals d ON d.id = dt.deal_id
         WHERE dt.tenant_id = ? AND dt.tag_id = ? AND d.status = ?`,
        t.tenantId,
        vip,
        status,
      );
    expect(await taggedOf("open")).toBe(1_201);
    expect(await taggedOf("won")).toBe(0);

    const form = { action: "delete", scope: "matching", match_query: "status=won", back: "/app/deals/list" };
    const ask = await post(BULK, t.cookie, form);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Move all 5 matching deals to the trash?");
    expect(await count("SELECT count(*) AS n FROM deals WHERE tenant_id = ?", t.tenantId)).toBe(1_206);
    const done = await post(BULK, t.cookie, { ...form, confirm: "1" });
    expect(done.headers.get("Location")).toBe("/app/deals/list?notice=deleted&n=5");
    expect(await count("SELECT count(*) AS n FROM deals WHERE tenant_id = ?", t.tenantId)).toBe(1_201);
    await expectTotalsExact(t.tenantId);
  });

  it("ignores another workspace's filter values and refuses garbage and too many with a 4xx, writing nothing", async () => {
    const { t } = await workspace("Too Many Deals Co", 2_001, 0);
    const b = await newTenant("Other Deals Co");
    const [bLead] = await stagesOf(b.tenantId);
    const bTag = await insertTag(b.tenantId, "B");
    const aTag = await insertTag(t.tenantId, "A");
    const bPipeline = (await env.DB.prepare("SELECT id FROM pipelines WHERE tenant_id = ?")
      .bind(b.tenantId)
      .first<{ id: number }>())!.id;
    const tagA = { action: "tag", tag_id: String(aTag), scope: "matching" };
    const before = await count("SELECT count(*) AS n FROM deal_tags WHERE tenant_id = ?", t.tenantId);
    const cases: [Record<string, string | string[]>, string][] = [
      [{ ...tagA, match_query: `pipeline=${bPipeline}` }, "No deals match"],
      [{ ...tagA, match_query: `tag=${bTag}` }, "No deals match"],
      [{ action: "tag", tag_id: String(bTag), scope: "matching", match_query: "q=match 1" }, "Choose a tag"],
      [
        { action: "move", stage_id: String(bLead!.id), scope: "matching", match_query: "q=match 1" },
        "Choose the stage",
      ],
      [{ ...tagA, match_query: "status=maybe" }, "filters could not be read"],
      [{ ...tagA, match_query: "cf_abc=1" }, "filters could not be read"],
      [{ ...tagA, match_query: ["a=1", "b=2"] }, "filters could not be read"],
      [{ ...tagA }, "filters could not be read"],
      [{ ...tagA, scope: "everything", match_query: "" }, "could not be read"],
      [{ ...tagA, match_query: "" }, "More than 2,000 deals match"],
    ];
    for (const [form, message] of cases) {
      const res = await post(BULK, t.cookie, form);
      expect(res.status, message).toBe(422);
      expect(await res.text(), message).toContain(message);
    }
    expect(await count("SELECT count(*) AS n FROM deal_tags WHERE tenant_id = ?", t.tenantId)).toBe(before);
    expect(await count("SELECT count(*) AS n FROM deal_tags WHERE tenant_id = ?", b.tenantId)).toBe(0);
  });
});
