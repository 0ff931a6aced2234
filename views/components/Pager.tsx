/** A list's Previous / Next links (keyset pages) with where the page sits ("1–50 of 2,098"). */
export function Pager(p: { previousHref: string | null; nextHref: string | null; range?: string }) {
  if (!p.previousHref && !p.nextHref && !p.range) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {p.range ? <span class="pager-range">{p.range}</span> : null}
      {p.previousHref ? (
        <a href={p.previousHref} rel="prev">
          Previous
        </a>
      ) : null}
      {p.nextHref ? (
        <a href={p.nextHref} rel="next">
          Next
        </a>
      ) : null}
    </nav>
  );
}
