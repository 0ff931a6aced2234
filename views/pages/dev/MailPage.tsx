export interface DevMailRow {
  id: string;
  to: string;
  kind: string;
  essential: boolean;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: number;
}

/** Development only: the outbox, newest first, with each message's text and a link to its HTML. */
export function DevMailPage(p: { mails: DevMailRow[] }) {
  return (
    <div class="stack">
      <h1>Outbox (development)</h1>
      <p class="muted">Every email the app has queued, newest first. Only mounted when DEV_MAIL=1.</p>
      {p.mails.length === 0 ? <p>No mail yet.</p> : null}
      {p.mails.map((m) => (
        <article class="card mail-item" aria-labelledby={`mail-${m.id}`} data-to={m.to} data-kind={m.kind}>
          <h2 id={`mail-${m.id}`}>{m.subject}</h2>
          <dl class="facts">
            <dt>To</dt>
            <dd class="mail-to">{m.to}</dd>
            <dt>Kind</dt>
            <dd>
              {m.kind} ({m.essential ? "essential" : "optional"})
            </dd>
            <dt>Status</dt>
            <dd>
              {m.status}, {m.attempts} attempt{m.attempts === 1 ? "" : "s"}
              {m.lastError ? ` — ${m.lastError}` : ""}
            </dd>
            <dt>Queued</dt>
            <dd>{new Date(m.createdAt).toISOString()}</dd>
          </dl>
          <pre class="mail">{m.text}</pre>
          <p>
            <a href={`/dev/mail/${m.id}/html`}>View the HTML version</a>
          </p>
        </article>
      ))}
    </div>
  );
}
