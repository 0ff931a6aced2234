/**
 * The board's hottest markup: column heads and cards. Cards go through hono's `html` template with
 * as little markup as a card needs (the board's 6 × 50 cards must stay under 60 KB); the "Move to…"
 * form of each card is added by assets-src/board.js into the space the card reserves, and without
 * JavaScript the card's link leads to the deal page, which has the same form.
 */
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** A card as the board shows it: every value already formatted for reading. */
export interface CardView {
  id: number;
  name: string;
  company: string | null;
  amount: string;
  closeDate: string | null;
  overdue: boolean;
  owner: { initials: string; label: string } | null;
}

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One card (a list item of its column). */
export function cardHtml(c: CardView): Markup {
  // Every byte here is paid 300 times: the date is bare text; an overdue one says so in words too.
  const date = c.closeDate ? (c.overdue ? html`<em>${c.closeDate} overdue</em>` : c.closeDate) : "";
  const owner = c.owner ? html`<abbr title="${c.owner.label}">${c.owner.initials}</abbr>` : "";
  const company = c.company ? html`<i>${c.company}</i>` : "";
  return html`<li><a href="/app/deals/${c.id}">${c.name}</a>${company}<b>${c.amount}</b>${owner}${date}</li>`;
}

/** The "Load more" item at the end of a column; htmx replaces it with the next page. */
export function loadMoreHtml(href: string | null): Markup | string {
  if (!href) return "";
  return html`<li class="more"><a href="${href}" hx-get="${href}" hx-target="closest li" hx-swap="outerHTML"
    >Load more</a></li>`;
}

/** What a column head says: "Lead · 12 · $48,000 · weighted $4,800", other currencies beside it. */
export interface HeadView {
  stageId: number;
  name: string;
  count: number;
  total: string;
  weighted: string;
  others: string[];
}

/** A column's head; `oob` for the heads sent back with a move (hx-swap-oob). */
export function ColumnHead(p: { head: HeadView; oob?: boolean }) {
  const h = p.head;
  return (
    <h2 class="column-head" id={`head-${h.stageId}`} hx-swap-oob={p.oob ? "true" : undefined}>
      <span class="stage-name">{h.name}</span> · <span class="stage-count">{h.count}</span> · {h.total}
      <span class="weighted"> · weighted {h.weighted}</span>
      {h.others.length ? <span class="other-currencies"> {h.others.map((o) => `+ ${o}`).join(" ")}</span> : null}
    </h2>
  );
}
