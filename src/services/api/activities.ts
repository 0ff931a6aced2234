/**
 * Activities as the API reads them: the calls, meetings and emails logged on a contact, company or deal (the
 * `interactions` table; the record's timeline shows them), in the export's field names. One page of the keyset
 * list (of a record, or all) and one activity. Writes go through src/services/interactions/interactions.ts.
 */
import { asc, eq, gt, gte, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { interactions, type SubjectType } from "../../db/schema";
import { isoTime } from "../export/serialise";
import type { Interaction } from "../interactions/interactions";

/** An activity as the API answers it. */
export interface ApiActivity {
  id: number;
  subject_type: SubjectType;
  subject_id: number;
  kind: Interaction["kind"];
  occurred_at: string;
  duration_minutes: number | null;
  outcome: string | null;
  notes: string | null;
  logged_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiActivityQuery {
  subject: { type: SubjectType; id: number } | null;
  updatedSince: number | null;
  afterId: number;
  limit: number;
}

/** An interaction row in the API's shape. */
export function toApiActivity(r: Interaction): ApiActivity {
  return {
    id: r.id,
    subject_type: r.subjectType,
    subject_id: r.subjectId,
    kind: r.kind,
    occurred_at: isoTime(r.occurredAt),
    duration_minutes: r.durationMinutes,
    outcome: r.outcome,
    notes: r.notes,
    logged_by: r.loggedBy,
    created_at: isoTime(r.createdAt),
    updated_at: isoTime(r.updatedAt),
  };
}

/** One page of activities by id, of one record or all: `limit` and the id to continue after, or null. */
export async function listApiActivities(
  t: TenantDb,
  q: ApiActivityQuery,
): Promise<{ records: ApiActivity[]; nextAfterId: number | null }> {
  const conditions: SQL[] = [gt(interactions.id, q.afterId)];
  if (q.subject)
    conditions.push(eq(interactions.subjectType, q.subject.type), eq(interactions.subjectId, q.subject.id));
  if (q.updatedSince !== null) conditions.push(gte(interactions.updatedAt, q.updatedSince));
  const rows = await t.db
    .select()
    .from(interactions)
    .where(t.where(interactions, ...conditions))
    .orderBy(asc(interactions.id))
    .limit(q.limit + 1);
  const records = rows.slice(0, q.limit).map(toApiActivity);
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}
