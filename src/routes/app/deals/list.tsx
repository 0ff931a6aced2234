/**
 * The deal list at /app/deals/list: the workspace's deals (all pipelines or ?pipeline=), filtered like
 * the board, sorted with keyset pages, the filtered set's totals in the footer, and the bulk actions'
 * form. Viewers read; members act on the selection. A filter naming another workspace's pipeline,
 * tag or member is a 404; a filter that cannot be read is a 422 with its message beside it.
 */
import {
  canonicalViewQuery,
  numberKeysOf,
  viewQueryInLocale,
  type ViewQuery,
} from "../../../services/records/saved-views";
import { savedViewsProps, viewerOf, viewHref, withoutStaleFilters } from "../shared/saved-views";
import { Hono } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { formatAmount } from "../../../lib/money";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { deferSessionCheck, withSessionBatch } from "../../../middleware/session";
import {
  DEAL_MATCHING_MAX,
  DEALS_PAGE_SIZE,
  dealsListFromResults,
  dealsListStatements,
} from "../../../services/deals/list";
import {
  DEAL_SORTS,
  DEFAULT_DIRECTION,
  decodeDealCursor,
  encodeDealCursor,
  type DealSort,
  type SortDirection,
} from "../../../services/deals/list-sort";
import { authOf, tenantOf } from "../../context";
import {
  canonicalDealEcho,
  dealFilterQuery,
  dealFiltersReadFirst,
  DEAL_ECHO_KEYS,
  readDealFilters,
} from "../../deal-filters";
import { formatCount, pageRange } from "../../../../views/lib/page-range";
import type { FilterChip } from "../../../../views/partials/FilterBar";
import { DEAL_LIST_NOTICES, DealsListPage, type DealListEcho } from "../../../../views/pages/deals/DealsListPage";

export const DEALS_LIST_PATH = "/app/deals/list";

/** Mounted at /app/deals/list, BEFORE the board's /app/deals (which would otherwise take /list as a deal id). */
export const dealListRoutes = new Hono<AppEnv>();

const ECHO_KEYS = DEAL_ECHO_KEYS;

/** A list URL with these filters (only what is set), sort and cursor. */
export function dealsListHref(
  echo: DealListEcho,
  sort: DealSort,
  dir: SortDirection,
  cursor?: string,
  at?: number,
): string {
  const q = new URLSearchParams();
  for (const k of ECHO_KEYS) if (echo[k]) q.set(k, echo[k]);
  for (const [k, v] of Object.entries(echo.custom)) if (v) q.set(k, v);
  if (sort !== "updated") q.set("sort", sort);
  if (dir !== DEFAULT_DIRECTION[sort]) q.set("dir", dir);
  if (cursor) q.set("cursor", cursor);
  if (cursor && at) q.set("at", String(at));
  const s = q.toString();
  return s ? `${DEALS_LIST_PATH}?${s}` : DEALS_LIST_PATH;
}

const CHIP_NAMES: Record<(typeof ECHO_KEYS)[number], string> = {
  pipeline: "Pipeline",
  owner: "Owner",
  mine: "My deals",
  tag: "Tag",
  close_month: "Closing in",
  amount_min: "Amount from",
  amount_max: "Amount to",
  status: "Status",
  q: "Name contains",
};

/** The active filters as chips (names for ids), each linking to the list without it. */
function dealChips(
  echo: DealListEcho,
  sort: DealSort,
  dir: SortDirection,
  href: typeof dealsListHref,
  context: {
    pipelines: { id: number; name: string }[];
    tags: { id: number; name: string }[];
    members: { userId: string; email: string }[];
    customFields: { id: number; name: string; kind: string }[];
  },
): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const key of ECHO_KEYS) {
    const raw = echo[key];
    if (!raw || key === "q") continue;
    const value =
      key === "pipeline"
        ? context.pipelines.find((p) => String(p.id) === raw)?.name
        : key === "tag"
          ? context.tags.find((x) => String(x.id) === raw)?.name
          : key === "owner"
            ? context.members.find((m) => m.userId === raw)?.email
            : key === "mine"
              ? "yes"
              : raw;
    chips.push({
      name: CHIP_NAMES[key],
      value: value ?? raw,
      removeHref: href({ ...echo, [key]: "" }, sort, dir),
    });
  }
  for (const [key, raw] of Object.entries(echo.custom)) {
    if (!raw) continue;
    const field = context.customFields.find((f) => `cf_${f.id}` === key);
    chips.push({
      name: field?.name ?? "Field",
      value: field?.kind === "checkbox" && raw === "1" ? "Yes" : raw,
      removeHref: href({ ...echo, custom: { ...echo.custom, [key]: "" } }, sort, dir),
    });
  }
  return chips;
}

// The list checks the session in its own batch (one round trip), unless a filter needs the user or
// their number format first ("my deals", an amount range).
dealListRoutes.get("/", deferSessionCheck, async (c) => {
  const query = new URL(c.req.url).searchParams;
  const readsFirst = dealFiltersReadFirst(query);
  if (c.get("deferredSession") && readsFirst) {
    const checked = await withSessionBatch(c, async () => []);
    if (!checked.ok) return checked.response;
  }
  // Custom field filters need the deal fields' kinds first; one that is not this workspace's is a 404.
  const who = c.get("deferredSession") && !readsFirst ? null : { t: tenantOf(c), user: authOf(c).user };
  const read = await readDealFilters(who, query);
  if (read.rejected.length)
    return query.get("view")
      ? c.redirect(withoutStaleFilters(DEALS_LIST_PATH, query, read.rejected), 302)
      : errorResponse(c, 404);
  const { echo, errors, filters } = read;
  const sortParam = query.get("sort") ?? "";
  const sort: DealSort = (DEAL_SORTS as readonly string[]).includes(sortParam) ? (sortParam as DealSort) : "updated";
  const dirParam = query.get("dir");
  const dir: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : DEFAULT_DIRECTION[sort];

  const cursor = decodeDealCursor(query.get("cursor") ?? undefined, sort, dir);
  const listQuery = { ...filters, sort, dir, cursor };
  const viewer = viewerOf(c);
  const batch = await withSessionBatch(c, async (t) => dealsListStatements(t, listQuery, viewer));
  if (!batch.ok) return batch.response;
  const auth = authOf(c);
  const { page, footer, context } = await dealsListFromResults(batch.t, listQuery, batch.results);
  // The list with no parameters opens the user's default view (`view=all` is the plain list); an open view
  // stays open (its tab current, "changed" when refined) in every link of the page.
  // A view keeps numbers canonical; its links write them as this reader types them (the list reads them so).
  const numberKeys = numberKeysOf("deal", context.customFields);
  const readerQuery = (v: ViewQuery) => viewQueryInLocale(v, numberKeys, auth.user.locale);
  const defaultView = context.savedViews.find((v) => v.id === context.defaultViewId);
  if (defaultView && [...query.keys()].length === 0)
    return c.redirect(viewHref(DEALS_LIST_PATH, { id: defaultView.id, query: readerQuery(defaultView) }), 302);
  const currentView = context.savedViews.find((v) => String(v.id) === query.get("view")) ?? null;
  const href: typeof dealsListHref = (...args) => {
    const plain = dealsListHref(...args);
    if (!currentView) return plain;
    return `${plain}${plain.includes("?") ? "&" : "?"}view=${currentView.id}`;
  };
  const viewQuery = canonicalViewQuery(
    new URLSearchParams(dealsListHref(canonicalDealEcho(read), sort, dir).split("?")[1] ?? ""),
    "deal",
  );
  // A view saved before views kept numbers canonical holds them as typed: it is "changed" against these.
  const typedQuery = canonicalViewQuery(
    new URLSearchParams(dealsListHref(echo, sort, dir).split("?")[1] ?? ""),
    "deal",
  );
  // Another workspace's pipeline, tag or member read nothing; say so rather than show an empty list. In an open
  // saved view they are ones deleted or removed since: the view opens without them.
  const stale = [
    filters.pipelineId !== null && !context.pipelines.some((p) => p.id === filters.pipelineId) ? "pipeline" : "",
    filters.tagId !== null && !context.tags.some((x) => x.id === filters.tagId) ? "tag" : "",
    filters.ownerId !== null && !context.members.some((m) => m.userId === filters.ownerId) ? "owner" : "",
  ].filter(Boolean);
  if (stale.length)
    return currentView ? c.redirect(withoutStaleFilters(DEALS_LIST_PATH, query, stale), 302) : errorResponse(c, 404);

  const email = new Map(context.members.map((m) => [m.userId, m.email]));
  const money = (minor: number, currency: string) => formatAmount(minor, currency, auth.user.locale);
  const sortLink = (s: DealSort) => {
    const current = sort === s;
    const nextDir: SortDirection = current ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[s];
    return {
      href: href(echo, s, nextDir),
      state: current ? (dir === "asc" ? ("ascending" as const) : ("descending" as const)) : null,
    };
  };
  const notice = DEAL_LIST_NOTICES[query.get("notice") as keyof typeof DEAL_LIST_NOTICES];
  // The offset rides in the URL beside the keyset cursor (for the range shown; SQL never uses it);
  // the count is the footer's, bounded like its totals.
  const atParam = Number(query.get("at") ?? "0");
  const at = page.previous && Number.isSafeInteger(atParam) && atParam > 0 ? atParam : 0;
  const total = { count: footer.approximate ? footer.deals - 1 : footer.deals, over: footer.approximate };
  const range = pageRange(at, page.rows.length, total, auth.user.locale ?? null);
  const n = Number(query.get("n") ?? "0");
  return render(
    c,
    "Deals",
    <DealsListPage
      rows={page.rows.map((r) => ({
        id: r.id,
        name: r.name,
        companyId: r.companyId,
        companyName: r.companyName,
        amount: money(r.amountMinor, r.currency),
        stage: context.pipelines.length > 1 ? `${r.pipelineName} › ${r.stageName}` : r.stageName,
        status: r.status,
        closeDate: r.closeDate,
        owner: r.ownerId ? (email.get(r.ownerId) ?? "former member") : null,
        updatedAt: r.updatedAt,
      }))}
      footer={{
        deals: footer.deals,
        approximate: footer.approximate,
        totals: footer.totals.map((x) => ({
          currency: x.currency,
          deals: x.deals,
          amount: money(x.amountMinor, x.currency),
        })),
      }}
      echo={echo}
      errors={errors}
      sort={sort}
      sortLinks={
        Object.fromEntries(DEAL_SORTS.map((s) => [s, sortLink(s)])) as Record<DealSort, ReturnType<typeof sortLink>>
      }
      nextHref={page.next ? href(echo, sort, dir, encodeDealCursor(page.next), at + page.rows.length) : null}
      previousHref={
        page.previous ? href(echo, sort, dir, encodeDealCursor(page.previous), Math.max(0, at - DEALS_PAGE_SIZE)) : null
      }
      selfHref={href(echo, sort, dir, query.get("cursor") ?? undefined, at)}
      range={range}
      chips={dealChips(echo, sort, dir, href, context)}
      views={savedViewsProps(c, {
        listPath: DEALS_LIST_PATH,
        allLabel: "All deals",
        views: context.savedViews,
        defaultViewId: context.defaultViewId,
        current: currentView,
        query: viewQuery,
        typedQuery,
        readerQuery,
      })}
      matching={
        (page.next || page.previous) && !footer.approximate && footer.deals <= DEAL_MATCHING_MAX
          ? {
              query: dealFilterQuery(echo),
              label: `Select all ${formatCount(footer.deals, auth.user.locale ?? null)} ${
                dealFilterQuery(echo) ? "matching deals" : "deals"
              }`,
            }
          : null
      }
      context={context}
      canWrite={roleAtLeast(auth.role, "member")}
      notice={notice ? notice(Number.isSafeInteger(n) && n >= 0 ? n : 0) : null}
    />,
    Object.keys(errors).length > 0 ? 422 : 200,
  );
});
