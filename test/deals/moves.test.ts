/**
 * Moves and outcomes: concurrent moves of the same and of different deals keep the stage totals and
 * the history exact (the later move wins); won, lost with a reason, reopen; notes on a deal.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addPipeline, createDeal, dealRow, expectTotalsExact, fieldError, pipelinesOf, post } from "./helpers";

let owner: Awaited<ReturnType<typeof newTenant>>;
let stages: { id: number; name: string }[];

beforeAll(async () => {
  owner = await newTenant("Moves Co");
  stages = (await pipelinesOf(owner.tenantId))[0]!.stages;
});

async function openSpans(dealId: number) {
  const r = await env.DB.prepare(
    "SELECT stage_id, status FROM deal_stage_history WHERE deal_id = ? AND left_at IS NULL",
  )
    .bind(dealId)
    .all<{ stage_id: number; status: string }>();
  return r.results;
}

describe("moving deals", () => {
  it("a move saves the stage, answers htmx with the card and the column heads, and writes the timeline", async () => {
    const id = await createDeal(owner.cookie, { name: "Mover", amount: "1,000", stage_id: String(stages[0]!.id) });
    const res = await post(
      `/app/deals/${id}/move`,
      owner.cookie,
      { stage_id: String(stages[2]!.id) },
      { "HX-Request": "true" },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`href="/app/deals/${id}"`);
    expect(html).toContain(`id="head-${stages[2]!.id}" hx-swap-oob="true"`);
    expect((await dealRow(id))!.stage_id).toBe(stages[2]!.id);
    const page = await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text();
    expect(page).toMatch(/moved it from <q>Lead<\/q> to <q>Proposal<\/q>/);
    expect(await openSpans(id)).toEqual([{ stage_id: stages[2]!.id, status: "open" }]);
    // Without JavaScript: a form post and a redirect back.
    const plain = await post(`/app/deals/${id}/move`, owner.cookie, { stage_id: String(stages[1]!.id) });
    expect(plain.status).toBe(303);
    await expectTotalsExact(owner.tenantId);
  });

  it("keeps the totals exact after 20 concurrent moves of the same and of different deals", async () => {
    const ids: number[] = [];
    for (const [i, amount] of ["100", "250.50", "9,999.99"].entries())
      ids.push(await createDeal(owner.cookie, { name: `Race ${i}`, amount, stage_id: String(stages[0]!.id) }));
    const eur = await createDeal(owner.cookie, {
      name: "Race EUR",
      amount: "70",
      currency: "EUR",
      stage_id: String(stages[0]!.id),
    });
    ids.push(eur);
    const moves = Array.from({ length: 20 }, (_, i) => ({
      id: i < 8 ? ids[0]! : ids[1 + (i % 3)]!,
      stage: stages[(i * 7) % stages.length]!.id,
    }));
    const answers = await Promise.all(
      moves.map((m) =>
        post(`/app/deals/${m.id}/move`, owner.cookie, { stage_id: String(m.stage) }, { "HX-Request": "true" }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(moves.map(() => 200));
    await expectTotalsExact(owner.tenantId);
    for (const id of ids) {
      // One open span, and it is where the deal is: no move was lost between the row and its history.
      const deal = await dealRow(id);
      expect(await openSpans(id)).toEqual([{ stage_id: deal!.stage_id, status: "open" }]);
    }
  });

  it("refuses a stage of another pipeline (422) and another workspace's stage or deal (404)", async () => {
    const id = await createDeal(owner.cookie, { name: "Stay", amount: "5", stage_id: String(stages[0]!.id) });
    const renewals = await addPipeline(owner.tenantId, "Renewals", ["Due"]);
    const wrong = await post(`/app/deals/${id}/move`, owner.cookie, { stage_id: String(renewals.stages[0]!.id) });
    expect(wrong.status).toBe(422);
    expect(fieldError(await wrong.text(), "f-move-stage")).toMatch(/That stage is not in this pipeline\./);
    const other = await newTenant("Elsewhere");
    const theirStage = (await pipelinesOf(other.tenantId))[0]!.stages[1]!.id;
    expect((await post(`/app/deals/${id}/move`, owner.cookie, { stage_id: String(theirStage) })).status).toBe(404);
    expect((await post(`/app/deals/${id}/move`, other.cookie, { stage_id: String(theirStage) })).status).toBe(404);
    expect((await dealRow(id))!.stage_id).toBe(stages[0]!.id);
    await expectTotalsExact(owner.tenantId);
  });
});

describe("won and lost", () => {
  it("won takes the actual close date, leaves the totals, shows in the Won area; reopen brings it back", async () => {
    const id = await createDeal(owner.cookie, {
      name: "Winner",
      amount: "500",
      close_date: "2020-01-01",
      stage_id: String(stages[3]!.id),
    });
    const won = await post(`/app/deals/${id}/won`, owner.cookie, { closed_on: "2026-12-01" });
    expect(won.status).toBe(303);
    expect(await dealRow(id)).toMatchObject({ status: "won", closed_on: "2026-12-01" });
    await expectTotalsExact(owner.tenantId);
    expect(await openSpans(id)).toEqual([{ stage_id: stages[3]!.id, status: "won" }]);
    const board = await (await send("/app/deals?closed=1", { cookie: owner.cookie })).text();
    const wonArea = board.slice(board.indexOf('id="won-area"'), board.indexOf('id="lost-area"'));
    expect(wonArea).toContain("Winner");
    // A closed deal shows the day it closed, and is not "overdue".
    expect(wonArea).toContain("12/1/2026");
    expect(wonArea).not.toContain("overdue");
    const reopen = await post(`/app/deals/${id}/reopen`, owner.cookie, {});
    expect(reopen.status).toBe(303);
    expect(await dealRow(id)).toMatchObject({ status: "open", closed_on: null });
    await expectTotalsExact(owner.tenantId);
  });

  it("won defaults to today and refuses a date that does not exist", async () => {
    const id = await createDeal(owner.cookie, { name: "Today", amount: "1", stage_id: String(stages[0]!.id) });
    const bad = await post(`/app/deals/${id}/won`, owner.cookie, { closed_on: "2027-02-31" });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), "f-won-date")).toMatch(/date that exists/);
    expect((await dealRow(id))!.status).toBe("open");
    await post(`/app/deals/${id}/won`, owner.cookie, { closed_on: "" });
    expect((await dealRow(id))!.closed_on).toBe(new Date().toISOString().slice(0, 10));
  });

  it("lost needs a reason from the list or typed, and records it", async () => {
    const id = await createDeal(owner.cookie, { name: "Loser", amount: "300", stage_id: String(stages[1]!.id) });
    const none = await post(`/app/deals/${id}/lost`, owner.cookie, { reason_id: "", reason_text: "" });
    expect(none.status).toBe(422);
    const refused = await none.text();
    expect(fieldError(refused, "f-lost-reason")).toMatch(/Choose a reason/);
    // The Lost form sits behind a disclosure: refused, it is open so the message is seen without a click.
    expect(refused).toContain('<details class="outcome-lost" open="">');
    expect(await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text()).toContain(
      '<details class="outcome-lost"><summary>',
    );
    const other = await newTenant("Reasons elsewhere");
    const theirReason = await env.DB.prepare("SELECT id FROM lost_reasons WHERE tenant_id = ? LIMIT 1")
      .bind(other.tenantId)
      .first<{ id: number }>();
    const foreign = await post(`/app/deals/${id}/lost`, owner.cookie, { reason_id: String(theirReason!.id) });
    expect(foreign.status).toBe(422);
    expect((await dealRow(id))!.status).toBe("open");
    const price = await env.DB.prepare("SELECT id FROM lost_reasons WHERE tenant_id = ? AND name = 'Price'")
      .bind(owner.tenantId)
      .first<{ id: number }>();
    const lost = await post(`/app/deals/${id}/lost`, owner.cookie, {
      reason_id: String(price!.id),
      reason_text: "They chose the cheaper plan",
      closed_on: "2026-11-30",
    });
    expect(lost.status).toBe(303);
    expect(await dealRow(id)).toMatchObject({
      status: "lost",
      lost_reason: "Price: They chose the cheaper plan",
      closed_on: "2026-11-30",
    });
    await expectTotalsExact(owner.tenantId);
  });
});

describe("notes and delete", () => {
  it("a note on a deal shows in its timeline and touches the deal, not a company with the same id", async () => {
    // Other files share this database: the deal's id goes well past every company's, so the one below is free.
    await env.DB.prepare(
      "UPDATE sqlite_sequence SET seq = max(seq, (SELECT max(id) FROM companies) + 1000) WHERE name = 'deals'",
    ).run();
    const id = await createDeal(owner.cookie, { name: "Noted", amount: "1", stage_id: String(stages[0]!.id) });
    // A company whose id is the deal's: before deals were touched by their own notes, this one was.
    await env.DB.prepare(
      "INSERT INTO companies (id, tenant_id, name, name_sort, created_at, updated_at, last_activity_at) VALUES (?, ?, 'Same id', 'same id', 1, 1, 1)",
    )
      .bind(id, owner.tenantId)
      .run();
    const res = await post(`/app/deals/${id}/notes`, owner.cookie, { body: "Called them today" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/app/deals/${id}#timeline-deal-${id}`);
    const page = await (await send(`/app/deals/${id}`, { cookie: owner.cookie })).text();
    expect(page).toContain("Called them today");
    const company = await env.DB.prepare(
      "SELECT last_activity_at FROM companies WHERE tenant_id = ? AND name = 'Same id'",
    )
      .bind(owner.tenantId)
      .first<{ last_activity_at: number }>();
    expect(company!.last_activity_at).toBe(1);
    expect((await dealRow(id))!.last_activity_at as number).toBeGreaterThan(1);
  });

  it("delete takes the deal out of the totals and the counter, with its notes", async () => {
    const id = await createDeal(owner.cookie, { name: "Doomed", amount: "42", stage_id: String(stages[2]!.id) });
    await post(`/app/deals/${id}/notes`, owner.cookie, { body: "Bye" });
    const res = await post(`/app/deals/${id}/delete`, owner.cookie, {});
    expect(res.status).toBe(303);
    expect(await dealRow(id)).toBeNull();
    const notes = await env.DB.prepare("SELECT count(*) AS n FROM notes WHERE subject_type = 'deal' AND subject_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(notes!.n).toBe(0);
    await expectTotalsExact(owner.tenantId);
    expect((await post(`/app/deals/${id}/delete`, owner.cookie, {})).status).toBe(404);
  });
});
