/** The profile's time zone: the one every time in the app and its emails is shown in for this user. */

export function TimeZoneCard(p: {
  /** The user's own zone; null: the workspace's. */
  chosen: string | null;
  workspaceZone: string;
  zones: string[];
  error?: string;
}) {
  return (
    <section class="card" aria-labelledby="time-zone-heading">
      <h2 id="time-zone-heading">Time zone</h2>
      <p class="muted">Times on every page are shown in this zone. Dates without a time never move.</p>
      <form class="stack" method="post" action="/app/settings/profile/time-zone" novalidate>
        <div class="field">
          <label for="time_zone">Your time zone</label>
          <select
            id="time_zone"
            name="time_zone"
            aria-invalid={p.error ? "true" : undefined}
            aria-describedby={p.error ? "time_zone-error" : undefined}
          >
            <option value="" selected={p.chosen === null}>
              The workspace's ({p.workspaceZone})
            </option>
            {p.zones.map((z) => (
              <option value={z} selected={z === p.chosen}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          {p.error ? (
            <p class="field-error" id="time_zone-error">
              {p.error}
            </p>
          ) : null}
        </div>
        <button type="submit">Save time zone</button>
      </form>
    </section>
  );
}
