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

/** The confirmation before deleting one workspace setting (a tag, a custom field) from its list at `listPath`. */
export function SettingDeleteConfirm(p: { what: string; name: string; id: number; listPath: string; children: Child }) {
  return (
    <DeleteConfirm
      heading={
        <>
          Delete the {p.what} {p.name}?
        </>
      }
      action={`${p.listPath}/${p.id}/delete`}
      button={`Delete ${p.what}`}
      cancelHref={p.listPath}
    >
      {p.children}
    </DeleteConfirm>
  );
}

/** The link to a delete confirmation; screen readers also hear what would be deleted. */
export function DeleteLink(p: { href: string; name: string }) {
  return (
    <a href={p.href}>
      Delete<span class="visually-hidden"> {p.name}</span>
    </a>
  );
}
