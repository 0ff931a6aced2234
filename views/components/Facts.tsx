import type { Child } from "hono/jsx";

/** A list of facts, each a term and its value (the `facts` description list). */
export function Facts(p: { facts: [term: string, value: Child][] }) {
  return (
    <dl class="facts">
      {p.facts.map(([term, value]) => (
        <>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}
