/**
 * Saved views on the contacts and deals lists (issue 18): the views as tabs (links; the open one
 * aria-current), a "Save view" form, and for the open view rename / delete / make default. Plain POST forms
 * to `{listPath}/views…`.
 */
import { Field, FormAlert } from "../components/Field";

export interface ViewTab {
  id: number;
  name: string;
  shared: boolean;
  href: string;
  isDefault: boolean;
  /** May rename it (its owner) and delete it (its owner, or an admin for a shared view). */
  canRename: boolean;
  canDelete: boolean;
}

export interface SavedViewsProps {
  /** The list's path ("/app/contacts", "/app/deals/list"); the views' routes are under it. */
  listPath: string;
  /** The plain list's tab ("All contacts"). */
  allLabel: string;
  /** The list has chosen columns, which a view keeps too. */
  withColumns?: boolean;
  tabs: ViewTab[];
  /** The open view's id, or null for the plain list ("All contacts"). */
  currentId: number | null;
  /** The open view has been refined (filters, sort or columns) since it was saved. */
  changed?: boolean;
  /** The list's canonical query string, which "Save view" saves. */
  query: string;
  canShare: boolean;
  hasDefault: boolean;
}

/** The tabs above the list. */
export function ViewTabs(p: SavedViewsProps) {
  return (
    <nav class="view-tabs" aria-label="Saved views">
      <ul>
        <li>
          <a href={`${p.listPath}?view=all`} aria-current={p.currentId === null ? "page" : undefined}>
            {p.allLabel}
          </a>
        </li>
        {p.tabs.map((tab) => (
          <li>
            <a href={tab.href} aria-current={p.currentId === tab.id ? "page" : undefined}>
              {tab.name}
              {tab.shared ? <span class="view-badge"> · shared</span> : null}
              {tab.isDefault ? <span class="view-badge"> · default</span> : null}
              {p.changed && p.currentId === tab.id ? <span class="view-badge"> · changed</span> : null}
            </a>
          </li>
        ))}
      </ul>
      <ViewMenu {...p} />
    </nav>
  );
}

/** Save the list as a view; manage the open one. */
function ViewMenu(p: SavedViewsProps) {
  const current = p.tabs.find((t) => t.id === p.currentId) ?? null;
  return (
    <details class="view-menu">
      <summary>Views</summary>
      <div class="view-menu-panel stack">
        <SaveViewForm listPath={p.listPath} query={p.query} canShare={p.canShare} withColumns={p.withColumns} />
        {current && p.changed ? (
          <div class="stack">
            {current.canRename ? (
              <form method="post" action={`${p.listPath}/views/${current.id}/update`}>
                <input type="hidden" name="query" value={p.query} />
                <button type="submit">Save changes to “{current.name}”</button>
              </form>
            ) : null}
            <a href={current.href}>Discard changes</a>
          </div>
        ) : null}
        {current ? (
          <div class="stack">
            <form method="post" action={`${p.listPath}/views/${current.id}/default`}>
              <button type="submit" class="secondary">
                {current.isDefault ? "Stop opening this view first" : "Open this view by default"}
              </button>
              {current.isDefault ? <input type="hidden" name="clear" value="1" /> : null}
            </form>
            {current.canRename ? (
              <form method="post" action={`${p.listPath}/views/${current.id}/rename`} class="stack">
                <Field name="rename" label="Rename this view" value={current.name} maxlength={60} required />
                <button type="submit" class="secondary">
                  Rename
                </button>
              </form>
            ) : null}
            {current.canDelete ? (
              <form method="post" action={`${p.listPath}/views/${current.id}/delete`}>
                <button type="submit" class="danger">
                  Delete this view
                </button>
              </form>
            ) : null}
          </div>
        ) : null}
      </div>
    </details>
  );
}

/** The "Save view" form, also shown alone with its message when a name is refused. */
export function SaveViewForm(p: {
  listPath: string;
  query: string;
  canShare: boolean;
  /** The list has chosen columns, which a view keeps too. */
  withColumns?: boolean;
  name?: string;
  error?: string;
}) {
  return (
    <form method="post" action={`${p.listPath}/views`} class="stack save-view-form">
      <input type="hidden" name="query" value={p.query} />
      <Field
        name="name"
        label={p.withColumns ? "Save these filters, sort and columns as" : "Save these filters and sort as"}
        value={p.name}
        maxlength={60}
        error={p.error}
      />
      {p.canShare ? (
        <label class="checkbox">
          <input type="checkbox" name="shared" value="1" /> Share with the workspace
        </label>
      ) : null}
      <button type="submit">Save view</button>
    </form>
  );
}

/** The save form on its own page, with what was wrong (a 4xx). */
export function SaveViewPage(p: {
  listPath: string;
  withColumns?: boolean;
  listName: string;
  query: string;
  /** The query of the way back to the list, as this reader's list reads it; none: `query`. */
  backQuery?: string;
  canShare: boolean;
  name: string;
  error: string;
}) {
  const back = p.backQuery ?? p.query;
  return (
    <div class="stack narrow">
      <h1>Save a view</h1>
      <FormAlert>{p.error}</FormAlert>
      <SaveViewForm {...p} />
      <p>
        <a href={back ? `${p.listPath}?${back}` : p.listPath}>Back to {p.listName}</a>
      </p>
    </div>
  );
}
