import { Facts } from "../../components/Facts";
import { Checkbox, FormAlert, NewPasswordField } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";

export interface InvitationFacts {
  tenantName: string;
  role: string;
  email: string;
}

/** What the visitor of an invitation link can do, decided by the route from who they are. */
export type InvitationPageProps =
  | { state: "invalid" }
  | ({ action: string } & InvitationFacts &
      (
        | { state: "join" }
        | { state: "wrong_user"; signedInAs: string }
        | { state: "log_in"; loginHref: string; raced?: boolean }
        | {
            state: "sign_up";
            values: { age_confirmed?: boolean; accept_terms?: boolean };
            errors: Record<string, string>;
          }
      ));

function article(role: string) {
  return role === "admin" ? "an" : "a";
}

/** The page behind an invitation link. Viewing it changes nothing; only its forms do. */
export function InvitationPage(p: InvitationPageProps) {
  if (p.state === "invalid") {
    return (
      <section class="card narrow" aria-labelledby="invite-heading">
        <h1 id="invite-heading">This invitation is no longer valid</h1>
        <p>
          The link may have expired (invitations last 7 days), been replaced by a newer one, been revoked, or been used
          already.
        </p>
        <p>Ask the person who invited you to send a new invitation.</p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </section>
    );
  }
  return (
    <section class="card narrow" aria-labelledby="invite-heading">
      <h1 id="invite-heading">Join {p.tenantName}</h1>
      <p>
        You have been invited to join <strong>{p.tenantName}</strong> on CustomerTrackr as {article(p.role)}{" "}
        <strong>{p.role}</strong>.
      </p>
      <Facts
        facts={[
          ["Workspace", p.tenantName],
          ["Role", p.role],
          ["Invited address", p.email],
        ]}
      />

      {p.state === "join" ? (
        <form method="post" action={p.action}>
          <button type="submit">Join {p.tenantName}</button>
        </form>
      ) : null}

      {p.state === "wrong_user" ? (
        <FormAlert kind="warn">
          <p>
            You are logged in as <strong>{p.signedInAs}</strong>, but this invitation is for <strong>{p.email}</strong>.
            Log out, then open the invitation link again and use the invited address.
          </p>
          <InlinePostButton action="/logout">Log out</InlinePostButton>
        </FormAlert>
      ) : null}

      {p.state === "log_in" ? (
        <>
          {p.raced ? (
            <FormAlert>
              <p>An account with this address was created just now. Log in with it to accept the invitation.</p>
            </FormAlert>
          ) : (
            <p>There is already an account for {p.email}. Log in with it to accept.</p>
          )}
          <p>
            <a class="button" href={p.loginHref}>
              Log in to accept
            </a>
          </p>
        </>
      ) : null}

      {p.state === "sign_up" ? (
        <>
          <p>Create your account to accept. Your email address is the one the invitation was sent to.</p>
          <form class="stack" method="post" action={p.action} novalidate>
            {/* app.js puts the browser's time zone here: the new account reads and types times in it. */}
            <input type="hidden" name="time_zone" value="" data-browser-time-zone />
            <div class="field">
              <label for="f-email">Email</label>
              <input id="f-email" type="email" value={p.email} autocomplete="username" readonly />
            </div>
            <NewPasswordField name="password" label="Password" error={p.errors.password} />
            <Checkbox name="age_confirmed" checked={p.values.age_confirmed} error={p.errors.age_confirmed}>
              I am 18 or older.
            </Checkbox>
            <Checkbox name="accept_terms" checked={p.values.accept_terms} error={p.errors.accept_terms}>
              I accept the <a href="/terms">Terms of Service</a> and have read the <a href="/privacy">Privacy Policy</a>
              .
            </Checkbox>
            <button type="submit">Create account and join</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
