import { Field, FormAlert } from "../../components/Field";

export interface LoginPageProps {
  email?: string;
  next?: string;
  errors: Record<string, string>;
  /** The one message for a failed login, the same whether or not the email exists. */
  failed?: boolean;
  rateLimitedMinutes?: number;
  loggedOut?: boolean;
}

/** The login form. */
export function LoginPage(p: LoginPageProps) {
  const action = p.next && p.next !== "/app" ? `/login?next=${encodeURIComponent(p.next)}` : "/login";
  return (
    <section class="card narrow">
      <h1>Log in</h1>
      {p.loggedOut ? <FormAlert kind="ok">You have been logged out.</FormAlert> : null}
      {p.failed ? (
        <FormAlert>
          <p>That email and password do not match an account. Check them and try again.</p>
        </FormAlert>
      ) : null}
      {p.rateLimitedMinutes ? (
        <FormAlert>
          <p>
            Too many attempts. For your security, please wait {p.rateLimitedMinutes} minutes before trying again, or{" "}
            <a href="/password/forgot">reset your password</a>.
          </p>
        </FormAlert>
      ) : null}
      <form class="stack" method="post" action={action} novalidate>
        <Field name="email" label="Email" type="email" autocomplete="username" required maxlength={254} value={p.email} error={p.errors.email} />
        <Field name="password" label="Password" type="password" autocomplete="current-password" required maxlength={256} error={p.errors.password} />
        <button type="submit">Log in</button>
      </form>
      <p class="muted">
        <a href="/password/forgot">Forgot your password?</a> · New here? <a href="/signup">Create an account</a>.
      </p>
    </section>
  );
}
