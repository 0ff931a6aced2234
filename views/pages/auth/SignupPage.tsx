import { Checkbox, CompanyNameField, FormAlert, NewPasswordField, EmailField } from "../../components/Field";
import { minutesWords } from "../../lib/wait";

export interface SignupPageProps {
  values: { email?: string; company_name?: string; age_confirmed?: boolean; accept_terms?: boolean };
  errors: Record<string, string>;
  /** Set when the email already has an account. */
  emailTaken?: boolean;
  /** Set when too many sign-ups came from this address. */
  rateLimitedMinutes?: number;
}

/** The sign-up form: email, password, company name, age and terms. */
export function SignupPage(p: SignupPageProps) {
  return (
    <section class="card narrow">
      <h1>Create your CustomerTrackr account</h1>
      <p class="muted">Free for small teams. No card needed.</p>
      {p.emailTaken ? (
        <FormAlert>
          <p>
            An account with this email already exists. <a href="/login">Log in</a> instead, or{" "}
            <a href="/password/forgot">reset your password</a> if you have forgotten it.
          </p>
        </FormAlert>
      ) : null}
      {p.rateLimitedMinutes ? (
        <FormAlert>
          <p>Too many sign-ups from your network. Please try again in {minutesWords(p.rateLimitedMinutes)}.</p>
        </FormAlert>
      ) : null}
      {/* As on the other forms: one alert says the form was refused; each message is by its field. */}
      {Object.keys(p.errors).length > 0 && !p.emailTaken ? (
        <FormAlert>
          <p>Please correct the fields marked below.</p>
        </FormAlert>
      ) : null}
      <form class="stack" method="post" action="/signup" novalidate>
        {/* app.js puts the browser's time zone here: times are then shown in it. */}
        <input type="hidden" name="time_zone" value="" data-browser-time-zone />
        <EmailField label="Work email" value={p.values.email} error={p.errors.email} />
        <NewPasswordField name="password" label="Password" error={p.errors.password} />
        <CompanyNameField value={p.values.company_name} error={p.errors.company_name} />
        <Checkbox name="age_confirmed" checked={p.values.age_confirmed} error={p.errors.age_confirmed}>
          I am 18 or older.
        </Checkbox>
        <Checkbox name="accept_terms" checked={p.values.accept_terms} error={p.errors.accept_terms}>
          I accept the <a href="/terms">Terms of Service</a> and have read the <a href="/privacy">Privacy Policy</a>.
        </Checkbox>
        <button type="submit">Create account</button>
      </form>
      <p class="muted">
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}
