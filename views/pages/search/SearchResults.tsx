/**
 * What the header's search finds, grouped by kind: as the box's live results (htmx swaps them under
 * the box) and as the page /app/search shows without JavaScript.
 */
export interface SearchHitsView {
  q: string;
  contacts: { hits: { id: number; name: string; detail: string }[]; more: boolean };
  companies: { hits: { id: number; name: string; detail: string }[]; more: boolean };
  deals: { hits: { id: number; name: string; detail: string }[]; more: boolean };
  tasks: { hits: { id: number; name: string; detail: string }[]; more: boolean };
}

function Group(p: {
  title: string;
  id: string;
  href: (id: number) => string;
  group: SearchHitsView["contacts"];
  /** Where the rest are; without one, the group says only that there are more. */
  moreHref: string | null;
  moreText: string;
}) {
  if (!p.group.hits.length) return null;
  return (
    <section class="search-group" aria-labelledby={p.id}>
      <h2 id={p.id}>{p.title}</h2>
      <ul>
        {p.group.hits.map((h) => (
          <li>
            <a href={p.href(h.id)}>{h.name}</a>
            {h.detail ? <span class="muted"> {h.detail}</span> : null}
          </li>
        ))}
      </ul>
      {p.group.more ? (
        p.moreHref ? (
          <a href={p.moreHref}>{p.moreText}</a>
        ) : (
          <p class="muted">More match: type more of the name.</p>
        )
      ) : null}
    </section>
  );
}

/** Each kind's heading, record link, and where "more" leads (companies and tasks have no search of their own). */
const GROUPS = [
  {
    key: "contacts",
    title: "Contacts",
    href: (id: number) => `/app/contacts/${id}`,
    more: (q: string) => `/app/contacts?q=${q}`,
    moreText: "All matching contacts",
  },
  {
    key: "companies",
    title: "Companies",
    href: (id: number) => `/app/companies/${id}`,
    more: (q: string, page: boolean) => (page ? null : `/app/search?q=${q}`),
    moreText: "More companies",
  },
  {
    key: "deals",
    title: "Deals",
    href: (id: number) => `/app/deals/${id}`,
    more: (q: string) => `/app/deals/list?q=${q}`,
    moreText: "All matching deals",
  },
  {
    key: "tasks",
    title: "Tasks",
    href: (id: number) => `/app/tasks/${id}/edit`,
    more: (q: string, page: boolean) => (page ? null : `/app/search?q=${q}`),
    moreText: "More tasks",
  },
] as const;

/** `page`: on the search page itself, which already shows as many as it can of each kind. */
export function SearchResults(p: { view: SearchHitsView; idPrefix: string; page?: boolean }) {
  const v = p.view;
  const q = encodeURIComponent(v.q);
  const none = GROUPS.every((g) => !v[g.key].hits.length);
  return (
    <div class="search-results">
      {none ? <p class="muted">Nothing matches “{v.q}”.</p> : null}
      {GROUPS.map((g) => (
        <Group
          title={g.title}
          id={`${p.idPrefix}-${g.key}`}
          href={g.href}
          group={v[g.key]}
          moreHref={g.more(q, p.page ?? false)}
          moreText={g.moreText}
        />
      ))}
    </div>
  );
}

/** The search page: the same box, and the results of what was typed. */
export function SearchPage(p: { view: SearchHitsView | null; q: string }) {
  return (
    <div class="stack">
      <h1>Search</h1>
      <form method="get" action="/app/search" role="search" aria-label="Search the workspace">
        <div class="field">
          <label for="search-page-q">Contacts, companies, deals and tasks</label>
          <input id="search-page-q" type="search" name="q" value={p.q} maxlength={100} />
        </div>
        <button type="submit">Search</button>
      </form>
      {p.view ? <SearchResults view={p.view} idPrefix="search-page" page /> : null}
    </div>
  );
}
