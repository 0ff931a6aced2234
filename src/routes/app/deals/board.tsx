/**
 * The board at /app/deals (viewers read it) and a column's next page at /app/deals/column. Another
 * workspace's pipeline or stage id is a 404. Filters come from the query string; a value that is
 * not one the form offers is left out rather than refused.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { assets } from "../../../generated/assets";
import { errorResponse } from "../../../lib/errors";
import { parseAmount } from "../../../lib/money";
import { render, wantsFragment } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { deferSessionCheck, requireRole, withSessionBatch } from "../../../middleware/session";
import { boardFromRows, boardStatements, loadColumnPage, type BoardFilters } from "../../../services/deals/board";
import { decodeCursor } from "../../../services/deals/cards";
import { workspaceMoney } from "../../../services/deals/choices";
import { thousandthsOf } from "../../../services/deals/list";
import { authOf, readerToday, tenantOf } from "../../context";
import { parseRecordId } from "../../record-helpers";
import {
  BoardPage,
  ColumnFullPage,
  ColumnPage,
  type BoardFilterErrors,
  type BoardFilterValues,
} from "../../../../views/pages/deals/BoardPage";
import type { FilterChip } from "../../../../views/partials/FilterBar";
import { cardView, headView } from "./views";

export const BOARD_PATH = "/app/deals";

/** The filters as typed (for the form), as the service reads them, and why a typed one was not applied. */
async function filtersOf(
  c: Context<AppEnv>,
): Promise<{ values: BoardFilterValues; filters: BoardFilters; errors: BoardFilterErrors }> {
  const q = (name: string) => (c.req.query(name) ?? "").slice(0, 100);
  const errors: BoardFilterErrors = {};
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q("month")) ? q("month") : "";
  // The deal list's words (src/routes/deal-filters.ts): a browser without a month picker shows a text box.
  if (q("month") && !month) errors.month = "Enter a month like 2026-03.";
  const values: BoardFilterValues = {
    owner: q("owner"),
    tag: q("tag"),
    month: month || q("month"),
    min: q("min"),
    max: q("max"),
    q: q("q").trim(),
    showClosed: c.req.query("closed") === "1",
  };
  const filters: BoardFilters = {
    ownerId: values.owner === "me" ? authOf(c).user.id : values.owner || null,
    tagId: parseRecordId(values.tag),
    month: month || null,
    q: values.q || null,
  };
  if (values.min || values.max) {
    // Amounts are typed as the reader writes them (read with the workspace currency's decimals), and compared in
    // each deal's own currency, as the deal list's filter: so the bound is in thousandths of a major unit.
    const money = await workspaceMoney(tenantOf(c));
    const read = (key: "min" | "max") => {
      const r = values[key] ? parseAmount(values[key], authOf(c).user.locale, money.currency) : null;
      if (r && !r.ok) errors[key] = r.message;
      return r?.ok ? thousandthsOf(r.minor, money.currency) : null;
    };
    filters.amountMin = read("min");
    filters.amountMax = read("max");
  }
  return { values, filters, errors };
}

/** The query string that carries the filters to "Load more". */
function filterQuery(v: BoardFilterValues): string {
  const params = new URLSearchParams();
  for (const key of ["owner", "tag", "month", "min", "max", "q"] as const) if (v[key]) params.set(key, v[key]);
  const s = params.toString();
  return s ? `&${s}` : "";
}

const CHIP_NAMES = { owner: "Owner", tag: "Tag", month: "Closing in", min: "From", max: "To" };

/** The active filters as chips (names for ids), each linking to the board without it; the search box shows q. */
function boardChips(
  v: BoardFilterValues,
  pipelineId: number,
  board: { members: { userId: string; email: string }[]; tags: { id: number; name: string }[] },
): FilterChip[] {
  const href = (without: Partial<BoardFilterValues>) => {
    const rest = { ...v, ...without };
    return `${BOARD_PATH}?pipeline=${pipelineId}${filterQuery(rest)}${rest.showClosed ? "&closed=1" : ""}`;
  };
  const chips: FilterChip[] = [];
  for (const key of ["owner", "tag", "month", "min", "max"] as const) {
    const raw = v[key];
    if (!raw) continue;
    const value =
      key === "owner"
        ? raw === "me"
          ? "My deals"
          : board.members.find((m) => m.userId === raw)?.email
        : key === "tag"
          ? board.tags.find((x) => String(x.id) === raw)?.name
          : raw;
    chips.push({ name: CHIP_NAMES[key], value: value ?? raw, removeHref: href({ [key]: "" }) });
  }
  if (v.showClosed) chips.push({ name: "Closed deals", value: "shown", removeHref: href({ showClosed: false }) });
  return chips;
}

export const boardRoutes = new Hono<AppEnv>();

// The board checks the session in its own batch (one round trip, as the contacts list does), unless a
// filter needs the user or their number format first ("my deals", an amount range).
boardRoutes.get("/", deferSessionCheck, async (c) => {
  const rawPipeline = c.req.query("pipeline");
  const pipelineId = rawPipeline ? parseRecordId(rawPipeline) : null;
  if (rawPipeline && pipelineId === null) return errorResponse(c, 404);
  if (c.get("deferredSession") && (c.req.query("owner") === "me" || c.req.query("min") || c.req.query("max"))) {
    const checked = await withSessionBatch(c, async () => []);
    if (!checked.ok) return checked.response;
  }
  const { values, filters, errors } = await filtersOf(c);
  const options = { pipelineId, filters, showClosed: values.showClosed, now: Date.now() };
  const batch = await withSessionBatch(c, async (t) => boardStatements(t, options));
  if (!batch.ok) return batch.response;
  // The reader is known once the batch has checked the session.
  const board = boardFromRows(batch.results, options, readerToday(c));
  if (!board) return errorResponse(c, 404);
  // Amounts in the workspace's currency, written the reader's way.
  const { currency } = board.money;
  const locale = authOf(c).user.locale;
  const more = (stageId: number, next: string | null) =>
    next ? `${BOARD_PATH}/column?stage=${stageId}&after=${encodeURIComponent(next)}${filterQuery(values)}` : null;
  return render(
    c,
    "Deals",
    <BoardPage
      pipelines={board.pipelines}
      pipelineId={board.pipeline.id}
      columns={board.columns.map((col) => ({
        head: headView(col.head, currency, locale),
        cards: col.cards.map((card) => cardView(card, locale)),
        moreHref: more(col.head.stage.id, col.next),
      }))}
      won={{ cards: board.won.cards.map((x) => cardView(x, locale)), more: board.won.next !== null }}
      lost={{ cards: board.lost.cards.map((x) => cardView(x, locale)), more: board.lost.next !== null }}
      filters={values}
      filterErrors={errors}
      chips={boardChips(values, board.pipeline.id, board)}
      members={board.members}
      tags={board.tags}
      canWrite={roleAtLeast(authOf(c).role, "member")}
      canImport={roleAtLeast(authOf(c).role, "admin")}
      currency={currency}
      scripts={[assets.sortable, assets.board]}
      notice={c.req.query("notice") === "deleted" ? "The deal was moved to the trash." : null}
    />,
    Object.keys(errors).length > 0 ? 422 : 200,
  );
});

boardRoutes.get("/column", requireRole("viewer"), async (c) => {
  const t = tenantOf(c);
  const stageId = parseRecordId(c.req.query("stage"));
  if (stageId === null) return errorResponse(c, 404);
  const { values, filters } = await filtersOf(c);
  const page = await loadColumnPage(t, stageId, filters, decodeCursor(c.req.query("after")), readerToday(c));
  if (!page) return errorResponse(c, 404);
  const cards = page.cards.map((card) => cardView(card, authOf(c).user.locale));
  const moreHref = page.next
    ? `${BOARD_PATH}/column?stage=${stageId}&after=${encodeURIComponent(page.next)}${filterQuery(values)}`
    : null;
  if (wantsFragment(c)) return c.html(<ColumnPage cards={cards} moreHref={moreHref} />);
  return render(
    c,
    page.stage.name,
    <ColumnFullPage
      stageName={page.stage.name}
      cards={cards}
      moreHref={moreHref}
      back={`${BOARD_PATH}?pipeline=${page.stage.pipelineId}`}
    />,
  );
});
