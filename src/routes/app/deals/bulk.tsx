/**
 * Bulk actions on the deal list's selection (POST /app/deals/list/bulk), for members, admins and owners:
 * move to a stage, change the owner, add a tag, delete (which asks first, listing the deals). Ids of
 * another workspace are ignored, as in the contacts' bulk actions; a stage, member or tag of another
 * workspace is refused with the selection unchanged.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import {
  changeDealsOwner,
  DEAL_BULK_MAX_IDS,
  deleteDeals,
  moveDealsToStage,
  ownedDeals,
  tagDeals,
} from "../../../services/deals/bulk";
import { DEAL_MATCHING_MAX, dealMatchingIdsQuery, type DealListFilters } from "../../../services/deals/list";
import type { TenantDb } from "../../../db/scoped";
import { formatCount } from "../../../../views/lib/page-range";
import { readDealFilters } from "../../deal-filters";
import { actorOf, authOf, tenantOf } from "../../context";
import { parseRecordId, type FormBody } from "../../record-helpers";
import { type BulkRecords, bulkBack, bulkSelection, withNotice } from "../shared/bulk";
import {
  DealsBulkDeletePage,
  DealsBulkMatchingDeletePage,
  DealsBulkProblemPage,
} from "../../../../views/pages/deals/DealsBulkPages";
import { DEALS_LIST_PATH } from "./list";

/** Mounted with the list at /app/deals/list. */
export const dealBulkRoutes = new Hono<AppEnv>();

const DEALS: BulkRecords = { one: "deal", many: "deals", max: DEAL_BULK_MAX_IDS };

/** The ids of the deals matching `filters`, up to DEAL_MATCHING_MAX + 1 (the +1 says there are more). */
async function matchingDealIds(t: TenantDb, filters: DealListFilters): Promise<number[]> {
  const ids: number[] = [];
  while (ids.length <= DEAL_MATCHING_MAX) {
    const after = ids.at(-1) ?? 0;
    const rows = await t.db.all<{ id: number }>(dealMatchingIdsQuery(t, filters, after, DEAL_BULK_MAX_IDS));
    ids.push(...rows.map((r) => r.id));
    if (rows.length < DEAL_BULK_MAX_IDS) break;
  }
  return ids;
}

/**
 * "Select all matching": the deals the list's filters (match_query, read as the list reads them) match
 * now, at most DEAL_MATCHING_MAX, acted on DEAL_BULK_MAX_IDS at a time; deleting asks first with the count.
 */
async function matchingSelection(
  t: TenantDb,
  user: { id: string; locale: string },
  body: FormBody,
): Promise<{ problem: string } | { ids: number[]; count: string; matchQuery: string }> {
  const raw = body.match_query;
  if (typeof raw !== "string" || raw.length > 4_000) return { problem: "The filters could not be read. Filter again." };
  const read = await readDealFilters({ t, user }, new URLSearchParams(raw));
  if (read.rejected.length || Object.keys(read.errors).length)
    return { problem: "The filters could not be read. Filter again." };
  const ids = await matchingDealIds(t, read.filters);
  if (ids.length === 0) return { problem: "No deals match those filters now." };
  if (ids.length > DEAL_MATCHING_MAX)
    return {
      problem: `More than ${formatCount(DEAL_MATCHING_MAX, user.locale)} deals match: narrow the filters first.`,
    };
  return { ids, count: formatCount(ids.length, user.locale), matchQuery: raw };
}

/** Runs `act` on `ids` a chunk at a time, adding up what it changed; null when the first chunk refuses. */
async function inChunks(ids: number[], act: (chunk: number[]) => Promise<number | null>): Promise<number | null> {
  let changed = 0;
  for (let i = 0; i < ids.length; i += DEAL_BULK_MAX_IDS) {
    const done = await act(ids.slice(i, i + DEAL_BULK_MAX_IDS));
    if (done === null) return i === 0 ? null : changed;
    changed += done;
  }
  return changed;
}

dealBulkRoutes.post("/bulk", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const actor = actorOf(c);
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const back = bulkBack(body.back, DEALS_LIST_PATH);
  const problem = (message: string) =>
    render(c, "Nothing was changed", <DealsBulkProblemPage message={message} back={back} />, 422);

  const action = body.action;
  if (action !== "move" && action !== "owner" && action !== "tag" && action !== "delete")
    return problem("Choose what to do with the selected deals.");
  const matching = body.scope !== undefined;
  if (matching && body.scope !== "matching") return problem("The selection could not be read. Select the deals again.");
  const selection: { problem: string } | { ids: number[]; count?: string; matchQuery?: string } = matching
    ? await matchingSelection(t, authOf(c).user, body)
    : bulkSelection(body, DEALS);
  if ("problem" in selection) return problem(selection.problem);
  const unique = selection.ids;

  if (action === "delete") {
    if (body.confirm !== "1" && selection.matchQuery !== undefined)
      return render(
        c,
        "Delete deals",
        <DealsBulkMatchingDeletePage count={selection.count ?? ""} matchQuery={selection.matchQuery} back={back} />,
      );
    if (body.confirm !== "1") {
      const deals = await ownedDeals(t, unique);
      if (deals.length === 0) return problem("The selected deals no longer exist.");
      return render(c, "Delete deals", <DealsBulkDeletePage deals={deals} back={back} />);
    }
    const deleted = await inChunks(unique, (ids) => deleteDeals(t, actor, ids));
    return c.redirect(withNotice(back, "deleted", deleted ?? 0), 303);
  }
  if (action === "move") {
    const stageId = parseRecordId(body.stage_id);
    const moved = stageId === null ? null : await inChunks(unique, (ids) => moveDealsToStage(t, actor, ids, stageId));
    if (moved === null) return problem("Choose the stage to move the deals to.");
    return c.redirect(withNotice(back, "moved", moved), 303);
  }
  if (action === "owner") {
    const ownerId = typeof body.owner_id === "string" ? body.owner_id : "";
    const changed = ownerId === "" ? null : await inChunks(unique, (ids) => changeDealsOwner(t, actor, ids, ownerId));
    if (changed === null) return problem("Choose the member who will own the deals.");
    return c.redirect(withNotice(back, "owner_changed", changed), 303);
  }
  const tagId = parseRecordId(body.tag_id);
  const tagged = tagId === null ? null : await inChunks(unique, (ids) => tagDeals(t, actor, ids, tagId));
  if (tagged === null) return problem("Choose a tag from the list.");
  return c.redirect(withNotice(back, "tagged", tagged), 303);
});
