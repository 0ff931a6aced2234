/** Small pieces the record routes share (contacts, companies, notes, settings, the dashboard beacon). */
import type { Context } from "hono";
import type { AppEnv, AuthContext } from "../env";
import type { SubjectType } from "../db/schema";
import type { TenantDb } from "../db/scoped";
import { roleAtLeast } from "../lib/roles";
import { describeActivity, listActivity, type ActivityEntry } from "../services/records/activity";
import { listCustomFields, type CustomField } from "../services/records/custom-fields";
import { listInteractions } from "../services/interactions/interactions";
import { listNotes, type Note } from "../services/records/notes";
import type { TimelineInteraction } from "../../views/partials/timeline/InteractionItem";
import type { TimelineProps } from "../../views/partials/timeline/Timeline";

/** A form body as `c.req.parseBody({ all: true })` reads it: repeated fields come as lists. */
export type FormBody = Record<string, string | File | (string | File)[]>;

/** The submitted single text values, for showing the form again (files and lists are not echoed). */
export function echo(body: FormBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

// Also read by services (the list filters), so it lives in src/lib.
export { parseRecordId } from "../lib/ids";

/**
 * The Timeline's props for the signed-in user: members write notes; admins and owners moderate them.
 * `data.fields`: the record kind's custom fields, so changes to them are named.
 */
export function timelineProps(
  auth: AuthContext,
  subject: { type: SubjectType; id: number },
  data: {
    notes: Note[];
    interactions: TimelineInteraction[];
    activity: ActivityEntry[];
    fields: readonly Pick<CustomField, "id" | "name" | "kind">[];
  },
  forms: Pick<TimelineProps, "noteForm" | "interactionForm"> = {},
): TimelineProps {
  return {
    subject,
    notes: data.notes,
    interactions: data.interactions,
    activity: data.activity.map((a) => describeActivity(a, data.fields)),
    canWrite: roleAtLeast(auth.role, "member"),
    currentUserId: auth.user.id,
    canModerate: roleAtLeast(auth.role, "admin"),
    ...forms,
  };
}

/** A record's notes, interactions, activity and custom fields for its Timeline (four queries, whatever their number). */
export async function loadTimeline(t: TenantDb, subject: { type: SubjectType; id: number }) {
  const [notes, interactions, activity, fields] = await Promise.all([
    listNotes(t, subject.type, subject.id),
    listInteractions(t, subject.type, subject.id),
    listActivity(t, subject.type, subject.id),
    listCustomFields(t, subject.type),
  ]);
  return { notes, interactions, activity, fields };
}

/** The `?notice=` of a page after a redirect, when it is one the page knows. */
export function noticeOf<T extends string>(c: Context<AppEnv>, notices: Record<T, unknown>): T | null {
  const n = c.req.query("notice");
  return n && n in notices ? (n as T) : null;
}
