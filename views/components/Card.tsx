import type { Child } from "hono/jsx";

/** A card section named by its heading (`<id>-heading`), so screen readers announce what it holds. */
export function Card(p: { id: string; title: Child; children?: Child }) {
  const headingId = `${p.id}-heading`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{p.title}</h2>
      {p.children}
    </section>
  );
}
