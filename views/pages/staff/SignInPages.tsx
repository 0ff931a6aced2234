import { Field, FormMessage, NewPasswordField } from "../../components/Field";

/** The console's sign-in: address, password and the authenticator's code (or a recovery code). */
export function StaffLoginPage(p: { email?: string; error?: string; next?: string }) {
  return (
    <div class="stack narrow">
      <h1>Staff sign-in</h1>
      <p class="muted">For CustomerTrackr staff. Customers sign in at /login.</p>
      <FormMessage message={p.error} />
      <form class="stack" method="post" action="/staff/login">
        {p.next ? <input type="hidden" name="next" value={p.next} /> : null}
        <Field name="email" label="Email" type="email" value={p.email} autocomplete="username" required />
        <Field name="password" label="Password" type="password" autocomplete="current-password" required />
        <Field
          name="code"
          label="Authenticator code"
          hint="The 6 digits your authenticator app shows, or one of your recovery codes."
          autocomplete="one-time-code"
          required
          maxlength={20}
        />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}

export interface EnrolPageProps {
  token: string;
  name: string;
  email: string;
  secret: string;
  uri: string;
  errors?: { password?: string; code?: string };
}

/** Enrolment: a password, and an authenticator app set up with the key (typed in, or the otpauth link). */
export function StaffEnrolPage(p: EnrolPageProps) {
  return (
    <div class="stack narrow">
      <h1>Set up your staff account</h1>
      <p>
        {p.name} ({p.email}). Add this key to an authenticator app (1Password, Google Authenticator, Aegis…), then type
        the code it shows.
      </p>
      <p>
        Key: <code class="totp-secret">{p.secret}</code>
        <br />
        <a href={p.uri}>Open in an authenticator app on this device</a>
      </p>
      <form class="stack" method="post" action={`/staff/enrol/${p.token}`}>
        <NewPasswordField name="password" label="Password" error={p.errors?.password} />
        <Field
          name="code"
          label="Authenticator code"
          autocomplete="one-time-code"
          required
          maxlength={6}
          error={p.errors?.code}
        />
        <button type="submit">Finish setting up</button>
      </form>
    </div>
  );
}

/** Shown once after enrolment: the recovery codes, each good for one sign-in without the authenticator. */
export function RecoveryCodesPage(p: { codes: string[] }) {
  return (
    <div class="stack narrow">
      <h1>Your recovery codes</h1>
      <p>
        Keep these somewhere safe, apart from your authenticator. Each one signs you in once if you lose it. They are
        not shown again: we keep only their hashes.
      </p>
      <ul class="recovery-codes">
        {p.codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href="/staff/login">
          Sign in
        </a>
      </p>
    </div>
  );
}

/** After a sign-in with a recovery code: how many are left, since each works once and they are not renewed. */
export function RecoveryCodeUsedPage(p: { left: number; next: string }) {
  return (
    <div class="stack narrow">
      <h1>Signed in with a recovery code</h1>
      <FormMessage
        kind="warn"
        message={`That recovery code is used up. You have ${p.left} recovery code${p.left === 1 ? "" : "s"} left.`}
      />
      <p>
        If you lost your authenticator, or did not use this code yourself, ask a staff admin for a new enrolment link
        before the codes run out.
      </p>
      <p>
        <a class="button" href={p.next}>
          Continue
        </a>
      </p>
    </div>
  );
}

/** A refusal inside the console, saying why. */
export function StaffRefusedPage(p: { status: 401 | 403 | 404; message: string }) {
  return (
    <div class="stack narrow">
      <h1>{p.status === 404 ? "Not found" : "Not allowed"}</h1>
      <p>{p.message}</p>
      <p>
        <a href="/staff">Back to the console</a>
      </p>
    </div>
  );
}
