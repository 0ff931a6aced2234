/** What the pricing section shows, from the plan configuration (src/lib/stripe.ts). */
export interface PricingProps {
  freeMaxSeats: number;
  freeMaxContacts: number;
  trialDays: number;
  monthly: string;
  yearly: string;
}

/** Free against Team, side by side. Prices are display text; Stripe's price decides the charge. */
function Pricing(p: PricingProps & { signedIn: boolean }) {
  return (
    <section class="stack" aria-labelledby="pricing-heading">
      <h2 id="pricing-heading">Pricing</h2>
      <div class="grid">
        <section class="card" aria-labelledby="plan-free-heading">
          <h3 id="plan-free-heading">Free</h3>
          <p>
            <strong>$0</strong>, for good
          </p>
          <ul>
            <li>Up to {p.freeMaxSeats} seats (members and pending invitations)</li>
            <li>Up to {p.freeMaxContacts.toLocaleString("en-US")} contacts</li>
            <li>Companies, notes, tags, search and export</li>
          </ul>
        </section>
        <section class="card" aria-labelledby="plan-team-heading">
          <h3 id="plan-team-heading">Team</h3>
          <p>
            <strong>{p.monthly}</strong> per month, or <strong>{p.yearly}</strong> per year, per workspace
          </p>
          <ul>
            <li>No limit on seats or contacts</li>
            <li>Everything in Free</li>
            {p.trialDays > 0 ? <li>{p.trialDays}-day free trial; cancel any time</li> : null}
          </ul>
        </section>
      </div>
      <p class="muted">
        Payments are handled by Stripe; we never see or store your card details. If a workspace stops paying, nothing is
        deleted: it keeps every record, readable and exportable, under the Free plan's limits.
        {p.signedIn ? null : " Start free; an owner can upgrade from Settings, Billing."}
      </p>
    </section>
  );
}

/**
 * A server without Stripe configured (the default of `npm run dev` and wrangler.toml) sells nothing and holds no
 * workspace to the Free plan's limits (billingConfig's limits are null): say so rather than show prices.
 */
function NoPlans() {
  return (
    <section class="stack" aria-labelledby="pricing-heading">
      <h2 id="pricing-heading">Pricing</h2>
      <p>
        This server has no paid plans: there is no Team plan to buy and no Free-plan limits. Every workspace gets every
        feature, with no limit on seats or contacts.
      </p>
    </section>
  );
}

/** The public home page; `pricing` is null where billing is not configured. */
export function LandingPage(p: { signedIn: boolean; pricing: PricingProps | null }) {
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
      {p.pricing ? <Pricing {...p.pricing} signedIn={p.signedIn} /> : <NoPlans />}
    </div>
  );
}
