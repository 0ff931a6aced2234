/** The profile's number and date format: how amounts and dates are written for this user, and read from them. */

export function LocaleCard(p: {
  /** The user's own locale; null: the workspace's. */
  chosen: string | null;
  workspaceLocale: string;
  /** Each choice with how it writes 12,500.50 and the 5th of December 2026. */
  locales: { value: string; example: string }[];
  error?: string;
}) {
  const workspace = p.locales.find((l) => l.value === p.workspaceLocale);
  return (
    <section class="card" aria-labelledby="locale-heading" id="number-format">
      <h2 id="locale-heading">Number and date format</h2>
      <p class="muted">
        Amounts and dates are shown to you this way, and amounts you type are read this way. Others in your workspace
        keep their own.
      </p>
      <form class="stack" method="post" action="/app/settings/profile/locale" novalidate>
        <div class="field">
          <label for="locale">Your format</label>
          <select
            id="locale"
            name="locale"
            aria-invalid={p.error ? "true" : undefined}
            aria-describedby={p.error ? "locale-error" : undefined}
          >
            <option value="" selected={p.chosen === null}>
              Workspace default ({workspace ? `${workspace.value}: ${workspace.example}` : p.workspaceLocale})
            </option>
            {p.locales.map((l) => (
              <option value={l.value} selected={l.value === p.chosen}>
                {l.value}: {l.example}
              </option>
            ))}
          </select>
          {p.error ? (
            <p class="field-error" id="locale-error">
              {p.error}
            </p>
          ) : null}
        </div>
        <button type="submit">Save format</button>
      </form>
    </section>
  );
}
