import { Card } from "../../components/Card";
import { FormAlert } from "../../components/Field";
import { Time } from "../../components/Time";
import { SettingsNav } from "./SettingsNav";

export type BillingStateName = "free" | "trialing" | "active" | "past_due";

export interface BillingPageProps {
  /** False when the server has no Stripe configuration: the page says so and offers no buttons. */
  configured: boolean;
  state: BillingStateName;
  interval: "monthly" | "yearly" | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** Epoch ms: a cancellation scheduled for a chosen date; it ends the subscription then, not at the period's end. */
  cancelAt: number | null;
  hasCustomer: boolean;
  trialAvailable: boolean;
  trialDays: number;
  usage: { contacts: number; members: number; pendingInvitations: number };
  /** The Free plan's limits; null when billing is off on this server (no limits then). */
  limits: { seats: number; contacts: number } | null;
  /** Whether the Free limits apply now (free or past_due). */
  limited: boolean;
  displayPrices: { monthly: string; yearly: string };
  canSeeAudit: boolean;
  notice?: "success" | "cancelled" | null;
  /** A refusal or failure to show above everything else. */
  alert?: string | null;
}

const STATE_LABELS: Record<BillingStateName, string> = {
  free: "Free",
  trialing: "Team, in its free trial",
  active: "Team",
  past_due: "Team, payment overdue",
};

const NOTICES = {
  success:
    "Thank you! Stripe has confirmed your checkout. Your plan below updates as soon as Stripe tells us, usually within seconds; reload the page if it has not.",
  cancelled: "Checkout was cancelled. Nothing was charged, and your plan is unchanged.",
} as const;

function Usage(p: { label: string; used: number; limit: number | null; id: string }) {
  return (
    <>
      <dt id={p.id}>{p.label}</dt>
      <dd>
        {p.limit === null ? (
          <>{p.used} (no limit)</>
        ) : (
          <>
            {/* low/high/optimum make a full meter show as a warning, not as a healthy green bar. */}
            <meter
              min={0}
              max={p.limit}
              low={Math.floor(p.limit * 0.8)}
              high={p.limit - 0.5}
              optimum={0}
              value={Math.min(p.used, p.limit)}
              aria-labelledby={p.id}
            >
              {p.used} of {p.limit}
            </meter>{" "}
            {p.used} of {p.limit}
            {p.used >= p.limit ? <strong> · limit reached</strong> : null}
          </>
        )}
      </dd>
    </>
  );
}

/** The owner's billing page: plan and state, usage against the limits, and the way to Stripe. */
export function BillingPage(p: BillingPageProps) {
  const seatsUsed = p.usage.members + p.usage.pendingInvitations;
  const paid = p.state !== "free";
  return (
    <div class="stack">
      <h1>Billing</h1>
      <SettingsNav current="billing" canSeeAudit={p.canSeeAudit} canSeeBilling />
      {p.alert ? <FormAlert>{p.alert}</FormAlert> : null}
      {p.notice ? <FormAlert kind={p.notice === "success" ? "ok" : "warn"}>{NOTICES[p.notice]}</FormAlert> : null}
      {!p.configured ? (
        <div class="flash warn" role="status">
          <p>Billing is not configured on this server: there are no plans to choose, and no plan limits apply.</p>
        </div>
      ) : null}

      <Card id="plan" title="Your plan">
        <dl class="facts">
          <dt>Plan</dt>
          <dd>
            {STATE_LABELS[p.state]}
            {paid && p.interval ? `, billed ${p.interval}` : ""}
          </dd>
          {p.state === "trialing" && p.trialEnd ? (
            <>
              <dt>Trial ends</dt>
              <dd>
                <Time ms={p.trialEnd} />
              </dd>
            </>
          ) : null}
          {paid && (p.cancelAt ?? p.currentPeriodEnd) ? (
            <>
              <dt>{p.cancelAtPeriodEnd || p.cancelAt ? "Ends on" : "Renews on"}</dt>
              <dd>
                <Time ms={(p.cancelAt ?? p.currentPeriodEnd)!} />
                {p.cancelAtPeriodEnd || p.cancelAt
                  ? " (cancelled: the workspace returns to Free then, keeping all its records)"
                  : null}
              </dd>
            </>
          ) : null}
        </dl>
        {p.state === "past_due" ? (
          <p>
            <strong>Your last payment did not go through.</strong> Until it does, the Free plan's limits apply to new
            contacts and seats. Nothing is deleted. Update your payment method under Manage billing.
          </p>
        ) : null}
      </Card>

      <Card id="usage" title="Usage">
        <dl class="facts">
          <Usage
            id="usage-seats"
            label="Seats (members and pending invitations)"
            used={seatsUsed}
            limit={p.limited && p.limits ? p.limits.seats : null}
          />
          <Usage
            id="usage-contacts"
            label="Contacts"
            used={p.usage.contacts}
            limit={p.limited && p.limits ? p.limits.contacts : null}
          />
        </dl>
        {p.limited && p.limits ? (
          <p class="muted">
            At a limit, you can still read, edit, delete and export everything; only new contacts and new seats wait for
            an upgrade.
          </p>
        ) : null}
      </Card>

      {/* Back from paying, before Stripe's webhook: no second Upgrade, which would start a second subscription. */}
      {p.configured && p.state === "free" && p.notice === "success" ? (
        <Card id="upgrade" title="Confirming your payment…">
          <p>
            Stripe has your checkout, and your plan changes here as soon as Stripe confirms it, usually within seconds.{" "}
            <a href="/app/settings/billing?checkout=success">Refresh this page</a> in a minute if it still says Free.
          </p>
        </Card>
      ) : p.configured && p.state === "free" ? (
        <Card id="upgrade" title="Upgrade to Team">
          <p>
            No limit on seats or contacts.{" "}
            {p.trialAvailable && p.trialDays > 0
              ? `The first ${p.trialDays} days are free, and you can cancel any time before they end.`
              : null}
          </p>
          <p class="muted">You pay on Stripe's secure checkout page. We never see or store your card details.</p>
          <form method="post" action="/app/settings/billing/checkout" class="actions">
            <button type="submit" name="interval" value="monthly">
              Upgrade: {p.displayPrices.monthly} per month
            </button>
            <button type="submit" name="interval" value="yearly" class="secondary">
              Upgrade: {p.displayPrices.yearly} per year
            </button>
          </form>
        </Card>
      ) : null}

      {p.configured && p.hasCustomer ? (
        <Card id="manage" title="Payment method, invoices and cancellation">
          <p>
            Stripe's customer portal lets you change your card, switch between monthly and yearly, download invoices or
            cancel.
          </p>
          <form method="post" action="/app/settings/billing/portal">
            <button type="submit" class={p.state === "past_due" ? undefined : "secondary"}>
              Manage billing
            </button>
          </form>
        </Card>
      ) : null}
    </div>
  );
}
