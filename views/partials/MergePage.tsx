/**
 * Merging a duplicate into a contact or a company (src/routes/app/contacts/merge.tsx,
 * src/routes/app/companies/merge.tsx): finding the other record, then the review of what the kept one becomes,
 * with the Merge button.
 */
import { Breadcrumb } from "../components/Breadcrumb";
import { DangerButtons } from "../components/DeleteConfirm";
import { FormMessage } from "../components/Field";

/** What differs between merging contacts and companies: where they live and what the page says. */
export interface MergeKind {
  /** "/app/contacts" or "/app/companies". */
  base: string;
  /** "contact" or "company". */
  noun: string;
  /** What moves from the merged record to the kept one, as a list in a sentence. */
  moves: string;
  /** The search box's label. */
  searchLabel: string;
}

/** A record offered as the duplicate: its name and what tells it apart (an email, a company, what it shares). */
export interface MergeCandidate {
  id: number;
  name: string;
  detail: string | null;
}

const mergePath = (kind: MergeKind, id: number) => `${kind.base}/${id}/merge`;

function Candidates(p: { kind: MergeKind; into: number; list: MergeCandidate[] }) {
  return (
    <ul class="plain-list">
      {p.list.map((c) => (
        <li>
          <a href={`${mergePath(p.kind, p.into)}?with=${c.id}`}>{c.name}</a>
          {c.detail ? <span class="muted"> · {c.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Step one: the records likely the same as this one (same email, phone, name or domain), and a search for any other. */
export function MergeFindPage(p: {
  kind: MergeKind;
  contact: { id: number; name: string };
  duplicates: MergeCandidate[];
  query: string;
  hits: MergeCandidate[] | null;
  problem?: string;
}) {
  const { kind, contact: c } = p;
  return (
    <div class="stack narrow">
      <Breadcrumb href={`${kind.base}/${c.id}`}>{c.name}</Breadcrumb>
      <h1>Merge a duplicate into {c.name}</h1>
      <FormMessage message={p.problem} />
      <p>
        Choose the other {kind.noun} that is the same {kind.noun === "contact" ? "person" : "business"}. {c.name} is
        kept: the other's {kind.moves} move to it, and the other is deleted. You review it all before anything changes.
      </p>
      {p.duplicates.length ? (
        <section class="card" aria-labelledby="same-details">
          <h2 id="same-details">Likely the same {kind.noun === "contact" ? "person" : "business"}</h2>
          <Candidates kind={kind} into={c.id} list={p.duplicates} />
        </section>
      ) : null}
      <form method="get" action={mergePath(kind, c.id)} role="search" class="stack">
        <div class="field">
          <label for="f-merge-q">{kind.searchLabel}</label>
          <div class="merge-search">
            <input id="f-merge-q" type="search" name="q" value={p.query} maxlength={100} />
            <button type="submit" class="secondary">
              Search
            </button>
          </div>
        </div>
      </form>
      {p.hits === null ? null : p.hits.length ? (
        <Candidates kind={kind} into={c.id} list={p.hits} />
      ) : (
        <p class="muted">
          No other {kind.noun} matches “{p.query}”.
        </p>
      )}
    </div>
  );
}

/** One side of the review, every value already written for reading ("—" for none). */
export interface MergeSideView {
  id: number;
  name: string;
  updatedAt: number;
  rows: Record<string, string>;
}

/** Step two: both records side by side with what the kept one becomes, and the Merge button. */
export function MergeReviewPage(p: {
  kind: MergeKind;
  kept: MergeSideView;
  other: MergeSideView;
  after: Record<string, string>;
  /** A row's label by its key, where they differ (a custom field's row is keyed apart from a built-in one's). */
  labels?: Record<string, string>;
  /** Why they cannot be merged as they are (too many emails together), or a conflict to explain. */
  problem?: string;
  canMerge: boolean;
}) {
  const { kind, kept, other } = p;
  return (
    <div class="stack">
      <Breadcrumb href={`${kind.base}/${kept.id}`}>{kept.name}</Breadcrumb>
      <h1>
        Merge {other.name} into {kept.name}?
      </h1>
      <FormMessage message={p.problem} />
      <div class="table-wrap card">
        <table class="merge-review">
          <caption>What {kept.name} becomes</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">{kept.name} (kept)</th>
              <th scope="col">{other.name} (merged in)</th>
              <th scope="col">After the merge</th>
            </tr>
          </thead>
          <tbody>
            {Object.keys(p.after).map((key) => (
              <tr>
                <th scope="row">{p.labels?.[key] ?? key}</th>
                <td data-label={`${kept.name} (kept)`}>{kept.rows[key] ?? "—"}</td>
                <td data-label={`${other.name} (merged in)`}>{other.rows[key] ?? "—"}</td>
                <td data-label="After the merge">
                  <strong>{p.after[key]}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {other.name}'s {kind.moves} move to {kept.name}. Then {other.name} is deleted for good: a merge is not kept in
        the trash.
      </p>
      {p.canMerge ? (
        <form method="post" action={mergePath(kind, kept.id)} class="actions">
          <input type="hidden" name="with" value={String(other.id)} />
          <input type="hidden" name="kept_version" value={String(kept.updatedAt)} />
          <input type="hidden" name="merged_version" value={String(other.updatedAt)} />
          <DangerButtons button="Merge" cancelHref={`${kind.base}/${kept.id}`} />
        </form>
      ) : (
        <p>
          <a class="button secondary" href={`${kind.base}/${kept.id}`}>
            Back to {kept.name}
          </a>
        </p>
      )}
      <p>
        <a href={`${mergePath(kind, other.id)}?with=${kept.id}`}>Keep {other.name} instead</a>
      </p>
    </div>
  );
}
