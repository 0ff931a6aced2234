/** The public home page. */
export function LandingPage(p: { signedIn: boolean }) {
  return (
    <div class="stack">
      <section class="hero">
        <h1>Know every customer. Stay fast at any size.</h1>
        <p class="lead">
          CustomerTrackr keeps your team's contacts, companies and notes in one place, with search that answers as you
          type, even with a hundred thousand customers.
        </p>
        <div class="actions">
          {p.signedIn ? (
            <a class="button" href="/app">
              Go to your dashboard
            </a>
          ) : (
            <>
              <a class="button" href="/signup">
                Create a free account
              </a>
              <a class="button secondary" href="/login">
                Log in
              </a>
            </>
          )}
        </div>
      </section>
      <section class="grid" aria-label="What you get">
        <div class="card">
          <h2>For the whole team</h2>
          <p>Invite colleagues with the role that fits them: owner, admin, member or viewer.</p>
        </div>
        <div class="card">
          <h2>Your data stays yours</h2>
          <p>Export everything whenever you like. We never sell personal information.</p>
        </div>
        <div class="card">
          <h2>Secure by default</h2>
          <p>Strongly hashed passwords, short-lived sessions you can see and end, and every page over HTTPS.</p>
        </div>
      </section>
    </div>
  );
}
