import type { Child } from "hono/jsx";
import { FormAlert, NewPasswordField, EmailField } from "../../components/Field";

/** A short page with a heading, a message and optional actions. */
export function MessagePage(p: { title: string; children: Child; status?: "ok" | "error" }) {
  return (
    <section class="card narrow" aria-labelledby="message-heading">
      <h1 id="message-heading">{p.title}</h1>
      {p.children}
    </section>
  );
}

/** A confirmation link lands here; the button (a POST) confirms, so link scanners confirm nothing. */
export function ConfirmEmailPage(p: { token: string }) {
  return (
    <section class="card narrow" aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">Confirm your email address</h1>
      <p>Press the button to confirm that this address is yours.</p>
      <form method="post" action={`/verify-email/${encodeURIComponent(p.token)}`}>
        <button type="submit">Confirm my email address</button>
      </form>
    </section>
  );
}

/** The page shown for links that are unknown, used or expired. */
export function InvalidLinkPage(p: { what: string; retryHref: string; retryLabel: string }) {
  return (
    <section class="card narrow" aria-labelledby="invalid-heading">
      <h1 id="invalid-heading">This link no longer works</h1>
      <p>This {p.what} link has expired or has already been used. Links work once and only for a limited time.</p>
      <p>
        <a href={p.retryHref}>{p.retryLabel}</a>
      </p>
    </section>
  );
}

/** Asks for the email address to send a reset link to. */
export function ForgotPasswordPage(p: {
  email?: string;
  errors: Record<string, string>;
  sentTo?: string;
  rateLimitedMinutes?: number;
}) {
  return (
    <section class="card narrow" aria-labelledby="forgot-heading">
      <h1 id="forgot-heading">Reset your password</h1>
      {p.sentTo ? (
        <FormAlert kind="ok">
          <p>
            If an account exists for <strong>{p.sentTo}</strong>, we have sent it a link to choose a new password. The
            link works for one hour. Check your spam folder if nothing arrives.
          </p>
        </FormAlert>
      ) : null}
      {p.rateLimitedMinutes ? (
        <FormAlert>
          <p>Too many requests from your network. Please try again in {p.rateLimitedMinutes} minutes.</p>
        </FormAlert>
      ) : null}
      <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
      <form class="stack" method="post" action="/password/forgot" novalidate>
        <EmailField label="Email" value={p.email} error={p.errors.email} />
        <button type="submit">Send the link</button>
      </form>
      <p class="muted">
        Remembered it? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

/** Chooses a new password from a reset link. */
export function ResetPasswordPage(p: { token: string; errors: Record<string, string> }) {
  return (
    <section class="card narrow" aria-labelledby="reset-heading">
      <h1 id="reset-heading">Choose a new password</h1>
      <p>After this, every device signed in to your account is signed out.</p>
      <form class="stack" method="post" action={`/password/reset/${encodeURIComponent(p.token)}`} novalidate>
        <NewPasswordField name="password" label="New password" error={p.errors.password} />
        <button type="submit">Set the new password</button>
      </form>
    </section>
  );
}
