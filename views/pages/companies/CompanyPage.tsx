import { Breadcrumb } from "../../components/Breadcrumb";
import { Card } from "../../components/Card";
import { RichText } from "../../components/RichText";
import { DeleteRecordConfirm, EditDeleteActions, type RecordPageContext } from "../../partials/RecordPage";
import { RecordBody } from "../../partials/RecordBody";
import { RecentBeacon } from "../../partials/RecentBeacon";
import { RelatedDeals } from "../../partials/deals/RelatedDeals";
import { displayDomain } from "../../../src/lib/domain";

export interface CompanyPageProps extends RecordPageContext {
  company: {
    id: number;
    name: string;
    domain: string | null;
    industry: string | null;
    size: string | null;
    address: string | null;
    /** Already formatted for display. */
    phone: string | null;
    phoneE164: string | null;
    ownerEmail: string | null;
    createdAt: number;
    updatedAt: number;
  };
  contacts: { id: number; firstName: string; lastName: string; jobTitle: string | null; primaryEmail: string | null }[];
  moreContacts: boolean;
}

/** A company: its fields, tags, contacts and timeline. */
export function CompanyPage(p: CompanyPageProps) {
  const c = p.company;
  const contactName = (k: CompanyPageProps["contacts"][number]) => `${k.firstName} ${k.lastName}`.trim() || "(no name)";
  return (
    <div class="stack">
      <Breadcrumb href="/app/companies">Companies</Breadcrumb>
      <div class="page-head">
        <h1>{c.name}</h1>
        {p.canWrite ? (
          <div class="actions">
            <EditDeleteActions path={`/app/companies/${c.id}`} hxDelete />
            <a class="button secondary" href={`/app/companies/${c.id}/merge`}>
              Merge…
            </a>
          </div>
        ) : null}
      </div>
      <RecordBody
        context={p}
        record={c}
        facts={
          <>
            <dt>Domain</dt>
            <dd>
              {c.domain ? (
                <a href={`https://${c.domain}`} rel="noopener noreferrer nofollow" target="_blank">
                  {displayDomain(c.domain)}
                </a>
              ) : (
                <span class="muted">—</span>
              )}
            </dd>
            <dt>Industry</dt>
            <dd>{c.industry ?? <span class="muted">—</span>}</dd>
            <dt>Size</dt>
            <dd>{c.size ? `${c.size} people` : <span class="muted">—</span>}</dd>
            <dt>Phone</dt>
            <dd>
              {c.phone && c.phoneE164 ? <a href={`tel:${c.phoneE164}`}>{c.phone}</a> : <span class="muted">—</span>}
            </dd>
            <dt>Address</dt>
            <dd>{c.address ? <RichText text={c.address} /> : <span class="muted">—</span>}</dd>
            <dt>Owner</dt>
            <dd>{c.ownerEmail ?? <span class="muted">—</span>}</dd>
          </>
        }
      >
        <Card id="contacts" title="Contacts">
          {p.contacts.length === 0 ? (
            <p class="muted">No contacts at this company yet.</p>
          ) : (
            <ul class="plain-list">
              {p.contacts.map((k) => (
                <li>
                  <a href={`/app/contacts/${k.id}`}>{contactName(k)}</a>
                  {k.jobTitle ? <span class="muted"> · {k.jobTitle}</span> : null}
                  {k.primaryEmail ? <span class="muted"> · {k.primaryEmail}</span> : null}
                </li>
              ))}
            </ul>
          )}
          {p.contacts.length ? (
            <p>
              <a href={`/app/contacts?company=${c.id}`}>
                {p.moreContacts ? `See all contacts at ${c.name}` : "Open in the contacts list"}
              </a>
            </p>
          ) : null}
        </Card>
        <RelatedDeals
          {...p.deals}
          empty="No deals with this company yet."
          newHref={p.canWrite ? `/app/deals/new?company_id=${c.id}` : null}
        />
      </RecordBody>
      <RecentBeacon type="company" id={c.id} />
    </div>
  );
}

/** The no-JavaScript confirmation before deleting a company. */
export function CompanyDeletePage(p: { company: { id: number; name: string } }) {
  return (
    <DeleteRecordConfirm name={p.company.name} path={`/app/companies/${p.company.id}`} what="company">
      Its notes, tasks, logged calls, meetings and emails, tags and custom values go to the trash with it. Its contacts
      and deals are kept, without a company. The trash keeps it for 30 days; restoring it brings everything back and
      links back the contacts and deals that have not been given another company meanwhile.
    </DeleteRecordConfirm>
  );
}
