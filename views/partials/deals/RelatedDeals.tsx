/** A record's deals on a company's or a contact's page: open first, then closed. */
import { CalendarDate } from "../../components/Time";

export interface RelatedDealRow {
  id: number;
  name: string;
  /** Already formatted in the reader's locale. */
  amount: string;
  stage: string;
  status: "open" | "won" | "lost";
  closeDate: string | null;
  closedOn: string | null;
  role: string | null;
}

const MaybeDate = (p: { date: string | null }) => (p.date ? <CalendarDate date={p.date} /> : null);

const STATUS_LABELS = { open: "Open", won: "Won", lost: "Lost" } as const;

export function RelatedDeals(p: {
  deals: RelatedDealRow[];
  more: boolean;
  empty: string;
  showRole?: boolean;
  /** The new-deal form with this record filled in, for those who may create deals. */
  newHref?: string | null;
}) {
  return (
    <section class="card" aria-labelledby="deals-heading">
      <h2 id="deals-heading">Deals</h2>
      {p.deals.length === 0 ? (
        <p class="muted">{p.empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="related-deals">
            <thead>
              <tr>
                <th scope="col">Deal</th>
                {p.showRole ? <th scope="col">Role</th> : null}
                <th scope="col">Amount</th>
                <th scope="col">Stage</th>
                <th scope="col">Status</th>
                <th scope="col">Close date</th>
              </tr>
            </thead>
            <tbody>
              {p.deals.map((d) => (
                <tr data-deal-id={String(d.id)}>
                  <th scope="row">
                    <a href={`/app/deals/${d.id}`}>{d.name}</a>
                  </th>
                  {p.showRole ? <td data-label="Role">{d.role ?? ""}</td> : null}
                  <td data-label="Amount">{d.amount}</td>
                  <td data-label="Stage">{d.stage}</td>
                  <td data-label="Status">{STATUS_LABELS[d.status]}</td>
                  <td data-label="Close date">
                    <MaybeDate date={d.status === "open" ? d.closeDate : d.closedOn} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.more ? <p class="muted">Showing the first {p.deals.length} deals.</p> : null}
      {p.newHref ? (
        <p>
          <a href={p.newHref}>New deal</a>
        </p>
      ) : null}
    </section>
  );
}
