/**
 * The deal board: the pipeline chooser and filters, one column per stage (head, cards, "Load more"),
 * the Won and Lost areas, and the live region board.js announces moves in. Cards can be dragged
 * (SortableJS, which app.js loads on this page only) or moved with each card's "Move to…" form.
 */
import { Breadcrumb } from "../../components/Breadcrumb";
import { raw } from "hono/html";
import { FilterBar, type FilterChip } from "../../partials/FilterBar";
import { TagFilter } from "../../partials/ListFilters";
import { InputField, SelectField, memberOptions } from "../companies/FormFields";
import { FormAlert } from "../../components/Field";
import { cardHtml, ColumnHead, loadMoreHtml, type CardView, type HeadView } from "./BoardCards";

export interface BoardFilterValues {
  owner: string;
  tag: string;
  month: string;
  min: string;
  max: string;
  q: string;
  showClosed: boolean;
}

/** Why a typed filter was not applied, by its field. */
export type BoardFilterErrors = Partial<Record<"month" | "min" | "max", string>>;

export interface BoardPageProps {
  pipelines: { id: number; name: string }[];
  pipelineId: number;
  columns: { head: HeadView; cards: CardView[]; moreHref: string | null }[];
  won: { cards: CardView[]; more: boolean };
  lost: { cards: CardView[]; more: boolean };
  filters: BoardFilterValues;
  filterErrors: BoardFilterErrors;
  /** The active filters, each linking to the board without it. */
  chips: FilterChip[];
  members: { userId: string; email: string }[];
  tags: { id: number; name: string }[];
  canWrite: boolean;
  /** Admins and owners import files: an empty board points them to the import. */
  canImport: boolean;
  /** The workspace's currency, named in the filter's amount labels. */
  currency: string;
  /** SortableJS and assets-src/board.js: app.js loads them when a board that can be changed is on the page. */
  scripts: string[];
  notice?: string | null;
}

/**
 * The board's filters as the lists have them: the name search on one line, the rest in the Filters popover
 * (open while one of them could not be read), each active filter a chip that removes it.
 */
function Filters(p: BoardPageProps) {
  const f = p.filters;
  return (
    <FilterBar
      action="/app/deals"
      label="Filter deals"
      searchId="f-q"
      searchLabel="Deal name contains"
      search={<input id="f-q" type="search" name="q" value={f.q} maxlength={100} placeholder="Name contains…" />}
      chips={p.chips}
      open={Object.keys(p.filterErrors).length > 0}
      hidden={<input type="hidden" name="pipeline" value={String(p.pipelineId)} />}
    >
      <SelectField
        name="owner"
        label="Owner"
        value={f.owner}
        empty="Anyone"
        options={[{ value: "me", label: "My deals" }, ...memberOptions(p.members)]}
      />
      <TagFilter tags={p.tags} value={f.tag} />
      <InputField
        id="f-month"
        type="month"
        name="month"
        label="Closing in"
        value={f.month}
        maxlength={7}
        error={p.filterErrors.month}
      />
      {(["min", "max"] as const).map((key) => (
        <InputField
          id={`f-${key}`}
          name={key}
          label={`${key === "min" ? "From" : "To"} (${p.currency})`}
          inputmode="decimal"
          value={f[key]}
          maxlength={30}
          error={p.filterErrors[key]}
        />
      ))}
      <label class="check" for="f-closed">
        <input id="f-closed" type="checkbox" name="closed" value="1" checked={f.showClosed} /> Show closed
      </label>
      <a href={`/app/deals?pipeline=${p.pipelineId}`}>Clear all filters</a>
    </FilterBar>
  );
}

/** Said over an empty board, so a newcomer sees what to do rather than four empty columns. */
function EmptyBoard(p: BoardPageProps) {
  const f = p.filters;
  if (p.columns.some((col) => col.cards.length > 0)) return null;
  // A filter that could not be read was not applied (the alert above says so): it filtered nothing out.
  const applied = (key: "month" | "min" | "max") => f[key] && !p.filterErrors[key];
  if (f.owner || f.tag || f.q || applied("month") || applied("min") || applied("max"))
    return (
      <p class="board-empty">
        No open deals match these filters. <a href={`/app/deals?pipeline=${p.pipelineId}`}>Clear the filters</a>
      </p>
    );
  if (p.won.cards.length > 0 || p.lost.cards.length > 0 || !p.canWrite)
    return <p class="board-empty">No open deals in this pipeline.</p>;
  return (
    <p class="board-empty">
      No deals in this pipeline yet. <a href={`/app/deals/new?pipeline=${p.pipelineId}`}>Create the first one</a>
      {p.canImport ? (
        <>
          , or <a href="/app/import">import them</a> from a Pipedrive or HubSpot export
        </>
      ) : null}
      .
    </p>
  );
}

function ClosedArea(p: { title: string; area: { cards: CardView[]; more: boolean }; id: string }) {
  return (
    <details class="closed-area" id={p.id}>
      <summary>
        {p.title} · {p.area.cards.length}
        {p.area.more ? "+" : ""}
      </summary>
      {p.area.cards.length ? (
        <ol class="cards closed-cards">{raw(p.area.cards.map((c) => cardHtml(c)).join(""))}</ol>
      ) : (
        <p class="muted">None.</p>
      )}
    </details>
  );
}

export function BoardPage(p: BoardPageProps) {
  const stages = JSON.stringify(p.columns.map((c) => [c.head.stageId, c.head.name]));
  return (
    <div class="stack deals-page wide-page">
      <div class="page-head">
        <h1>Deals</h1>
        {p.canWrite ? (
          <a class="button" href={`/app/deals/new?pipeline=${p.pipelineId}`}>
            New deal
          </a>
        ) : null}
      </div>
      {p.canWrite ? (
        <p class="muted board-hint keyboard-hint">
          Focus a card and press <kbd>t</kbd> to add a task for its deal.
        </p>
      ) : null}
      {p.notice ? (
        <p class="flash ok" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.pipelines.length > 1 ? (
        <form class="pipeline-chooser" method="get" action="/app/deals">
          <label for="f-pipeline">Pipeline</label>
          <select id="f-pipeline" name="pipeline">
            {p.pipelines.map((x) => (
              <option value={String(x.id)} selected={x.id === p.pipelineId}>
                {x.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Show
          </button>
        </form>
      ) : null}
      {Object.keys(p.filterErrors).length > 0 ? (
        <FormAlert>The filters marked below could not be read, so the board shows deals without them.</FormAlert>
      ) : null}
      <Filters {...p} />
      <EmptyBoard {...p} />
      <p id="board-status" class="visually-hidden" role="status" aria-live="polite"></p>
      <p id="board-error" class="flash error" role="alert" hidden></p>
      <div
        class="board"
        id="board"
        data-stages={stages}
        data-scripts={p.canWrite ? JSON.stringify(p.scripts) : undefined}
        aria-label="Deals by stage"
        role="region"
        tabindex={0}
      >
        {p.columns.map((col) => (
          <section class="board-column" aria-labelledby={`head-${col.head.stageId}`}>
            <ColumnHead head={col.head} />
            <ol class="cards" id={`cards-${col.head.stageId}`} data-stage={String(col.head.stageId)}>
              {raw(col.cards.map((c) => cardHtml(c)).join("") + (loadMoreHtml(col.moreHref) as string))}
            </ol>
          </section>
        ))}
      </div>
      <ClosedArea title={p.filters.showClosed ? "Won" : "Won in the last 30 days"} area={p.won} id="won-area" />
      <ClosedArea title={p.filters.showClosed ? "Lost" : "Lost in the last 30 days"} area={p.lost} id="lost-area" />
    </div>
  );
}

/** The next page of a column: its cards and the next "Load more" (the htmx answer). */
export function ColumnPage(p: { cards: CardView[]; moreHref: string | null }) {
  return <>{raw(p.cards.map((c) => cardHtml(c)).join("") + (loadMoreHtml(p.moreHref) as string))}</>;
}

/** Without JavaScript, "Load more" is a page of its own with that column's next cards. */
export function ColumnFullPage(p: { stageName: string; cards: CardView[]; moreHref: string | null; back: string }) {
  return (
    <div class="stack">
      <Breadcrumb href={p.back}>Deals</Breadcrumb>
      <h1>{p.stageName}: more deals</h1>
      <ol class="cards">{raw(p.cards.map((c) => cardHtml(c)).join("") + (loadMoreHtml(p.moreHref) as string))}</ol>
    </div>
  );
}
