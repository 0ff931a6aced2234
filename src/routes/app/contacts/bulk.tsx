/**
 * Bulk actions on the contacts list's selection (POST /app/contacts/bulk): tag, untag, delete (members)
 * and erase (admins and owners). Deleting and erasing ask first, listing who would go.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { requireRole } from "../../../middleware/session";
import {
  BULK_MAX_IDS,
  countMatching,
  forEachMatchingChunk,
  MATCHING_MAX,
  ownedContacts,
  tagContacts,
  untagContacts,
} from "../../../services/contacts/bulk";
import { listTags } from "../../../services/records/tags";
import { canonicalFilterQuery, parseContactFilters } from "../../../services/records/list-filters";
import { getBulkJob, startBulkJob } from "../../../services/contacts/bulk-jobs";
import { BulkJobPage, BulkJobStatus, type BulkJobView } from "../../../../views/pages/contacts/BulkJobPage";
import { COUNT_BOUND } from "../../../services/contacts/matching";
import { wantsFragment } from "../../../lib/render";
import { isId } from "../../../lib/ids";
import { formatCount } from "../../../../views/lib/page-range";
import { BulkMatchingConfirmPage } from "../../../../views/pages/contacts/BulkMatchingPage";
import { deleteContacts } from "../../../services/contacts/delete";
import { actorOf, authOf, tenantOf } from "../../context";
import { parseRecordId, type FormBody } from "../../record-helpers";
import { BulkDeletePage, BulkErasePage, BulkProblemPage } from "../../../../views/pages/contacts/ContactPage";
import { type BulkRecords, bulkBack, bulkSelection, withNotice } from "../shared/bulk";
import { LIST_PATH } from "./list-parts";
import { jobStall } from "../../../services/jobs/stall";

/** The bulk route, mounted with the others at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactBulkRoutes = new Hono<AppEnv>();

const CONTACTS: BulkRecords = { one: "contact", many: "contacts", max: BULK_MAX_IDS };

/**
 * "Select all matching": the action on every contact the list's filters (match_query, read as the list
 * reads them) match now, in chunks (forEachMatchingChunk). Deleting and erasing ask first with the count.
 * Over MATCHING_MAX, tagging, untagging and deleting run as a background job with a progress page;
 * erasing is refused there: it is a privacy request, heavy per contact, and best narrowed to who is meant.
 */
async function matchingAction(
  c: Context<AppEnv>,
  action: "tag" | "untag" | "delete" | "erase",
  body: FormBody,
  back: string,
  problem: (message: string) => Response | Promise<Response>,
) {
  const auth = authOf(c);
  const t = tenantOf(c);
  const raw = body.match_query;
  if (typeof raw !== "string" || raw.length > 4_000) return problem("The filters could not be read. Filter again.");
  const filters = await parseContactFilters(t, new URLSearchParams(raw), auth.user.locale);
  // Like an export, refuse filters it cannot read rather than act on more contacts than were shown.
  if (filters.rejected.length) return problem("The filters could not be read. Filter again.");
  const count = await countMatching(t, filters);
  if (count === 0) return problem("No contacts match those filters now.");
  const locale = auth.user.locale ?? null;
  const inBackground = count > MATCHING_MAX;
  if (inBackground && action === "erase")
    return problem(`More than ${formatCount(MATCHING_MAX, locale)} contacts match: narrow the filters to erase them.`);
  let tagId: number | null = null;
  if (action === "tag" || action === "untag") {
    tagId = parseRecordId(body.tag_id);
    if (tagId === null) return problem("Choose the tag to add or remove.");
  }
  const suppressKey = c.env.SUPPRESSION_KEY || undefined;
  if ((action === "delete" || action === "erase") && body.confirm !== "1")
    return render(
      c,
      action === "delete" ? "Delete contacts" : "Erase contacts",
      <BulkMatchingConfirmPage
        action={action}
        count={formatCount(Math.min(count, COUNT_BOUND), locale)}
        over={count > COUNT_BOUND}
        matchQuery={raw}
        back={back}
        canSuppress={suppressKey !== undefined}
      />,
    );
  const now = Date.now();
  const actor = actorOf(c);
  if (tagId !== null && !(await listTags(t)).some((tag) => tag.id === tagId))
    return problem("Choose a tag from the list.");
  if (inBackground && action !== "erase") {
    // The job reads its query with no reader: custom values go in canonical form.
    const matchQuery = canonicalFilterQuery(filters).toString();
    const input = { action, tagId, matchQuery, total: count, userId: auth.user.id };
    const id = await startBulkJob(t, c.env.JOBS, input, now);
    return c.redirect(`/app/contacts/bulk-jobs/${id}?back=${encodeURIComponent(back)}`, 303);
  }
  const erase = { suppressKey: body.suppress === "1" ? suppressKey : undefined };
  const changed = await forEachMatchingChunk(t, filters, async (ids) => {
    if (action === "delete") return deleteContacts(t, actor, ids, { bulk: true });
    if (action === "erase") return deleteContacts(t, actor, ids, { bulk: true, erase });
    const done =
      action === "tag"
        ? await tagContacts(t, auth.user.id, ids, tagId!, now)
        : await untagContacts(t, auth.user.id, ids, tagId!, now);
    return done ?? 0;
  });
  const notice = { tag: "tagged", untag: "untagged", delete: "bulk_deleted", erase: "bulk_erased" }[action];
  return c.redirect(withNotice(back, notice, changed), 303);
}

/** Two ticked contacts: to the merge's review (src/routes/app/contacts/merge.tsx), the first one kept. */
async function mergeSelected(
  c: Context<AppEnv>,
  body: FormBody,
  problem: (message: string) => Response | Promise<Response>,
) {
  const selection = body.scope === undefined ? bulkSelection(body, CONTACTS) : null;
  if (!selection || "problem" in selection || selection.ids.length !== 2)
    return problem("Select exactly two contacts to merge.");
  const owned = await ownedContacts(tenantOf(c), selection.ids);
  if (owned.length !== 2) return problem("The selected contacts no longer exist.");
  const [kept, other] = selection.ids as [number, number];
  return c.redirect(`/app/contacts/${kept}/merge?with=${other}`, 303);
}

/** A background job's progress page, or (its htmx poll) only the status part. */
contactBulkRoutes.get("/bulk-jobs/:id", requireRole("member"), async (c) => {
  const t = tenantOf(c);
  const id = c.req.param("id");
  const job = isId(id) ? await getBulkJob(t, id) : null;
  if (!job) return errorResponse(c, 404);
  const locale = authOf(c).user.locale ?? null;
  const tagName = (await listTags(t)).find((tag) => tag.id === job.tagId)?.name ?? null;
  const total = job.status === "working" ? job.total : Math.max(job.total, job.walked);
  const view: BulkJobView = {
    id: job.id,
    action: job.action,
    tagName,
    status: job.status,
    total: total > COUNT_BOUND ? `over ${formatCount(COUNT_BOUND, locale)}` : formatCount(total, locale),
    walked: formatCount(job.walked, locale),
    changed: formatCount(job.changed, locale),
    percent: job.status === "done" ? 100 : Math.min(99, Math.floor((job.walked * 100) / Math.max(1, total))),
    message: job.message,
    stall: jobStall(job, Date.now()),
  };
  const back = bulkBack(c.req.query("back"), LIST_PATH);
  if (wantsFragment(c) && c.req.query("part") === "status") return c.html(<BulkJobStatus job={view} back={back} />);
  return render(c, "Contacts: bulk job", <BulkJobPage job={view} back={back} />);
});

contactBulkRoutes.post("/bulk", requireRole("member"), async (c) => {
  const auth = authOf(c);
  const t = tenantOf(c);
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const back = bulkBack(body.back, LIST_PATH);
  const problem = (message: string) =>
    render(c, "Nothing was changed", <BulkProblemPage message={message} back={back} />, 422);

  const action = body.action;
  if (action === "merge") return mergeSelected(c, body, problem);
  if (action !== "tag" && action !== "untag" && action !== "delete" && action !== "erase")
    return problem("Choose what to do with the selected contacts.");
  // Erasing (a privacy request, possibly suppressing future imports) is for admins and owners.
  if (action === "erase" && !roleAtLeast(auth.role, "admin")) return errorResponse(c, 403);
  if (body.scope !== undefined) {
    if (body.scope !== "matching") return problem("The selection could not be read. Select the contacts again.");
    return matchingAction(c, action, body, back, problem);
  }
  const selection = bulkSelection(body, CONTACTS);
  if ("problem" in selection) return problem(selection.problem);
  const unique = selection.ids;
  const now = Date.now();

  if (action === "delete") {
    // Asks first, listing who would go; the confirmation posts again with confirm=1.
    if (body.confirm !== "1") {
      const contacts = await ownedContacts(t, unique);
      if (contacts.length === 0) return problem("The selected contacts no longer exist.");
      return render(c, "Delete contacts", <BulkDeletePage contacts={contacts} back={back} />);
    }
    const deleted = await deleteContacts(t, actorOf(c), unique, { bulk: true });
    return c.redirect(withNotice(back, "bulk_deleted", deleted), 303);
  }

  if (action === "erase") {
    const suppressKey = c.env.SUPPRESSION_KEY || undefined;
    if (body.confirm !== "1") {
      const contacts = await ownedContacts(t, unique);
      if (contacts.length === 0) return problem("The selected contacts no longer exist.");
      return render(
        c,
        "Erase contacts",
        <BulkErasePage contacts={contacts} back={back} canSuppress={suppressKey !== undefined} />,
      );
    }
    const erase = { suppressKey: body.suppress === "1" ? suppressKey : undefined };
    const erased = await deleteContacts(t, actorOf(c), unique, { bulk: true, erase });
    return c.redirect(withNotice(back, "bulk_erased", erased), 303);
  }

  const tagId = parseRecordId(body.tag_id);
  if (tagId === null) return problem("Choose the tag to add or remove.");
  const changed =
    action === "tag"
      ? await tagContacts(t, auth.user.id, unique, tagId, now)
      : await untagContacts(t, auth.user.id, unique, tagId, now);
  if (changed === null) return problem("Choose a tag from the list.");
  return c.redirect(withNotice(back, action === "tag" ? "tagged" : "untagged", changed), 303);
});
