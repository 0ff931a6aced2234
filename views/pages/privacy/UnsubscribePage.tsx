/** The pages behind the one-click unsubscribe link of non-essential mail. */

/** GET: what the link would do, and the button that does it. Opening the link changes nothing. */
export function UnsubscribeConfirmPage(p: { action: string; listLabel: string }) {
  return (
    <div class="stack narrow">
      <h1>Unsubscribe</h1>
      <p>Stop sending {p.listLabel} to this address?</p>
      <form method="post" action={p.action} class="actions">
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">Unsubscribe</button>
      </form>
      <p class="muted">
        Essential email about your account (security, sign-in links, billing) is not affected. You can change all your
        email choices in your profile.
      </p>
    </div>
  );
}

/** POST: done (also what a mail provider's one-click request gets back). */
export function UnsubscribedPage(p: { listLabel: string }) {
  return (
    <div class="stack narrow">
      <h1>You are unsubscribed</h1>
      <p>We will no longer send {p.listLabel} to this address.</p>
      <p class="muted">
        Changed your mind? Turn it back on under{" "}
        <a href="/app/settings/profile#email-preferences">Profile, Email preferences</a>.
      </p>
    </div>
  );
}

/** A link that is not one of ours, or was altered. */
export function UnsubscribeInvalidPage() {
  return (
    <div class="stack narrow">
      <h1>This unsubscribe link is not valid</h1>
      <p>It may have been cut short or changed. Nothing was changed.</p>
      <p>
        Sign in and change your email choices under{" "}
        <a href="/app/settings/profile#email-preferences">Profile, Email preferences</a>, or write to us through the{" "}
        <a href="/contact">contact page</a>.
      </p>
    </div>
  );
}
