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
        <DangerButtons button={p.button} cancelHref={p.cancelHref} />
      </form>
    </div>
  );
}

/** The buttons that end a confirmation: the destructive submit, and Cancel back to safety. */
export function DangerButtons(p: { button: Child; cancelHref: string }) {
  return (
    <>
      <button type="submit" class="danger">
        {p.button}
      </button>
      <a class="button secondary" href={p.cancelHref}>
        Cancel
      </a>
    </>
  );
}
