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
import { actorOf, tenantOf } from "../../context";
import { parseRecordId, type FormBody } from "../../record-helpers";
import { type BulkRecords, bulkBack, bulkSelection, withNotice } from "../shared/bulk";
import { DealsBulkDeletePage, DealsBulkProblemPage } from "../../../../views/pages/deals/DealsBulkPages";
import { DEALS_LIST_PATH } from "./list";

/** Mounted with the list at /app/deals/list. */
export const dealBulkRoutes = new Hono<AppEnv>();

const DEALS: BulkRecords = { one: "deal", many: "deals", max: DEAL_BULK_MAX_IDS };

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
  const selection = bulkSelection(body, DEALS);
  if ("problem" in selection) return problem(selection.problem);
  const unique = selection.ids;

  if (action === "delete") {
    if (body.confirm !== "1") {
      const deals = await ownedDeals(t, unique);
      if (deals.length === 0) return problem("The selected deals no longer exist.");
      return render(c, "Delete deals", <DealsBulkDeletePage deals={deals} back={back} />);
    }
    return c.redirect(withNotice(back, "deleted", await deleteDeals(t, actor, unique)), 303);
  }
  if (action === "move") {
    const stageId = parseRecordId(body.stage_id);
    const moved = stageId === null ? null : await moveDealsToStage(t, actor, unique, stageId);
    if (moved === null) return problem("Choose the stage to move the deals to.");
    return c.redirect(withNotice(back, "moved", moved), 303);
  }
  if (action === "owner") {
    const ownerId = typeof body.owner_id === "string" ? body.owner_id : "";
    const changed = ownerId === "" ? null : await changeDealsOwner(t, actor, unique, ownerId);
    if (changed === null) return problem("Choose the member who will own the deals.");
    return c.redirect(withNotice(back, "owner_changed", changed), 303);
  }
  const tagId = parseRecordId(body.tag_id);
  const tagged = tagId === null ? null : await tagDeals(t, actor, unique, tagId);
  if (tagged === null) return problem("Choose a tag from the list.");
  return c.redirect(withNotice(back, "tagged", tagged), 303);
});
