import { Breadcrumb } from "../../components/Breadcrumb";
import { DangerButtons } from "../../components/DeleteConfirm";
import { RichText } from "../../components/RichText";
import { DeleteRecordConfirm, EditDeleteActions, none, type RecordPageContext } from "../../partials/RecordPage";
import { RecordBody } from "../../partials/RecordBody";
import { RecentBeacon } from "../../partials/RecentBeacon";
import { RelatedDeals } from "../../partials/deals/RelatedDeals";
import { ShortcutButton, ShortcutSheet } from "./ShortcutSheet";
import { BulkDeleteConfirm, BulkProblem, SHOWN_NAMES } from "../../partials/BulkPages";

export interface ContactPageProps extends RecordPageContext {
  contact: {
    id: number;
    name: string;
    firstName: string;
    lastName: string;
    jobTitle: string | null;
    companyId: number | null;
    companyName: string | null;
    address: string | null;
    emails: string[];
    /** E.164 for the link, formatted for reading. */
    phones: { e164: string; display: string }[];
    owner: string | null;
    createdAt: number;
    updatedAt: number;
  };
  /** Admins and owners may erase the contact (a privacy request). */
  canErase?: boolean;
}

/** A contact's emails or phones as links, the first marked as primary when there are several; or a dash. */
function ContactPoints(p: { links: { href: string; text: string }[] }) {
  if (p.links.length === 0) return none;
  return (
    <ul class="plain-list">
      {p.links.map((link, i) => (
        <li>
          <a href={link.href}>{link.text}</a>
          {i === 0 && p.links.length > 1 ? <span class="muted"> (primary)</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** A contact: every field, tags, custom values, and the timeline with its note form. */
export function ContactPage(p: ContactPageProps) {
  const c = p.contact;
  return (
    <div class="stack contact-page">
      <Breadcrumb href="/app/contacts">Contacts</Breadcrumb>
      <div class="page-head">
        <div>
          <h1>{c.name}</h1>
          {c.jobTitle || c.companyName ? (
            <p class="muted record-subtitle">
              {c.jobTitle ?? ""}
              {c.jobTitle && c.companyName ? " at " : ""}
              {c.companyName ? (
                c.companyId ? (
                  <a href={`/app/companies/${c.companyId}`}>{c.companyName}</a>
                ) : (
                  c.companyName
                )
              ) : (
                ""
              )}
            </p>
          ) : null}
        </div>
        <div class="actions">
          <ShortcutButton />
          {p.canWrite ? (
            <>
              <EditDeleteActions path={`/app/contacts/${c.id}`} hxDelete />
              <a class="button secondary" href={`/app/contacts/${c.id}/merge`}>
                Merge…
              </a>
              {p.canErase ? (
                <a class="button secondary" href={`/app/contacts/${c.id}/erase`}>
                  Erase…
                </a>
              ) : null}
            </>
          ) : null}
        </div>
      </div>
      <RecordBody
        context={p}
        record={c}
        precision="minute"
        facts={
          <>
            <dt>{c.emails.length > 1 ? "Emails" : "Email"}</dt>
            <dd>
              <ContactPoints links={c.emails.map((e) => ({ href: `mailto:${e}`, text: e }))} />
            </dd>
            <dt>{c.phones.length > 1 ? "Phones" : "Phone"}</dt>
            <dd>
              <ContactPoints links={c.phones.map((ph) => ({ href: `tel:${ph.e164}`, text: ph.display }))} />
            </dd>
            <dt>First name</dt>
            <dd>{c.firstName || none}</dd>
            <dt>Last name</dt>
            <dd>{c.lastName || none}</dd>
            <dt>Job title</dt>
            <dd>{c.jobTitle ?? none}</dd>
            <dt>Company</dt>
            <dd>
              {c.companyId ? <a href={`/app/companies/${c.companyId}`}>{c.companyName}</a> : (c.companyName ?? none)}
            </dd>
            <dt>Address</dt>
            <dd>{c.address ? <RichText text={c.address} /> : none}</dd>
            <dt>Owner</dt>
            <dd>{c.owner ?? none}</dd>
          </>
        }
      >
        <RelatedDeals
          {...p.deals}
          empty="Not on any deal yet."
          showRole
          // The contact on the deal, and their company as its company.
          newHref={
            p.canWrite ? `/app/deals/new?contact_id=${c.id}${c.companyId ? `&company_id=${c.companyId}` : ""}` : null
          }
        />
      </RecordBody>
      <RecentBeacon type="contact" id={c.id} />
      <ShortcutSheet canWrite={p.canWrite} hasSearch={false} />
    </div>
  );
}

/** The no-JavaScript confirmation before deleting a contact. */
export function ContactDeletePage(p: { contact: { id: number; name: string } }) {
  return (
    <DeleteRecordConfirm name={p.contact.name} path={`/app/contacts/${p.contact.id}`} what="contact">
      Their emails, phone numbers, tags, custom values, notes and timeline go with them. The trash keeps them for 30
      days, and restoring brings everything back.
    </DeleteRecordConfirm>
  );
}

/** The confirmation before deleting selected contacts (with or without JavaScript). */
export function BulkDeletePage(p: { contacts: { id: number; name: string }[]; back: string }) {
  return (
    <BulkDeleteConfirm
      records={p.contacts}
      one="contact"
      many="contacts"
      consequence="Their emails, phone numbers, tags, custom values, notes and timelines are deleted too."
      action="/app/contacts/bulk"
      back={p.back}
    />
  );
}

/** A bulk request that cannot be carried out as sent (nothing selected, no tag chosen): why, and a way back. */
export function BulkProblemPage(p: { message: string; back: string }) {
  return <BulkProblem message={p.message} back={p.back} backLabel="Back to the contacts" />;
}

/** What erasing removes, said the same way on both confirmations. */
export function ErasureExplained(p: { many: boolean }) {
  return (
    <p>
      Erasing removes {p.many ? "these people" : "this person"} completely, as a privacy request asks: the contact,
      their emails and phone numbers, tags, custom values, notes, timeline, recently-viewed entries and what imports
      recorded about them. The audit trail keeps only that contact #id was erased, never a name. This cannot be undone.
    </p>
  );
}

/** The suppression choice: only a keyed hash of each address is kept, and only when a key is configured. */
export function SuppressChoice(p: { available: boolean }) {
  return p.available ? (
    <div class="field">
      <label class="check" for="f-suppress">
        <input id="f-suppress" type="checkbox" name="suppress" value="1" /> Also add their email addresses to this
        workspace's suppression list, so later imports skip them
      </label>
      <p class="hint">The list keeps only a keyed one-way hash of each address, never the address.</p>
    </div>
  ) : (
    <p class="muted">The suppression list is not available on this server (SUPPRESSION_KEY is not configured).</p>
  );
}

/** The confirmation before erasing one contact (admins and owners), live or waiting in the trash. */
export function ContactErasePage(p: { contact: { id: number; name: string }; canSuppress: boolean; inTrash: boolean }) {
  return (
    <div class="stack narrow">
      <h1>Erase {p.contact.name}?</h1>
      {p.inTrash ? (
        <p>This contact is in the trash. Erasing takes them, and what is kept about them, out of it now.</p>
      ) : null}
      <ErasureExplained many={false} />
      <form method="post" action={`/app/contacts/${p.contact.id}/erase`} class="stack">
        {p.inTrash ? <input type="hidden" name="back" value="trash" /> : null}
        <SuppressChoice available={p.canSuppress} />
        <div class="actions">
          <DangerButtons
            button="Erase contact"
            cancelHref={p.inTrash ? "/app/trash" : `/app/contacts/${p.contact.id}`}
          />
        </div>
      </form>
    </div>
  );
}

/** The confirmation before erasing selected contacts (admins and owners). */
export function BulkErasePage(p: { contacts: { id: number; name: string }[]; back: string; canSuppress: boolean }) {
  const n = p.contacts.length;
  return (
    <div class="stack narrow">
      <h1>{n === 1 ? "Erase 1 contact?" : `Erase ${n} contacts?`}</h1>
      <ul>
        {p.contacts.slice(0, SHOWN_NAMES).map((c) => (
          <li>{c.name}</li>
        ))}
        {n > SHOWN_NAMES ? <li class="muted">and {n - SHOWN_NAMES} more</li> : null}
      </ul>
      <ErasureExplained many={n > 1} />
      <form method="post" action="/app/contacts/bulk" class="stack">
        <input type="hidden" name="action" value="erase" />
        <input type="hidden" name="confirm" value="1" />
        <input type="hidden" name="back" value={p.back} />
        {p.contacts.map((c) => (
          <input type="hidden" name="ids" value={String(c.id)} />
        ))}
        <SuppressChoice available={p.canSuppress} />
        <div class="actions">
          <DangerButtons button={n === 1 ? "Erase 1 contact" : `Erase ${n} contacts`} cancelHref={p.back} />
        </div>
      </form>
    </div>
  );
}
