/**
 * /app/search: the header's search box. As the box is typed in, htmx asks for the results alone
 * (HX-Target global-results) and shows them under it; without JavaScript the box submits to this
 * page. Every role reads it; the session is checked in the search's own batch (one round trip).
 */
import { trackFeature } from "../../middleware/usage";
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { displayDomain } from "../../lib/domain";
import { formatAmount } from "../../lib/money";
import { readerDueDate } from "../../services/tasks/due-day";
import { formatCalendarDate } from "../../../views/lib/time";
import { render, wantsFragment } from "../../lib/render";
import { deferSessionCheck, withSessionBatch } from "../../middleware/session";
import { authOf } from "../context";
import {
  HITS_IN_BOX,
  HITS_ON_PAGE,
  searchFromRows,
  searchStatements,
  searchText,
  type SearchResults as Found,
} from "../../services/search/global";
import { SearchPage, SearchResults, type SearchHitsView } from "../../../views/pages/search/SearchResults";

const STATUS_WORDS: Record<string, string> = { won: "Won", lost: "Lost" };

function viewOf(q: string, found: Found, reader: { locale: string; timeZone: string }): SearchHitsView {
  const { locale } = reader;
  const join = (...parts: (string | null)[]) => parts.filter(Boolean).join(" · ");
  return {
    q,
    contacts: {
      more: found.contacts.more,
      hits: found.contacts.hits.map((h) => ({ id: h.id, name: h.name, detail: join(h.email, h.companyName) })),
    },
    companies: {
      more: found.companies.more,
      hits: found.companies.hits.map((h) => ({
        id: h.id,
        name: h.name,
        detail: h.domain ? displayDomain(h.domain) : "",
      })),
    },
    deals: {
      more: found.deals.more,
      hits: found.deals.hits.map((h) => ({
        id: h.id,
        name: h.name,
        detail: join(formatAmount(h.amountMinor, h.currency, locale), STATUS_WORDS[h.status] ?? h.stage),
      })),
    },
    tasks: {
      more: found.tasks.more,
      hits: found.tasks.hits.map((h) => ({
        id: h.id,
        name: h.title,
        detail: `${h.status === "done" ? "Done · due" : "Due"} ${formatCalendarDate(readerDueDate(h, reader.timeZone), locale)}`,
      })),
    },
  };
}

export const searchRoutes = new Hono<AppEnv>();

/** Where each kind of hit leads, for the command palette's JSON (the views link the same way). */
const HIT_PATHS: Record<keyof Omit<SearchHitsView, "q">, (id: number) => string> = {
  contacts: (id) => `/app/contacts/${id}`,
  companies: (id) => `/app/companies/${id}`,
  deals: (id) => `/app/deals/${id}`,
  tasks: (id) => `/app/tasks/${id}/edit`,
};

/** The hits as the command palette reads them (assets-src/palette.js): each kind's name, detail and link. */
function jsonOf(view: SearchHitsView | null) {
  const kinds = Object.keys(HIT_PATHS) as (keyof typeof HIT_PATHS)[];
  return Object.fromEntries(
    kinds.map((k) => [
      k,
      (view?.[k].hits ?? []).map((h) => ({ name: h.name, detail: h.detail, href: HIT_PATHS[k](h.id) })),
    ]),
  );
}

searchRoutes.get("/", deferSessionCheck, async (c) => {
  const raw = (c.req.query("q") ?? "").slice(0, 100);
  const text = searchText(raw);
  const asJson = c.req.query("format") === "json";
  const inBox = asJson || (wantsFragment(c) && c.req.header("HX-Target") === "global-results");
  const limit = inBox ? HITS_IN_BOX : HITS_ON_PAGE;
  const batch = await withSessionBatch(c, async (t) => (text ? searchStatements(t, text, limit) : []));
  if (!batch.ok) return batch.response;
  c.header("Cache-Control", "private, no-store");
  if (asJson && !text) return c.json(jsonOf(null));
  if (!text) return inBox ? c.html("") : render(c, "Search", <SearchPage view={null} q={raw} />);
  const found = searchFromRows(batch.results, limit);
  // A search counts once it is submitted (the results page, also Enter in the box): the box's live results and the
  // palette's JSON answer every pause in typing, so they would count one search several times.
  if (!inBox) trackFeature(c, "search.used");
  const view = viewOf(text, found, authOf(c).user);
  if (asJson) return c.json(jsonOf(view));
  if (inBox) return c.html(<SearchResults view={view} idPrefix="global-results" />);
  return render(c, `Search: ${text}`, <SearchPage view={view} q={raw} />);
});
