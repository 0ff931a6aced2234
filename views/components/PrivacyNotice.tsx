/** Shown to signed-in users once after the privacy policy's date changes, until they dismiss it. */
export function PrivacyNotice(p: { version: string; back: string }) {
  return (
    <div id="privacy-notice" class="flash warn verify-banner" role="status">
      <p>
        We updated our privacy policy on <time datetime={p.version}>{p.version}</time>.{" "}
        <a href="/privacy">Read the privacy policy</a>.
      </p>
      <form
        class="inline-form"
        method="post"
        action="/app/privacy-notice"
        hx-post="/app/privacy-notice"
        hx-target="#privacy-notice"
        hx-swap="outerHTML"
      >
        <input type="hidden" name="version" value={p.version} />
        <input type="hidden" name="back" value={p.back} />
        <button type="submit" class="secondary">
          Dismiss
        </button>
      </form>
    </div>
  );
}
