/**
 * What every record page (contact, company, deal) reads besides the record itself: its tags, the
 * workspace's fields of its kind with its values of them, and its timeline (notes, logged interactions
 * and activity).
 * Statements for the page's one D1 batch, and the reading of their rows.
 */
import type { SubjectType } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { interactionsFromRows, interactionsQuery } from "../interactions/interactions";
import { activityFromRows, activityQuery } from "./activity";
import { customFieldsQuery, recordValuesQuery, toCustomField, valuesOfRecord } from "./custom-fields";
import { notesFromRows, notesQuery } from "./notes";
import { tagsByRecord, tagsForQuery } from "./tags";

/** The record's tags, the workspace's custom fields of its kind and the record's values of them. */
export function recordExtrasStatements(t: TenantDb, type: SubjectType, id: number) {
  return [tagsForQuery(t, type, [id]), customFieldsQuery(t, type), recordValuesQuery(t, type, id)] as const;
}

/** What recordExtrasStatements read (the batch's results in that order), for the record `id`. */
export function recordExtrasFromRows(id: number, results: readonly unknown[]) {
  const [tagRows, fieldRows, valueRows] = results as [
    Awaited<ReturnType<typeof tagsForQuery>>,
    Awaited<ReturnType<typeof customFieldsQuery>>,
    Awaited<ReturnType<typeof recordValuesQuery>>,
  ];
  return {
    tags: tagsByRecord(tagRows).get(id) ?? [],
    customFields: fieldRows.map(toCustomField),
    values: valuesOfRecord(valueRows),
  };
}

/** The record's notes, activity and logged interactions. */
export function timelineStatements(t: TenantDb, type: SubjectType, id: number) {
  return [notesQuery(t, type, id), activityQuery(t, type, id), interactionsQuery(t, type, id)] as const;
}

/** What timelineStatements read, in that order. */
export function timelineFromRows(results: readonly unknown[]) {
  const [noteRows, activityRows, interactionRows] = results as [
    Awaited<ReturnType<typeof notesQuery>>,
    Awaited<ReturnType<typeof activityQuery>>,
    Awaited<ReturnType<typeof interactionsQuery>>,
  ];
  return {
    notes: notesFromRows(noteRows),
    activity: activityFromRows(activityRows),
    interactions: interactionsFromRows(interactionRows ?? []),
  };
}
