/** The timeline of a contact, company or deal: creation, field changes, moves, outcomes and notes, newest first. */
import { desc, eq, lt, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { activities, staff, users, type InteractionKind, type SubjectType } from "../../db/schema";
import { formatPhone } from "../../lib/phone";
import type { CustomField } from "./custom-fields";
import type { TimelineActivity, TimelineChange } from "../../../views/partials/timeline/Timeline";

export type ActivityKind =
  | "created"
  | "updated"
  | "note_added"
  | "note_edited"
  | "note_deleted"
  | "tagged"
  | `${InteractionKind}_edited`
  | `${InteractionKind}_deleted`;

/** An activity insert for a batch. `changes` is { field: [before, after] } for "updated". */
export function activityInsert(
  t: TenantDb,
  e: {
    subjectType: SubjectType;
    subjectId: number;
    actorId: string | null;
    kind: ActivityKind;
    changes?: Record<string, [unknown, unknown]>;
    now: number;
  },
) {
  return t.insert(activities, {
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    actorId: e.actorId,
    kind: e.kind,
    detail: e.changes ? JSON.stringify(e.changes) : null,
    createdAt: e.now,
  });
}

/** Which of the watched fields differ between two versions of a record: { field: [before, after] }. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  fields: (keyof T & string)[],
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    if (f in after && (before[f] ?? null) !== (after[f] ?? null)) changes[f] = [before[f] ?? null, after[f] ?? null];
  }
  return changes;
}

export interface ActivityEntry {
  id: number;
  kind: string;
  actor: string;
  changes: Record<string, [unknown, unknown]> | null;
  createdAt: number;
}

/** The newest entries of one record's timeline, with each actor's email or "former member". */
export async function listActivity(
  t: TenantDb,
  subjectType: SubjectType,
  subjectId: number,
  opts: { before?: number; limit?: number } = {},
): Promise<ActivityEntry[]> {
  return activityFromRows(await activityQuery(t, subjectType, subjectId, opts));
}

/** The query behind listActivity (map its rows with activityFromRows), for batches. Column names are unique. */
export function activityQuery(
  t: TenantDb,
  subjectType: SubjectType,
  subjectId: number,
  opts: { before?: number; limit?: number } = {},
) {
  return t.db
    .select({
      id: activities.id,
      kind: activities.kind,
      // A staff member's change in the support view (their id is no user's) is shown as support's.
      actorEmail: sql<string | null>`coalesce(${users.email}, 'Support · ' || ${staff.name} || ' (CustomerTrackr)')`.as(
        "actor_email",
      ),
      actorId: activities.actorId,
      detail: activities.detail,
      createdAt: activities.createdAt,
    })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.actorId))
    .leftJoin(staff, eq(staff.id, activities.actorId))
    .where(
      t.where(
        activities,
        eq(activities.subjectType, subjectType),
        eq(activities.subjectId, subjectId),
        opts.before ? lt(activities.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(activities.id))
    .limit(opts.limit ?? 50);
}

export function activityFromRows(rows: Awaited<ReturnType<typeof activityQuery>>): ActivityEntry[] {
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actorEmail ?? "former member",
    changes: r.detail ? (JSON.parse(r.detail) as Record<string, [unknown, unknown]>) : null,
    createdAt: r.createdAt,
  }));
}

/** One change of a timeline entry in words (label, values as typed): the view declares its shape. */
export type ChangeText = TimelineChange;

/** An activity entry in words, as the timeline shows it, with the import it came from linked. */
export type DescribedActivity = TimelineActivity;

// Keys written over the versions: the forms' property names, import-undo's words, and imports' own.
const FIELD_LABELS: Record<string, string> = {
  firstName: "first name",
  lastName: "last name",
  jobTitle: "job title",
  company: "company",
  address: "address",
  owner: "owner",
  ownerId: "owner",
  emails: "email addresses",
  phones: "phone numbers",
  tags: "tags",
  name: "name",
  domain: "domain",
  industry: "industry",
  size: "size",
  phone: "phone",
  addedEmails: "email addresses",
  addedPhones: "phone numbers",
  addedTags: "tags",
  // Deals.
  amount: "amount",
  closeDate: "expected close date",
  stage: "stage",
  contacts: "contacts",
  closedOn: "closed on",
  lostReason: "reason",
};
const ADDED = new Set(["addedEmails", "addedPhones", "addedTags"]);
const PHONE_KEYS = new Set(["phones", "phone", "addedPhones"]);

type FieldInfo = Pick<CustomField, "id" | "name" | "kind">;

function valueText(v: unknown, phone: boolean, field: FieldInfo | undefined): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (Array.isArray(v)) return v.length ? v.map((x) => valueText(x, phone, field)).join(", ") : null;
  // A deal's people ({id, name, role}); entries written before they were kept so are text.
  if (typeof v === "object" && typeof (v as { name?: unknown }).name === "string") {
    const p = v as { name: string; role?: string | null };
    return p.role ? `${p.name} (${p.role})` : p.name;
  }
  if (typeof v === "object") return JSON.stringify(v);
  const s = String(v);
  if (phone) return s.split(", ").map(formatPhone).join(", ");
  if (field?.kind === "checkbox") return s === "1" ? "yes" : "no";
  return s;
}

/**
 * A timeline entry for reading: each changed field by the label the user knows (a custom field by
 * its name), phone numbers formatted as on the record's page, and the import (or its undo) that made
 * it apart from the changes. `fields`: the workspace's custom fields of the record's kind.
 */
export function describeActivity(entry: ActivityEntry, fields: readonly FieldInfo[]): DescribedActivity {
  let via: DescribedActivity["via"] = null;
  let changes: ChangeText[] | null = null;
  if (entry.changes) {
    changes = [];
    for (const [key, pair] of Object.entries(entry.changes)) {
      if (key === "import" || key === "undo") {
        if (typeof pair === "string") via = { kind: key, importId: pair };
        continue;
      }
      if (!Array.isArray(pair)) continue;
      const custom = /^cf_(\d+)$/.exec(key);
      const field = custom ? fields.find((f) => f.id === Number(custom[1])) : undefined;
      const label = custom ? (field?.name ?? "a custom field since deleted") : (FIELD_LABELS[key] ?? key);
      const phone = PHONE_KEYS.has(key);
      changes.push({
        label,
        from: valueText(pair[0], phone, field),
        to: valueText(pair[1], phone, field),
        added: ADDED.has(key) || undefined,
      });
    }
  }
  return { id: entry.id, kind: entry.kind, actor: entry.actor, changes, via, createdAt: entry.createdAt };
}
