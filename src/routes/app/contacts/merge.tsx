/**
 * Merging a duplicate into a contact, under /app/contacts/:id/merge (members): find the other contact, review
 * what the kept one becomes, merge (src/services/contacts/merge.ts). Another workspace's contact, or the contact
 * itself, is not found.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { parseRecordId } from "../../../lib/ids";
import { formatPhone } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import { findDuplicates } from "../../../services/contacts/form";
import { foldName } from "../../../services/import/match";
import { mergeContacts, mergeReview, sameNameContacts, type MergeReview } from "../../../services/contacts/merge";
import { getContact, type ContactDetail } from "../../../services/contacts/page";
import { contactOptions } from "../../../services/deals/contact-choices";
import { actorOf, tenantOf } from "../../context";
import {
  MergeFindPage,
  MergeReviewPage,
  type MergeKind,
  type MergeSideView,
} from "../../../../views/partials/MergePage";

/** Mounted with the other contact routes at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactMergeRoutes = new Hono<AppEnv>();

const KIND: MergeKind = {
  base: "/app/contacts",
  noun: "contact",
  moves:
    "emails, phone numbers, tags, custom values, notes, tasks, logged calls, meetings and emails, deals and history",
  searchLabel: "Find the duplicate by name, email, phone or company",
};

/**
 * The review's row keys that are not their labels: a custom field's row goes by its id, so a field named like a
 * built-in row ("Company", "Owner", "Emails") shows its values instead of hiding them or taking the built-in's place.
 */
function rowLabels(fields: MergeReview["into"]["customFields"]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [`cf:${f.id}`, f.name]));
}

/** The fields of the review, each written for reading, by key (rowLabels names the custom ones). */
function rowsOf(
  c: Pick<ContactDetail, "firstName" | "lastName" | "jobTitle" | "companyName" | "address" | "emails" | "phones">,
  owner: string | null,
  tags: string[],
  values: Map<number, string | null>,
  fields: MergeReview["into"]["customFields"],
): Record<string, string> {
  const text = (v: string | null | undefined) => (v ? v : "—");
  const rows: Record<string, string> = {
    "First name": text(c.firstName),
    "Last name": text(c.lastName),
    Emails: text(c.emails.join(", ")),
    Phones: text(c.phones.map(formatPhone).join(", ")),
    "Job title": text(c.jobTitle),
    Company: text(c.companyName),
    Address: text(c.address),
    Owner: text(owner),
    Tags: text(tags.join(", ")),
  };
  for (const f of fields) {
    const v = values.get(f.id) ?? null;
    rows[`cf:${f.id}`] = f.kind === "checkbox" && v !== null ? (v === "1" ? "yes" : "no") : text(v);
  }
  return rows;
}

function sideView(side: MergeReview["into"]): MergeSideView {
  const c = side.contact;
  const owner = c.ownerId ? (c.ownerEmail ?? "former member") : null;
  const rows = rowsOf(
    c,
    owner,
    side.tags.map((g) => g.name),
    side.values,
    side.customFields,
  );
  return { id: c.id, name: c.name, updatedAt: c.updatedAt, rows };
}

function reviewPage(c: Context<AppEnv>, review: MergeReview, problem?: string, status: 200 | 409 | 422 = 200) {
  const { into, from, merged } = review;
  const names = new Map([...into.tags, ...from.tags].map((g) => [g.id, g.name]));
  const owner = merged.ownerId === into.contact.ownerId ? into.contact.ownerEmail : from.contact.ownerEmail;
  const after = rowsOf(
    merged,
    merged.ownerId ? (owner ?? "former member") : null,
    merged.tagIds.map((id) => names.get(id) ?? ""),
    merged.customValues,
    into.customFields,
  );
  return render(
    c,
    `Merge ${from.contact.name} into ${into.contact.name}`,
    <MergeReviewPage
      kind={KIND}
      kept={sideView(into)}
      other={sideView(from)}
      after={after}
      labels={rowLabels(into.customFields)}
      problem={problem ?? review.refused ?? undefined}
      canMerge={review.refused === null}
    />,
    review.refused && status === 200 ? 422 : status,
  );
}

async function findPage(c: Context<AppEnv>, contact: ContactDetail, problem?: string) {
  const t = tenantOf(c);
  const query = (c.req.query("q") ?? "").trim().slice(0, 100);
  const [duplicates, namesakes, found] = await Promise.all([
    findDuplicates(t, contact, contact.id),
    sameNameContacts(t, contact),
    query ? contactOptions(t, query) : null,
  ]);
  // Those sharing an email, or a phone and the name, first; then namesakes; then those sharing only a phone, as
  // such: colleagues on one switchboard are different people (the importer's rule, import/match.ts).
  const sameName = (d: { firstName: string; lastName: string }) =>
    foldName(d.firstName) === foldName(contact.firstName) && foldName(d.lastName) === foldName(contact.lastName);
  const strong = duplicates.filter((d) => d.sharesEmail || sameName(d));
  const phoneOnly = duplicates.filter((d) => !strong.includes(d));
  const likely = [
    ...strong.map((d) => ({ id: d.id, name: d.name, detail: `shares ${d.matched.join(", ")}` })),
    ...namesakes.filter((n) => !duplicates.some((d) => d.id === n.id)).map((n) => ({ ...n, detail: "same name" })),
    ...phoneOnly.map((d) => ({ id: d.id, name: d.name, detail: `same phone only, ${d.matched.join(", ")}` })),
  ];
  return render(
    c,
    `Merge a duplicate into ${contact.name}`,
    <MergeFindPage
      kind={KIND}
      contact={{ id: contact.id, name: contact.name }}
      duplicates={likely}
      query={query}
      hits={found ? found.hits.filter((h) => h.id !== contact.id) : null}
      problem={problem}
    />,
    problem ? 400 : 200,
  );
}

contactMergeRoutes.get("/:id/merge", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const contact = id === null ? null : await getContact(tenantOf(c), id);
  if (!contact) return errorResponse(c, 404);
  const other = c.req.query("with");
  if (other === undefined) return findPage(c, contact);
  const otherId = parseRecordId(other);
  const review = otherId === null ? null : await mergeReview(tenantOf(c), contact.id, otherId);
  if (!review) return findPage(c, contact, "Choose another contact of this workspace to merge into this one.");
  return reviewPage(c, review);
});

contactMergeRoutes.post("/:id/merge", requireRole("member"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const t = tenantOf(c);
  const contact = id === null ? null : await getContact(t, id);
  if (!contact) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const otherId = typeof body.with === "string" ? parseRecordId(body.with) : null;
  const version = (v: unknown) => (typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : null);
  const keptVersion = version(body.kept_version);
  const mergedVersion = version(body.merged_version);
  const review = otherId === null ? null : await mergeReview(t, contact.id, otherId);
  if (!review) return findPage(c, contact, "Choose another contact of this workspace to merge into this one.");
  if (review.refused) return reviewPage(c, review);
  if (keptVersion === null || mergedVersion === null)
    return reviewPage(c, review, "Review the merge below, then press Merge.", 409);
  const result = await mergeContacts(t, actorOf(c), review, { into: keptVersion, from: mergedVersion });
  if (result === "merged") return c.redirect(`/app/contacts/${contact.id}`, 303);
  const now = await mergeReview(t, contact.id, review.from.contact.id);
  if (!now) return findPage(c, contact, "The other contact is no longer there: nothing was merged.");
  const problem =
    result === "conflict"
      ? "One of them was changed while you reviewed the merge; nothing was merged. This is how they are now."
      : undefined;
  return reviewPage(c, now, problem, result === "conflict" ? 409 : 422);
});
