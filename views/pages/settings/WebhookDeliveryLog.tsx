import { Card } from "../../components/Card";
import { InlinePostButton } from "../../components/InlinePostButton";
import { TableHead } from "../../components/TableHead";
import { Time } from "../../components/Time";

export interface DeliveryRow {
  id: string;
  type: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatus: number | null;
  durationMs: number | null;
  response: string | null;
  nextAttemptAt: number;
  createdAt: number;
}

/** The log's status filter: undefined shows every delivery. */
export type DeliveryFilter = DeliveryRow["status"] | undefined;

export interface DeliveryLogProps {
  endpointId: string;
  enabled: boolean;
  deliveries: DeliveryRow[];
  logDays: number;
  status: DeliveryFilter;
  /** The next page's `before`, when there are older deliveries. */
  olderBefore?: string;
  /** Set when this is not the first page: a link back to the newest. */
  paged: boolean;
}

// Lower case: the filter reads as a sentence ("Show: all, failed, ..."), apart from the rows' statuses.
const FILTERS: [DeliveryFilter, string][] = [
  [undefined, "all"],
  ["failed", "failed"],
  ["succeeded", "succeeded"],
  ["pending", "pending"],
];

function statusText(d: DeliveryRow) {
  if (d.status === "succeeded") return "Succeeded";
  if (d.status === "failed") return "Failed";
  return d.attempts === 0 ? "Queued" : "Retrying";
}

/** The log's URL for a status and page (the filter is kept while paging). */
export function logHref(endpointId: string, status: DeliveryFilter, before?: string): string {
  const q = new URLSearchParams();
  if (status) q.set("status", status);
  if (before) q.set("before", before);
  const query = q.toString();
  return `/app/settings/webhooks/${endpointId}${query ? `?${query}` : ""}#deliveries-heading`;
}

/** An endpoint's deliveries of the last `logDays` days, a page at a time, by status, with Replay. */
export function WebhookDeliveryLog(p: DeliveryLogProps) {
  const base = `/app/settings/webhooks/${p.endpointId}`;
  return (
    <Card id="deliveries" title={`Deliveries of the last ${p.logDays} days`}>
      <nav class="actions" aria-label="Show deliveries">
        <span>Show:</span>
        {FILTERS.map(([status, label]) =>
          status === p.status ? (
            <strong aria-current="page">{label}</strong>
          ) : (
            <a href={logHref(p.endpointId, status)}>{label}</a>
          ),
        )}
      </nav>
      {p.enabled ? (
        <InlinePostButton
          action={`${base}/replay-failed`}
          confirm={`Send every failed delivery of the last ${p.logDays - 3} days again? (Older ones leave the log before three more days of retries could end.)`}
        >
          Replay failed deliveries
        </InlinePostButton>
      ) : (
        <p class="muted">Enable the endpoint to replay its deliveries.</p>
      )}
      {p.deliveries.length === 0 ? (
        <p class="muted">
          {p.paged ? "No older deliveries." : p.status ? "No deliveries with this status." : "No deliveries yet."}
        </p>
      ) : (
        <table>
          <TableHead columns={["Event", "Status", "Response", "Duration", "Created", { hidden: "Actions" }]} />
          <tbody>
            {p.deliveries.map((d) => (
              <tr>
                <td data-label="Event">
                  <code>{d.type}</code>
                </td>
                <td data-label="Status">
                  {statusText(d)}
                  {d.attempts > 1 ? ` (${d.attempts} attempts)` : ""}
                  {d.status === "pending" && d.attempts > 0 ? (
                    <div class="muted">
                      Next attempt <Time ms={d.nextAttemptAt} precision="minute" />
                    </div>
                  ) : null}
                </td>
                <td data-label="Response">
                  {d.lastStatus ?? "—"}
                  {d.response ? <div class="muted">{d.response.slice(0, 200)}</div> : null}
                </td>
                <td data-label="Duration">{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                <td data-label="Created">
                  <Time ms={d.createdAt} precision="second" />
                </td>
                <td>
                  {p.enabled ? (
                    <InlinePostButton
                      action={`/app/settings/webhooks/deliveries/${d.id}/replay`}
                      label={`Replay ${d.type}`}
                    >
                      Replay
                    </InlinePostButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.paged || p.olderBefore ? (
        <p class="actions">
          {p.paged ? <a href={logHref(p.endpointId, p.status)}>Newest</a> : null}
          {p.olderBefore ? <a href={logHref(p.endpointId, p.status, p.olderBefore)}>Older</a> : null}
        </p>
      ) : null}
    </Card>
  );
}
