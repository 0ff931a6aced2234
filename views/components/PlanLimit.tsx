/**
 * What a Free-plan limit says wherever it stops a new record or seat: the limit, and the way past it. A workspace
 * whose payment is overdue (past_due) is held to the Free limits until it pays: the way past is the payment method,
 * not an upgrade (its billing page offers only Manage billing).
 */
export function PlanLimitMessage(p: {
  what: "seats" | "contacts";
  limit: number;
  isOwner: boolean;
  billingState: "free" | "trialing" | "active" | "past_due";
}) {
  const overdue = p.billingState === "past_due";
  const counted = p.what === "seats" ? `${p.limit} seats (members plus pending invitations)` : `${p.limit} contacts`;
  const reached = overdue
    ? `This workspace's last payment did not go through, so the Free plan's limit of ${counted} applies until it does, and ${p.what === "seats" ? "all of them are taken" : "the workspace has reached it"}.`
    : p.what === "seats"
      ? `The Free plan includes ${counted}, and all of them are taken.`
      : `The Free plan includes ${counted}, and this workspace has reached that number.`;
  const way = overdue ? (
    p.isOwner ? (
      <a href="/app/settings/billing">Update the payment method under Manage billing to lift the limit</a>
    ) : (
      <>Ask the workspace owner to update the payment method under Settings, Billing.</>
    )
  ) : p.isOwner ? (
    <a href="/app/settings/billing">Upgrade to Team for no limit</a>
  ) : (
    <>Ask the workspace owner to upgrade to Team under Settings, Billing.</>
  );
  return (
    <>
      {reached} Nothing is deleted, and everything stays readable, editable and exportable. {way}
    </>
  );
}

/** The invitation link's answer when the workspace has no free seat left on the Free plan. */
export function SeatLimitPage(p: { tenantName: string }) {
  return (
    <section class="card narrow" aria-labelledby="seat-limit-heading">
      <h1 id="seat-limit-heading">{p.tenantName} has no free seat</h1>
      <p>
        {p.tenantName} is on the Free plan, and all of its seats are taken, so you cannot join just now. Your invitation
        is still valid: once the owner upgrades or frees a seat, open the link again.
      </p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </section>
  );
}
