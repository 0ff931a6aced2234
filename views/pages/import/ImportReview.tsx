import type { Child } from "hono/jsx";
import { TableHead } from "../../components/TableHead";
/**
 * The preview's lists for a user to check before committing: rows not imported because their email
 * is another person's, new contacts that share a phone with someone of another name, and every
 * update with each field's before → after. The first few hundred here; all of them in the CSV.
 */

export interface ReviewChangeView {
  field: string;
  before: string | null;
  after: string | null;
  added?: true;
}

export interface ReviewListsView {
  updates: { row: number; rowName: string; id: number; name: string; changes: ReviewChangeView[] }[];
  duplicates: { row: number; name: string; phone: string; id: number; recordName: string }[];
  conflicts: { row: number; name: string; email: string; id: number; recordName: string }[];
  /**
   * What a row names that the workspace lacks (the record is imported without it): a deal's company or contacts,
   * any row's owner (no member of that email, or of that name alone).
   */
  unlinked?: { row: number; name: string; what: "company" | "contact" | "owner"; ref: string }[];
}

export interface ImportReviewProps {
  jobId: string;
  kind: "contacts" | "companies" | "deals";
  counts: { updates: number; duplicates: number; conflicts: number };
  lists: ReviewListsView;
  /** After the commit the lists are what the preview found. */
  committed: boolean;
}

const n = (v: number) => v.toLocaleString("en-US");
const person = (name: string) => name || "(no name)";

function Caption(p: { shown: number; total: number; what: string }) {
  return (
    <caption>
      {p.total > p.shown
        ? `The first ${n(p.shown)} of ${n(p.total)} ${p.what} (row 1 is the first row after the header)`
        : "Row 1 is the first row after the header."}
    </caption>
  );
}

function Change(p: { change: ReviewChangeView }) {
  const c = p.change;
  if (c.added) {
    return (
      <li>
        {c.field}: + <span class="after">{c.after}</span>
      </li>
    );
  }
  return (
    <li>
      {c.field}: <span class="before">{c.before ?? "(empty)"}</span> → <span class="after">{c.after ?? "(empty)"}</span>
    </li>
  );
}

/** One review list: a titled card explaining the rows, then the rows in a table. */
function ReviewSection(p: {
  id: string;
  heading: string;
  intro: Child;
  caption: Child;
  columns: string[];
  children: Child;
}) {
  return (
    <section class="card" aria-labelledby={`${p.id}-heading`}>
      <h2 id={`${p.id}-heading`}>{p.heading}</h2>
      <p>{p.intro}</p>
      <div class="table-wrap">
        <table class="records">
          {p.caption}
          <TableHead columns={p.columns} />
          <tbody>{p.children}</tbody>
        </table>
      </div>
    </section>
  );
}

const RECORD_COLUMN: Record<ImportReviewProps["kind"], string> = {
  contacts: "Contact",
  companies: "Company",
  deals: "Deal",
};

/** The unlinked list's title, naming what it holds (deals' companies and contacts read as they always have). */
function unlinkedHeading(kind: ImportReviewProps["kind"], unlinked: { what: string }[]): string {
  if (kind !== "deals") return "Owners not in this workspace";
  return unlinked.some((u) => u.what === "owner")
    ? "Companies, contacts and owners not in this workspace"
    : "Companies and contacts not in this workspace";
}

/** The review sections of an import's page, and the link to download all of it. */
export function ImportReview(p: ImportReviewProps) {
  const records = p.kind;
  const unlinked = p.lists.unlinked ?? [];
  const link = (id: number, name: string) => <a href={`/app/${records}/${id}`}>{person(name)}</a>;
  const { updates, duplicates, conflicts } = p.lists;
  return (
    <>
      {p.counts.conflicts > 0 ? (
        <ReviewSection
          id="conflicts"
          heading={`Not imported: the email is another person's (${n(p.counts.conflicts)})`}
          intro={
            <>
              Each of these rows has an email address that is on a contact with another name. An import never renames
              anyone, so the row is skipped. If it is the same person, correct the name on the contact or in the file
              and import it again.
            </>
          }
          caption={<Caption shown={conflicts.length} total={p.counts.conflicts} what="rows" />}
          columns={["Row", "Name in the file", "Email", "Contact with that email"]}
        >
          {conflicts.map((c) => (
            <tr>
              <td data-label="Row">{c.row}</td>
              <td data-label="Name in the file">{person(c.name)}</td>
              <td data-label="Email">{c.email}</td>
              <td data-label="Contact with that email">{link(c.id, c.recordName)}</td>
            </tr>
          ))}
        </ReviewSection>
      ) : null}
      {unlinked.length > 0 ? (
        <ReviewSection
          id="unlinked"
          heading={unlinkedHeading(p.kind, unlinked)}
          intro={
            <>
              {p.committed ? `These ${records} were` : `These ${records} will be`} imported without the{" "}
              {p.kind === "deals" ? "company, contact or owner" : "owner"} their row names: nothing is created for them.
              An owner is a member, named by their email or by a name no other member has.{" "}
              {p.kind === "deals"
                ? "Add the company or contact, or invite the member,"
                : "Invite the member, or write their email,"}{" "}
              and import the file again to link them.
            </>
          }
          caption={<caption>Row 1 is the first row after the header.</caption>}
          columns={["Row", RECORD_COLUMN[p.kind], "What", "Named in the file"]}
        >
          {unlinked.map((u) => (
            <tr data-unlinked>
              <td data-label="Row">{u.row}</td>
              <td data-label={RECORD_COLUMN[p.kind]}>{person(u.name)}</td>
              <td data-label="What">{u.what}</td>
              <td data-label="Named in the file">{u.ref}</td>
            </tr>
          ))}
        </ReviewSection>
      ) : null}
      {p.counts.duplicates > 0 ? (
        <ReviewSection
          id="duplicates"
          heading={`Possible duplicates (${n(p.counts.duplicates)})`}
          intro={
            <>
              These rows share a phone number with a contact of another name: colleagues and families often do.{" "}
              {p.committed ? "They were" : "They will be"} imported as new contacts and nothing is merged. Check each
              one.
            </>
          }
          caption={<Caption shown={duplicates.length} total={p.counts.duplicates} what="rows" />}
          columns={["Row", "Name in the file", "Shared phone", "Contact it resembles"]}
        >
          {duplicates.map((d) => (
            <tr>
              <td data-label="Row">{d.row}</td>
              <td data-label="Name in the file">{person(d.name)}</td>
              <td data-label="Shared phone">{d.phone}</td>
              <td data-label="Contact it resembles">{link(d.id, d.recordName)}</td>
            </tr>
          ))}
        </ReviewSection>
      ) : null}
      {p.counts.updates > 0 ? (
        <ReviewSection
          id="updates"
          heading={`Updates (${n(p.counts.updates)})`}
          intro={
            <>
              {p.committed ? "What the preview found to change" : "What the import changes"} in {records} you have,
              field by field. Emails, phones, tags and notes are added (+) beside what is there.
            </>
          }
          caption={<Caption shown={updates.length} total={p.counts.updates} what="updates" />}
          columns={["Row", RECORD_COLUMN[p.kind], "Changes"]}
        >
          {updates.map((u) => (
            <tr data-update>
              <td data-label="Row">{u.row}</td>
              <td data-label={RECORD_COLUMN[p.kind]}>{link(u.id, u.name)}</td>
              <td>
                <ul class="changes">
                  {u.changes.map((c) => (
                    <Change change={c} />
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </ReviewSection>
      ) : null}
      <p>
        <a href={`/app/import/${p.jobId}/review.csv`} download>
          Download the full list (CSV: every update with each field's before and after, every possible duplicate and
          every row not imported)
        </a>
      </p>
    </>
  );
}
