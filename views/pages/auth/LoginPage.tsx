import { FormAlert, CurrentPasswordField, EmailField, Field } from "../../components/Field";
import { waitWords } from "../../lib/wait";

export interface LoginPageProps {
  email?: string;
  next?: string;
  errors: Record<string, string>;
  /** The one message for a failed login, the same whether or not the email exists. */
  failed?: boolean;
  /** A limit refused the attempt: which one (LoginLimitScope in src/services/account/accounts.ts) and for how long. */
  limited?: { scope: "ip" | "source" | "account" | "device"; retryAfterSeconds: number };
  loggedOut?: boolean;
  /** The password was right but the account belongs to no workspace: start one (the name's error, if any). */
  noWorkspace?: { companyName?: string; error?: string; leftWorkspace?: string };
}

/** The login form. */
export function LoginPage(p: LoginPageProps) {
  const action = p.next && p.next !== "/app" ? `/login?next=${encodeURIComponent(p.next)}` : "/login";
  if (p.noWorkspace) return <NoWorkspace {...p} noWorkspace={p.noWorkspace} action={action} />;
  return (
    <section class="card narrow">
      <h1>Log in</h1>
      {p.loggedOut ? <FormAlert kind="ok">You have been logged out.</FormAlert> : null}
      {p.failed ? (
        <FormAlert>
          <p>That email and password do not match an account. Check them and try again.</p>
        </FormAlert>
      ) : null}
      {p.limited ? (
        <FormAlert>
          <LimitMessage {...p.limited} />
        </FormAlert>
      ) : null}
      <form class="stack" method="post" action={action} novalidate>
        {/* app.js puts the browser's time zone here: times are then shown in it. */}
        <input type="hidden" name="time_zone" value="" data-browser-time-zone />
        <EmailField label="Email" autocomplete="username" value={p.email} error={p.errors.email} />
        <CurrentPasswordField label="Password" error={p.errors.password} />
        <button type="submit">Log in</button>
      </form>
      <p class="muted">
        <a href="/password/forgot">Forgot your password?</a> · New here? <a href="/signup">Create an account</a>.
      </p>
    </section>
  );
}

/** A right password for an account that belongs to no workspace: join by an invitation, or start one. */
function NoWorkspace(p: LoginPageProps & { noWorkspace: NonNullable<LoginPageProps["noWorkspace"]>; action: string }) {
  return (
    <section class="card narrow">
      <h1>Log in</h1>
      <FormAlert kind="warn">
        <p>
          {p.noWorkspace.leftWorkspace
            ? `You left ${p.noWorkspace.leftWorkspace}, your last workspace: your account is not part of any workspace now.`
            : "Your password is right, but your account is not part of any workspace now: it was removed from its last one."}
        </p>
      </FormAlert>
      <p>
        If a colleague has invited you, open the link in their invitation email and log in from there: you join their
        workspace.
      </p>
      <h2>Start a workspace of your own</h2>
      <form class="stack" method="post" action={p.action} novalidate>
        <input type="hidden" name="time_zone" value="" data-browser-time-zone />
        <input type="hidden" name="email" value={p.email ?? ""} />
        <Field
          name="company_name"
          label="Company name"
          value={p.noWorkspace.companyName}
          error={p.noWorkspace.error}
          maxlength={100}
          required
        />
        <CurrentPasswordField label="Your password, again" error={p.errors.password} />
        <button type="submit">Start it and log in</button>
      </form>
      <p class="muted">Once in, your profile lets you download your account's data or delete the account.</p>
    </section>
  );
}

/** What a refused sign-in means for the person reading it, and what they can do. */
function LimitMessage(p: NonNullable<LoginPageProps["limited"]>) {
  const reset = (
    <>
      {" "}
      You can also <a href="/password/forgot">reset your password</a>.
    </>
  );
  const when = waitWords(p.retryAfterSeconds);
  switch (p.scope) {
    case "account":
      return (
        <p>
          Too many attempts. This account has had many failed sign-ins from other places, so browsers that have not
          signed in to it before get one try every 30 seconds. Please try again in {when}. A browser you have signed in
          with before is not slowed down.{reset}
        </p>
      );
    case "source":
      return (
        <p>
          Too many attempts: there were too many failed sign-ins to this account from your network. Please wait {when}{" "}
          before trying again from here. A browser you have signed in with before can still sign in.{reset}
        </p>
      );
    case "device":
      return (
        <p>
          Too many attempts: there were too many failed sign-ins in this browser. Please wait {when} before trying
          again.{reset}
        </p>
      );
    default:
      return (
        <p>
          Too many attempts from your network. For your security, please wait {when} before trying again.{reset}
        </p>
      );
  }
}
