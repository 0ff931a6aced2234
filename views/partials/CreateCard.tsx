import type { Child } from "hono/jsx";
import { Card } from "../components/Card";

/** A settings page's card with the form that adds one more of what the page lists. */
export function CreateCard(p: { id: string; title: string; action: string; submit: string; children: Child }) {
  return (
    <Card id={p.id} title={p.title}>
      <form class="stack" method="post" action={p.action}>
        {p.children}
        <div class="actions">
          <button type="submit">{p.submit}</button>
        </div>
      </form>
    </Card>
  );
}
