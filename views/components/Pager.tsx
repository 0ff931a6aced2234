/** A list's Previous / Next links (keyset pages), shown only when there is somewhere to go. */
export function Pager(p: { previousHref: string | null; nextHref: string | null }) {
  if (!p.previousHref && !p.nextHref) return null;
  return (
    <nav class="pager" aria-label="Pages">
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
