/**
 * The report aggregates (issue 16, migration 0020) equal a full recount of the records after a seeded random mix
 * of what users do through the app: deals created, edited, moved, won, lost, reopened, deleted, bulk-changed and
 * imported (and the import undone); contacts created, deleted, erased and imported (and undone); activities
 * logged, edited and deleted; notes added and deleted; tasks created, completed, reopened and deleted; a member
 * removed; a stage removed with its deals moved; an account deleted. Another workspace's aggregates never move.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { invitedMember, verifiedOwner } from "../team/team-helpers";
import { post } from "../contacts/contact-helpers";
import { aggregateRowsNaming, backfilledAggregates, keptAggregates, recountedAggregates } from "./aggregate-helpers";
import { type Actor, mixOperations, type Workspace } from "./mix";

const SEED = 16_2026;
const OPERATIONS = 220;
const CHECK_EVERY = 20;

let ws: Workspace;
let other: { cookie: string; tenantId: string };
let otherBefore: Record<string, string[]>;

/** Records of every counted kind in another workspace, through its forms, so its aggregates have rows to keep. */
async function otherWorkspace() {
  const t = await newTenant("Other Reports Co");
  const stages = await env.DB.prepare("SELECT id FROM pipeline_stages WHERE tenant_id = ? ORDER BY position")
    .bind(t.tenantId)
    .all<{ id: number }>();
  const [first, second] = stages.results.map((s) => String(s.id));
  const ok = async (res: Promise<Response>) => expect((await res).status).toBe(303);
  await ok(
    post("/app/deals", t.cookie, { name: "Theirs A", amount: "100", stage_id: first!, close_date: "2027-01-05" }),
  );
  await ok(post("/app/deals", t.cookie, { name: "Theirs B", amount: "250.50", stage_id: first! }));
  const [a, b] = (
    await env.DB.prepare("SELECT id FROM deals WHERE tenant_id = ? ORDER BY id").bind(t.tenantId).all()
  ).results.map((d) => `/app/deals/${d.id}`);
  await ok(post(`${a}/move`, t.cookie, { stage_id: second! }));
  await ok(post(`${b}/won`, t.cookie, { closed_on: "2026-11-30" }));
  const contact = (
    await post("/app/contacts", t.cookie, { first_name: "Their", last_name: "Customer", allow_duplicate: "1" })
  ).headers.get("Location")!;
  await ok(
    send(`${contact}/interactions`, { cookie: t.cookie, form: { kind: "meeting", occurred_at: "2026-03-02T10:00" } }),
  );
  await ok(send(`${contact}/notes`, { cookie: t.cookie, form: { body: "Theirs" } }));
  await ok(post("/app/tasks", t.cookie, { title: "Their task", due_date: "2026-12-24" }));
  const task = await env.DB.prepare("SELECT id FROM tasks WHERE tenant_id = ?")
    .bind(t.tenantId)
    .first<{ id: number }>();
  await ok(post(`/app/tasks/${task!.id}/complete`, t.cookie, {}));
  return t;
}

beforeAll(async () => {
  const owner = await verifiedOwner("Reports Co");
  const member = await invitedMember(owner, "member");
  const admin = await invitedMember(owner, "admin");
  const actors: Actor[] = [
    { name: "owner", cookie: owner.cookie, userId: owner.userId, role: "owner" },
    { name: "member", cookie: member.cookie, userId: member.userId, role: "member" },
    { name: "admin", cookie: admin.cookie, userId: admin.userId, role: "admin" },
  ];
  // A second pipeline, through the settings form, so an edit can move a deal to another pipeline.
  expect((await post("/app/settings/pipelines", owner.cookie, { name: "Renewals" })).status).toBe(303);
  ws = { tenantId: owner.tenantId, owner: actors[0]!, actors, imports: [] };
  other = await otherWorkspace();
  otherBefore = await keptAggregates(other.tenantId);
});

describe("report aggregates", () => {
  it(`equal a full recount after ${OPERATIONS} random operations through the app (seed ${SEED})`, async () => {
    const started = Date.now();
    const log: string[] = [];
    const check = async (when: string) => {
      const context = `seed ${SEED}, ${when}; last operations:\n${log.slice(-8).join("\n")}`;
      expect(await keptAggregates(ws.tenantId), context).toEqual(await recountedAggregates(ws.tenantId));
    };
    let leaver: Actor | undefined;
    await mixOperations(ws, SEED, OPERATIONS, {
      onOperation: async (i, description) => {
        log.push(`#${i} ${description}`);
        if (i % CHECK_EVERY === 0) await check(`after operation #${i}`);
      },
      beforeAccountDeletion: async (who) => {
        leaver = who;
        // The leaver did things that count: the check below is not vacuous.
        expect(await aggregateRowsNaming(who.userId), `seed ${SEED}`).not.toEqual([]);
      },
    });
    await check("at the end");
    // The deleted account's id is in no aggregate row: their counts moved to '' with their records.
    expect(leaver, "the mix deleted an account").toBeDefined();
    expect(await aggregateRowsNaming(leaver!.userId)).toEqual([]);
    const kinds = new Set(log.map((l) => l.split(" ")[1]));
    expect(kinds.size, [...kinds].join(", ")).toBeGreaterThanOrEqual(25);
    console.info(`aggregates mix: ${OPERATIONS} operations in ${Date.now() - started} ms (seed ${SEED})`);
  }, 120_000);

  // The two below read the workspaces the mix above left.
  it("are what the migration's backfill computes from the same records", async () => {
    const kept = await keptAggregates(ws.tenantId);
    expect(Object.values(kept).every((rows) => rows.length > 0)).toBe(true);
    expect(await backfilledAggregates(ws.tenantId)).toEqual(kept);
    expect(await backfilledAggregates(other.tenantId)).toEqual(await keptAggregates(other.tenantId));
  });

  it("of another workspace never change with this one's operations", async () => {
    expect(Object.values(otherBefore).every((rows) => rows.length > 0)).toBe(true);
    expect(await keptAggregates(other.tenantId)).toEqual(otherBefore);
    expect(await recountedAggregates(other.tenantId)).toEqual(otherBefore);
  });
});
