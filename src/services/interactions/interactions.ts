/**
 * Logged calls, meetings and emails on a contact, company or deal. Each write is one batch with what it
 * keeps: the record's last activity, a contact's or company's last_contacted_at (the lists' column), and
 * the timeline entry of an edit or a delete. The one who logged it, or an admin or owner, may change it.
 */
import { desc, eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { rawBatchResults } from "../../db/raw-batch";
import {
  activities,
  companies,
  contacts,
  deals,
  interactions,
  users,
  type Role,
  type SubjectType,
} from "../../db/schema";
import { inJsonList } from "../../db/sql";
import { roleAtLeast } from "../../lib/roles";
import type { ActivityKind } from "../records/activity";
import { insertWhere } from "../../db/sql";
import { subjectExists, subjectExistsSql } from "../records/notes";
import type { InteractionInput } from "./form";
import type { TimelineInteraction } from "../../../views/partials/timeline/InteractionItem";

/** Who changes a logged activity: the one who logged it, or an admin or owner. */
export interface InteractionActor {
  /** Null for an API key whose maker's account is gone (src/services/api/). */
  userId: string | null;
  role: Role;
}

export type Interaction = typeof interactions.$inferSelect;
export type InteractionChange = { ok: true } | { ok: false; reason: "not_found" | "forbidden" };

/** The record's last activity, as a note's touches it. */
function touchSubject(t: TenantDb, type: SubjectType, id: number, now: number) {
  if (type === "deal") return t.update(deals, { lastActivityAt: now }, eq(deals.id, id));
  return type === "contact"
    ? t.update(contacts, { lastActivityAt: now }, eq(contacts.id, id))
    : t.update(companies, { lastActivityAt: now }, eq(companies.id, id));
}

/**
 * A contact's or company's last_contacted_at recomputed from its interactions: max(occurred_at) is
 * one seek on interactions_tenant_subject_idx, never a scan. Deals keep no such column: nothing to do.
 */
function recomputeLastContacted(t: TenantDb, type: SubjectType, id: number) {
  if (type === "deal") return [];
  const table = type === "contact" ? contacts : companies;
  const latest = sql<number | null>`(SELECT max(${interactions.occurredAt}) FROM ${interactions}
    WHERE ${interactions.tenantId} = ${t.tenantId} AND ${interactions.subjectType} = ${type}
      AND ${interactions.subjectId} = ${id})`;
  return [t.update(table, { lastContactedAt: latest }, eq(table.id, id))];
}

/** Logs an interaction (input already validated). Null when the record is not the tenant's, or is deleted meanwhile. */
export async function logInteraction(
  t: TenantDb,
  actor: InteractionActor,
  type: SubjectType,
  subjectId: number,
  input: InteractionInput,
  now: number,
): Promise<number | null> {
  if (!(await subjectExists(t, type, subjectId))) return null;
  const at = input.occurredAt;
  // The later of what the record had and this one, in the insert's batch.
  const lastContacted =
    type === "deal"
      ? []
      : type === "contact"
        ? [
            t.update(
              contacts,
              { lastContactedAt: sql`max(coalesce(${contacts.lastContactedAt}, ${at}), ${at})` },
              eq(contacts.id, subjectId),
            ),
          ]
        : [
            t.update(
              companies,
              { lastContactedAt: sql`max(coalesce(${companies.lastContactedAt}, ${at}), ${at})` },
              eq(companies.id, subjectId),
            ),
          ];
  const values = {
    subjectType: type,
    subjectId,
    kind: input.kind,
    occurredAt: at,
    durationMinutes: input.durationMinutes,
    outcome: input.outcome,
    notes: input.notes,
    loggedBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  // The record may be deleted since the check: then nothing is written (its updates find no row either).
  const [inserted] = await rawBatchResults(t.db, [
    sql`${insertWhere({ table: interactions, values: { tenantId: t.tenantId, ...values } }, subjectExistsSql(t, type, subjectId))} RETURNING id`,
    touchSubject(t, type, subjectId, now),
    ...lastContacted,
  ]);
  return (inserted!.results[0] as { id: number } | undefined)?.id ?? null;
}

/** An interaction of the tenant, or null. */
export async function getInteraction(t: TenantDb, id: number): Promise<Interaction | null> {
  const [row] = await t.db
    .select()
    .from(interactions)
    .where(t.where(interactions, eq(interactions.id, id)))
    .limit(1);
  return row ?? null;
}

/** The one who logged it may change it; so may admins and owners. */
export function canChangeInteraction(row: { loggedBy: string | null }, actor: InteractionActor): boolean {
  return (actor.userId !== null && row.loggedBy === actor.userId) || roleAtLeast(actor.role, "admin");
}

/**
 * A change to a logged interaction by one allowed to make it, in one batch with the record's last contact
 * and the timeline entry `kind` names.
 */
async function changeInteraction(
  t: TenantDb,
  actor: InteractionActor,
  id: number,
  now: number,
  change: (row: Interaction) => { statement: SQLWrapper; kind: ActivityKind },
): Promise<InteractionChange> {
  const row = await getInteraction(t, id);
  if (!row) return { ok: false, reason: "not_found" };
  if (!canChangeInteraction(row, actor)) return { ok: false, reason: "forbidden" };
  const { statement, kind } = change(row);
  // Deleted by another request since the check: no timeline entry, and the caller hears not_found.
  const stillThere: SQL = sql`EXISTS (SELECT 1 FROM ${interactions} WHERE ${t.where(interactions, eq(interactions.id, id))})`;
  const entry = { subjectType: row.subjectType, subjectId: row.subjectId, actorId: actor.userId, kind, createdAt: now };
  const [, changed] = await rawBatchResults(t.db, [
    // Before the change, so a delete's entry still sees the row it removes.
    insertWhere({ table: activities, values: { tenantId: t.tenantId, ...entry } }, stillThere),
    statement,
    ...recomputeLastContacted(t, row.subjectType, row.subjectId),
  ]);
  if (changed!.meta.changes === 0) return { ok: false, reason: "not_found" };
  return { ok: true };
}

/** Changes every field of a logged interaction; the record's last contact follows. */
export function editInteraction(
  t: TenantDb,
  actor: InteractionActor,
  id: number,
  input: InteractionInput,
  now: number,
) {
  return changeInteraction(t, actor, id, now, () => ({
    statement: t.update(
      interactions,
      {
        kind: input.kind,
        occurredAt: input.occurredAt,
        durationMinutes: input.durationMinutes,
        outcome: input.outcome,
        notes: input.notes,
        updatedAt: now,
      },
      eq(interactions.id, id),
    ),
    kind: `${input.kind}_edited` as const,
  }));
}

/** Deletes a logged interaction; the record's last contact is what is left. */
export function deleteInteraction(t: TenantDb, actor: InteractionActor, id: number, now: number) {
  return changeInteraction(t, actor, id, now, (row) => ({
    statement: t.delete(interactions, eq(interactions.id, id)),
    kind: `${row.kind}_deleted` as const,
  }));
}

/** The statement deleting every interaction of some records, for the records' deletion batch. */
export function deleteInteractionsOfStatements(t: TenantDb, type: SubjectType, ids: number[]) {
  return [t.delete(interactions, eq(interactions.subjectType, type), inJsonList(interactions.subjectId, ids))];
}

/** A record's interactions, newest first by when they happened (interactions_tenant_subject_idx), for batches. */
export function interactionsQuery(t: TenantDb, type: SubjectType, subjectId: number, limit = 100) {
  return t.db
    .select({
      id: interactions.id,
      kind: interactions.kind,
      occurredAt: interactions.occurredAt,
      durationMinutes: interactions.durationMinutes,
      outcome: interactions.outcome,
      interactionNotes: interactions.notes,
      loggedBy: interactions.loggedBy,
      loggedByEmail: users.email,
      createdAt: interactions.createdAt,
      updatedAt: interactions.updatedAt,
    })
    .from(interactions)
    .leftJoin(users, eq(users.id, interactions.loggedBy))
    .where(t.where(interactions, eq(interactions.subjectType, type), eq(interactions.subjectId, subjectId)))
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(limit);
}

/** What interactionsQuery read, as the timeline shows it. */
export function interactionsFromRows(rows: Awaited<ReturnType<typeof interactionsQuery>>): TimelineInteraction[] {
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    occurredAt: r.occurredAt,
    durationMinutes: r.durationMinutes,
    outcome: r.outcome,
    notes: r.interactionNotes,
    loggedById: r.loggedBy,
    loggedBy: r.loggedByEmail ?? "former member",
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

/** A record's interactions for its timeline. */
export async function listInteractions(t: TenantDb, type: SubjectType, subjectId: number) {
  return interactionsFromRows(await interactionsQuery(t, type, subjectId));
}
