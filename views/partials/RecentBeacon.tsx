/**
 * Records that the user viewed a record, for the dashboard's "recently viewed". GET pages never write,
 * so the page carries this hidden element and htmx POSTs to /app/recent once it loads (the answer is
 * a 204 and nothing is swapped). Without JavaScript nothing is recorded, which is harmless.
 */
export function RecentBeacon(p: { type: "contact" | "company"; id: number }) {
  return (
    <div
      hidden
      class="recent-beacon"
      hx-post="/app/recent"
      hx-trigger="load"
      hx-vals={JSON.stringify({ type: p.type, id: p.id })}
      hx-swap="none"
    ></div>
  );
}
