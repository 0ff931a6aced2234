/** Small pieces the record routes share (companies, notes, the dashboard beacon). */
import type { AuthContext } from "../env";
import type { SubjectType } from "../db/schema";
import { roleAtLeast } from "../lib/roles";
import type { Database } from "../db/client";
import { describeActivity, listActivity, type ActivityEntry } from "../services/records/activity";
import { listCustomFields, type CustomField } from "../services/records/custom-fields";
import { listNotes, type Note } from "../services/records/notes";
import type { TimelineProps } from "../../views/partials/timeline/Timeline";

/** A record id from the URL or a form: a positive integer, or null (which the caller answers with 404). */
export function parseRecordId(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The Timeline's props for the signed-in user: members write notes; admins and owners moderate them.
 * `data.fields`: the record kind's custom fields, so changes to them are named.
 */
export function timelineProps(
  auth: AuthContext,
  subject: { type: SubjectType; id: number },
  data: { notes: Note[]; activity: ActivityEntry[]; fields: readonly Pick<CustomField, "id" | "name" | "kind">[] },
  noteForm?: TimelineProps["noteForm"],
): TimelineProps {
  return {
    subject,
    notes: data.notes,
    activity: data.activity.map((a) => describeActivity(a, data.fields)),
    canWrite: roleAtLeast(auth.role, "member"),
    currentUserId: auth.user.id,
    canModerate: roleAtLeast(auth.role, "admin"),
    noteForm,
  };
}

/** A record's notes, activity and custom fields for its Timeline (three queries, whatever their number). */
export async function loadTimeline(db: Database, tenantId: string, subject: { type: SubjectType; id: number }) {
  const [notes, activity, fields] = await Promise.all([
    listNotes(db, tenantId, subject.type, subject.id),
    listActivity(db, tenantId, subject.type, subject.id),
    listCustomFields(db, tenantId, subject.type),
  ]);
  return { notes, activity, fields };
}
