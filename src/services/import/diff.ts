/**
 * What an update of a matched record changes, field by field: the columns it sets, the values before
 * and after (import_records, for undo), the timeline's changes and the preview's before → after.
 * An update fills in and overwrites with what the file has; an empty cell (null) never clears a value (a
 * checkbox the file unticks does: cells.ts UNTICKED).
 */
import { formatPhone } from "../../lib/phone";
import { UNTICKED } from "./cells";
import type { ChunkContext, ImportedAfter, ImportedBefore, RowExtras, UpdateRow } from "./chunk";
import type { ReviewChange, ReviewUpdate } from "./review";

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** A person's name as the preview shows it. */
export const displayName = (first: string, last: string) => `${first} ${last}`.trim();

export interface UpdateDiff<F> {
  set: Partial<F>;
  before: ImportedBefore<F>;
  after: ImportedAfter<F>;
  /** The timeline's changes, by field (and company, addedEmails, addedPhones). */
  changes: Record<string, [unknown, unknown]>;
}

/** A new diff, and `scalar`, which records a field the file sets to another value than the record's. */
export function updateDiff<F>() {
  const d: UpdateDiff<F> = { set: {}, before: {}, after: {}, changes: {} };
  const scalar = <K extends keyof F & string>(field: K, was: F[K] | null, value: F[K] | null) => {
    if (value === null || same(was, value)) return;
    d.set[field] = value;
    (d.before as Record<string, unknown>)[field] = was;
    (d.after as Record<string, unknown>)[field] = value;
    d.changes[field] = [was, value];
  };
  return { ...d, scalar };
}

/** The tags, custom values and note a row adds to a matched record (`have`: JSON as the plan's query read it). */
export function extrasDiff<F>(
  d: UpdateDiff<F>,
  r: { tags: string[]; custom: Record<string, string>; note: string | null },
  have: { tags: string; custom: string; notes: string },
): Omit<RowExtras, "rowNo"> {
  const haveTags = JSON.parse(have.tags) as string[];
  const haveCustom = JSON.parse(have.custom) as Record<string, string>;
  const haveNotes = JSON.parse(have.notes) as string[];
  const tagKeys = r.tags.map((t) => t.toLowerCase()).filter((t) => !haveTags.includes(t));
  const custom: Record<string, string> = {};
  const customBefore: Record<string, string | null> = {};
  // A checkbox the row unticks (UNTICKED, "") clears the record's value; the record without one is unchanged.
  for (const [fieldId, value] of Object.entries(r.custom)) {
    if ((haveCustom[fieldId] ?? UNTICKED) === value) continue;
    custom[fieldId] = value;
    customBefore[fieldId] = haveCustom[fieldId] ?? null;
  }
  const note = r.note && !haveNotes.includes(r.note) ? r.note : null;
  if (tagKeys.length) d.after.tagKeys = tagKeys;
  if (Object.keys(custom).length) {
    d.after.custom = custom;
    d.before.custom = customBefore;
  }
  if (note) d.after.note = note;
  return { tagKeys, custom, note };
}

const FIELD_LABELS: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  jobTitle: "Job title",
  address: "Address",
  ownerId: "Owner",
  company: "Company",
  name: "Name",
  domain: "Domain",
  industry: "Industry",
  size: "Size",
  phone: "Phone",
};

/** Members' emails by user id, built once per chunk from the owner column's map. */
function memberEmails(ctx: ChunkContext): Map<string, string> {
  ctx.memberEmails ??= new Map([...ctx.owners].map(([email, id]) => [id, email]));
  return ctx.memberEmails;
}

/** The names of the tags an update adds, as the file spells them. */
function addedTagNames<F>(d: UpdateDiff<F>, tags: string[]): string {
  const added = d.after.tagKeys ?? [];
  return tags.filter((t) => added.includes(t.toLowerCase())).join(", ");
}

/** An update's changes as the preview lists them: before → after per field, in words a user reads. */
function reviewChanges<F>(
  ctx: ChunkContext,
  d: UpdateDiff<F>,
  r: { tags: string[]; note: string | null },
  added: { emails?: string[]; phones?: string[] },
): ReviewChange[] {
  const members = memberEmails(ctx);
  const shown = (field: string, v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (field === "ownerId") return members.get(String(v)) ?? "a former member";
    return field === "phone" ? formatPhone(String(v)) : String(v);
  };
  const out: ReviewChange[] = [];
  for (const [field, [before, after]] of Object.entries(d.changes)) {
    if (field === "addedEmails" || field === "addedPhones") continue;
    out.push({ field: FIELD_LABELS[field] ?? field, before: shown(field, before), after: shown(field, after) });
  }
  if (added.emails?.length) out.push({ field: "Email", before: null, after: added.emails.join(", "), added: true });
  if (added.phones?.length)
    out.push({ field: "Phone", before: null, after: added.phones.map(formatPhone).join(", "), added: true });
  if (d.after.tagKeys?.length) out.push({ field: "Tags", before: null, after: addedTagNames(d, r.tags), added: true });
  for (const [fieldId, value] of Object.entries(d.after.custom ?? {})) {
    out.push({
      field: ctx.fields.find((f) => String(f.id) === fieldId)?.name ?? "Custom field",
      before: d.before.custom?.[fieldId] ?? null,
      after: value || null,
    });
  }
  if (d.after.note) out.push({ field: "Note", before: null, after: r.note, added: true });
  return out;
}

/**
 * The timeline's record of an update (src/services/records/activity.ts describes it): owners by email
 * rather than id, and what the row added (emails, phones, tags, custom values) under keys the timeline names.
 */
function timelineChanges<F>(ctx: ChunkContext, d: UpdateDiff<F>, r: { tags: string[] }) {
  const members = memberEmails(ctx);
  const out: Record<string, [unknown, unknown]> = {};
  for (const [field, pair] of Object.entries(d.changes)) {
    if (field === "ownerId")
      out.owner = pair.map((id) => (id === null ? null : (members.get(String(id)) ?? "former member"))) as [
        unknown,
        unknown,
      ];
    else out[field] = pair;
  }
  if (d.after.tagKeys?.length) out.addedTags = [null, addedTagNames(d, r.tags)];
  for (const [fieldId, value] of Object.entries(d.after.custom ?? {}))
    out[`cf_${fieldId}`] = [d.before.custom?.[fieldId] ?? null, value || null];
  return out;
}

/**
 * A matched record's update as the preview lists it and the chunk's JSON carries it, or null when
 * the row changes nothing.
 */
export function plannedUpdate<F>(
  ctx: ChunkContext,
  d: UpdateDiff<F>,
  extras: Omit<RowExtras, "rowNo">,
  file: { rowNo: number; name: string; tags: string[]; note: string | null },
  record: { id: number; name: string; updated_at: number; last_activity_at: number },
  added: { emails?: string[]; phones?: string[] } = {},
): { review: ReviewUpdate; row: UpdateRow<F> } | null {
  if (Object.keys(d.after).length === 0) return null;
  const changes = reviewChanges(ctx, d, file, added);
  // The record's times before, so an undo that restores everything leaves it exactly as it was.
  d.before.updatedAt = record.updated_at;
  d.before.lastActivityAt = record.last_activity_at;
  return {
    review: { row: file.rowNo, rowName: file.name, id: record.id, name: record.name, changes },
    row: {
      id: record.id,
      rowNo: file.rowNo,
      set: d.set,
      ...extras,
      before: d.before,
      after: d.after,
      changes: timelineChanges(ctx, d, file),
    },
  };
}
