import type { Child } from "hono/jsx";

/** The way back above a page's heading: one link to where the page belongs. */
export function Breadcrumb(p: { href: string; children: Child }) {
  return (
    <p class="breadcrumbs">
      <a href={p.href}>{p.children}</a>
    </p>
  );
}
