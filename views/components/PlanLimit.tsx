/** What a Free-plan limit says wherever it stops a new record or seat: the limit, and the way past it. */
export function PlanLimitMessage(p: { what: "seats" | "contacts"; limit: number; isOwner: boolean }) {
  const reached =
    p.what === "seats"
      ? `The Free plan includes ${p.limit} seats (members plus pending invitations), and all of them are taken.`
      : `The Free plan includes ${p.limit} contacts, and this workspace has reached that number.`;
  return (
    <>
      {reached} Nothing is deleted, and everything stays readable, editable and exportable.{" "}
      {p.isOwner ? (
        <a href="/app/settings/billing">Upgrade to Team for no limit</a>
      ) : (
        <>Ask the workspace owner to upgrade to Team under Settings, Billing.</>
      )}
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
