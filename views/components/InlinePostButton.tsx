import type { Child } from "hono/jsx";

/**
 * A one-button POST form that sits inline (in a table row, a header, a notice): log out, resend,
 * revoke, switch. `hidden` adds fields the action needs; `confirm` asks first when htmx runs.
 */
export function InlinePostButton(p: {
  action: string;
  /** The button's accessible name when its text alone is ambiguous (one per table row). */
  label?: string;
  confirm?: string;
  buttonClass?: "secondary" | "link";
  hidden?: Record<string, string>;
  children: Child;
}) {
  return (
    <form class="inline-form" method="post" action={p.action} hx-confirm={p.confirm}>
      {Object.entries(p.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={p.buttonClass ?? "secondary"} aria-label={p.label}>
        {p.children}
      </button>
    </form>
  );
}
