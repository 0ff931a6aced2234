/**
 * Records that the user viewed a record, for the dashboard's "recently viewed". GET pages never write,
 * so app.js sends POST /app/recent with `navigator.sendBeacon` once the page is shown: a beacon outlives
 * the page, where an htmx request was cut off when the user moved on at once. Without JavaScript nothing
 * is recorded, which is harmless.
 */
export function RecentBeacon(p: { type: "contact" | "company"; id: number }) {
  return <div hidden class="recent-beacon" data-recent-type={p.type} data-recent-id={String(p.id)}></div>;
}
