/**
 * One deal under /app/deals/:id: its page (viewers), and for members: move (htmx answers with the card
 * and the column heads out of band; without JavaScript a redirect back), won, lost, reopen, delete and
 * notes and logged calls, meetings and emails. Another workspace's deal or stage id is a 404.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { formatAmount } from "../../../lib/money";
import { render, wantsFragment } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { requireRole } from "../../../middleware/session";
import { moveAnswerFromRows, moveAnswerStatements } from "../../../services/deals/move-answer";
import { pipelinesFromRows, pipelinesQueries, type StageChoice } from "../../../services/deals/choices";
import { closeDeal, LOST_REASON_MAX, listLostReasons, moveDeal, reopenDeal } from "../../../services/deals/outcome";
import { dealPageFromResults, dealPageStatements } from "../../../services/deals/page";
import { isRealDate } from "../../../services/deals/statements";
import { deleteDeal } from "../../../services/deals/delete";
import { withUndo } from "../shared/trash-undo";
import { actorOf, authOf, readerToday, tenantOf } from "../../context";
import { parseRecordId, timelineProps } from "../../record-helpers";
import { addInteractionRoute } from "../interactions";
import { addNoteRoute } from "../notes";
import { cardHtml, ColumnHead } from "../../../../views/pages/deals/BoardCards";
import { DealPage } from "../../../../views/pages/deals/DealPage";
import { cardView, headView } from "./views";

export const dealRecordRoutes = new Hono<AppEnv>();

/** The deal page; `form` carries a refused move/won/lost submission back to its fields. */
async function dealPage(
  c: Context<AppEnv>,
  id: number | null,
  form: { errors?: Record<string, string>; typed?: Record<string, string> } = {},
  status: ContentfulStatusCode = 200,
) {
  if (id === null) return errorResponse(c, 404);
  const t = tenantOf(c);
  // One round trip: the deal's own reads, its pipeline's stages and the lost reasons.
  const page = dealPageStatements(t, id);
  const results = (await t.db.batch([...page, ...pipelinesQueries(t), listLostReasons(t)] as never)) as unknown[];
  const [pipeRows, stageRows, reasons] = results.slice(page.length) as [
    { id: number; name: string }[],
    StageChoice[],
    { id: number; name: string }[],
  ];
  const pipes = pipelinesFromRows(pipeRows, stageRows);
  const found = dealPageFromResults(id, results.slice(0, page.length));
  if (!found) return errorResponse(c, 404);
  const auth = authOf(c);
  const d = found.deal;
  const today = readerToday(c);
  return render(
    c,
    d.name,
    <DealPage
      deal={{
        id: d.id,
        name: d.name,
        // Written the reader's way: a German reader and an American colleague each see their own.
        amount: formatAmount(d.amountMinor, d.currency, auth.user.locale),
        closeDate: d.closeDate,
        overdue: d.closeDate !== null && d.closeDate < today,
        owner: d.ownerId
          ? d.ownerName
            ? `${d.ownerName} (${d.ownerEmail})`
            : (d.ownerEmail ?? "former member")
          : null,
        company: d.companyId && d.companyName ? { id: d.companyId, name: d.companyName } : null,
        pipelineName: d.pipelineName,
        stageId: d.stageId,
        stageName: d.stageName,
        probability: d.probability,
        status: d.status,
        lostReason: d.lostReason,
        closedOn: d.closedOn,
      }}
      contacts={found.contacts}
      tags={found.tags}
      fields={found.customFields}
      values={found.values}
      stages={pipes.find((p) => p.id === d.pipelineId)?.stages ?? []}
      lostReasons={reasons}
      canWrite={roleAtLeast(auth.role, "member")}
      today={today}
      errors={form.errors}
      typed={form.typed}
      timeline={timelineProps(auth, { type: "deal", id: d.id }, { ...found.timeline, fields: found.customFields })}
    />,
    status,
  );
}

dealRecordRoutes.get("/:id", requireRole("viewer"), (c) => dealPage(c, parseRecordId(c.req.param("id"))));

dealRecordRoutes.post("/:id/move", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  const body = await c.req.parseBody();
  const stageId = parseRecordId(body.stage_id);
  if (id === null || stageId === null) return errorResponse(c, 404);
  // The board's answer is read at the end of the move's own batch: session, then one batch.
  const reads = wantsFragment(c) ? moveAnswerStatements(t, id, stageId) : [];
  const result = await moveDeal(t, actorOf(c), id, stageId, reads);
  if (!result.ok) {
    if (result.reason === "not_found") return errorResponse(c, 404);
    const message = "That stage is not in this pipeline.";
    if (wantsFragment(c)) return c.text(message, 422);
    return dealPage(c, id, { errors: { stage_id: message } }, 422);
  }
  trackFeature(c, "deal.moved");
  if (!wantsFragment(c)) return c.redirect(`/app/deals/${id}`, 303);
  // The card where it now is, and every column head of its pipeline (hx-swap-oob).
  const answer = moveAnswerFromRows(result.reads, readerToday(c));
  if (!answer) return errorResponse(c, 404);
  const { card, heads, money } = answer;
  const locale = authOf(c).user.locale;
  return c.html(
    <>
      {cardHtml(cardView(card, locale))}
      {heads.map((h) => (
        <ColumnHead head={headView(h, money.currency, locale)} oob />
      ))}
    </>,
  );
});

/** The actual close date from a won/lost form: blank is today where the user is. */
function closedOnOf(raw: unknown, today: string): string | null {
  const v = typeof raw === "string" ? raw.trim() : "";
  if (v === "") return today;
  return isRealDate(v) ? v : null;
}

dealRecordRoutes.post("/:id/won", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const closedOn = closedOnOf(body.closed_on, readerToday(c));
  if (!closedOn) {
    const typed = { won_closed_on: String(body.closed_on ?? "") };
    return dealPage(c, id, { errors: { won_closed_on: "Enter a date that exists, like 2027-03-31." }, typed }, 422);
  }
  if (!(await closeDeal(tenantOf(c), actorOf(c), id, { status: "won", closedOn }))) return errorResponse(c, 404);
  trackFeature(c, "deal.won");
  return c.redirect(`/app/deals/${id}`, 303);
});

dealRecordRoutes.post("/:id/lost", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const typed = {
    reason_id: typeof body.reason_id === "string" ? body.reason_id : "",
    reason_text: typeof body.reason_text === "string" ? body.reason_text : "",
    lost_closed_on: typeof body.closed_on === "string" ? body.closed_on : "",
  };
  const errors: Record<string, string> = {};
  const closedOn = closedOnOf(body.closed_on, readerToday(c));
  if (!closedOn) errors.lost_closed_on = "Enter a date that exists, like 2027-03-31.";
  const text = typed.reason_text.trim();
  let reason = text;
  if (text.length > LOST_REASON_MAX) errors.reason = `Write the reason in at most ${LOST_REASON_MAX} characters.`;
  if (typed.reason_id) {
    const chosen = (await listLostReasons(t)).find((r) => String(r.id) === typed.reason_id);
    if (!chosen) errors.reason = "Choose a reason from the list.";
    else reason = text ? `${chosen.name}: ${text}` : chosen.name;
  }
  if (!reason && !errors.reason) errors.reason = "Choose a reason, or write one.";
  if (Object.keys(errors).length) return dealPage(c, id, { errors, typed }, 422);
  if (!(await closeDeal(t, actorOf(c), id, { status: "lost", closedOn: closedOn!, reason: reason.slice(0, 300) })))
    return errorResponse(c, 404);
  return c.redirect(`/app/deals/${id}`, 303);
});

dealRecordRoutes.post("/:id/reopen", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await reopenDeal(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  return c.redirect(`/app/deals/${id}`, 303);
});

dealRecordRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || !(await deleteDeal(tenantOf(c), actorOf(c), id))) return errorResponse(c, 404);
  return c.redirect(await withUndo(c, "/app/deals?notice=deleted", "deal", id), 303);
});

dealRecordRoutes.post("/:id/notes", requireRole("member"), addNoteRoute("deal"));
dealRecordRoutes.post("/:id/interactions", requireRole("member"), addInteractionRoute("deal"));
