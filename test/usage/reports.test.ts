/**
 * The reports page's team usage: owners and admins see their own workspace's active members and features
 * used, from the daily aggregates; never another workspace's; members do not get the section.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signUp, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

async function aggregate(tenantId: string, userId: string, kind: string, name: string, count: number) {
  await env.DB.prepare(
    `INSERT INTO usage_daily (tenant_id, day, user_id, kind, name, device, plan, count, seconds)
     VALUES (?, ?, ?, ?, ?, 'desktop', 'free', ?, 0)`,
  )
    .bind(tenantId, new Date().toISOString().slice(0, 10), userId, kind, name, count)
    .run();
}

const ownerIdOf = async (tenantId: string) =>
  (await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ? AND role = 'owner'")
    .bind(tenantId)
    .first<{ user_id: string }>())!.user_id;

/** The rows of the features table: label → count as shown. */
function featureTable(html: string): Map<string, string> {
  const table = html.match(/<table[^>]*id="usage-features-table"[\s\S]*?<\/table>/)?.[0] ?? "";
  return new Map(
    [...table.matchAll(/<th scope="row">([^<]+)<\/th><td class="num" data-label="Times used">([^<]+)<\/td>/g)].map(
      (m) => [m[1]!, m[2]!],
    ),
  );
}

describe("team usage on the reports page", () => {
  it("shows a workspace its own figures and never another workspace's", async () => {
    const a = await newTenant("Usage Report Alpha");
    const b = await newTenant("Usage Report Beta");
    await aggregate(a.tenantId, await ownerIdOf(a.tenantId), "feature", "deal.won", 3);
    await aggregate(a.tenantId, "another-member-id", "page", "/app/deals", 5);
    await aggregate(b.tenantId, await ownerIdOf(b.tenantId), "feature", "import.committed", 7);
    await aggregate(b.tenantId, await ownerIdOf(b.tenantId), "feature", "deal.won", 40);

    const html = await textOf("/app/reports", { cookie: a.cookie });
    expect(html).toContain("How your team uses CustomerTrackr");
    const features = featureTable(html);
    expect(features.get("A deal marked won")).toBe("3");
    expect(features.get("An import started")).toBe("0");
    // Two members were active this week in A (the owner and one other); B's are not counted.
    expect(html).toMatch(/Active members: 2</);
  });

  it("shows a workspace on a shard its figures, which the rollup keeps on the control database", async () => {
    const owner = await signUp({ company_name: "Usage Report On A Shard" }, { env: { PLACEMENT_TARGETS: "SHARD_1" } });
    const { tenant_id: tenantId, user_id: userId } = (await env.DB.prepare(
      "SELECT m.tenant_id, m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?",
    )
      .bind(owner.email)
      .first<{ tenant_id: string; user_id: string }>())!;
    expect(
      await env.DB.prepare("SELECT shard FROM workspace_shards WHERE tenant_id = ?").bind(tenantId).first("shard"),
    ).toBe("SHARD_1");
    await aggregate(tenantId, userId, "feature", "deal.won", 4);

    const html = await textOf("/app/reports", { cookie: owner.cookie });
    expect(html).not.toContain("No features were used in this period yet.");
    expect(featureTable(html).get("A deal marked won")).toBe("4");
  });

  it("a workspace with no usage yet gets the charts' words, not a table of zeros", async () => {
    const a = await newTenant("Usage Report New Co");
    const html = await textOf("/app/reports", { cookie: a.cookie });
    expect(html).toContain("No features were used in this period yet.");
    expect(html).not.toContain('id="usage-features-table"');
  });

  it("is not shown to a member", async () => {
    const a = await newTenant("Usage Report Member Co");
    const member = await memberOf(a.tenantId, "member");
    const html = await textOf("/app/reports", { cookie: member.cookie });
    expect(html).toContain("<h1>Reports</h1>");
    expect(html).not.toContain("How your team uses CustomerTrackr");
  });
});
