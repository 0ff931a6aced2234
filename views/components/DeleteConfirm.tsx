import type { Child } from "hono/jsx";

/** The no-JavaScript confirmation before a delete: what goes (the children), the button, and Cancel. */
export function DeleteConfirm(p: {
  heading: Child;
  action: string;
  button: string;
  cancelHref: string;
  children: Child;
}) {
  return (
    <div class="stack narrow">
      <h1>{p.heading}</h1>
      <p>{p.children}</p>
      <form method="post" action={p.action} class="actions">
        <button type="submit" class="danger">
          {p.button}
        </button>
        <a class="button secondary" href={p.cancelHref}>
          Cancel
        </a>
      </form>
    </div>
  );
}
