/**
 * The reports page's filters from its query: a date range (calendar dates, at most five years, the last 90 days
 * unless asked), a pipeline and an owner. Anything else is answered with a message by the field, never a guess.
 */
import { isCalendarDate, addDays } from "../../lib/zoned-time";

export const DEFAULT_RANGE_DAYS = 90;
export const MAX_RANGE_DAYS = 5 * 366;

export interface ReportFilters {
  from: string;
  to: string;
  /** A pipeline's id (checked against the workspace's when read), or null for all. */
  pipelineId: number | null;
  /** A member's id, "none" for deals without an owner, or null for everyone. */
  owner: string | null;
}

export interface ReportQuery {
  from?: string;
  to?: string;
  pipeline?: string;
  owner?: string;
}

export type FilterErrors = Partial<Record<keyof ReportQuery, string>>;

const dayCount = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The filters a query asks for on the reader's `today`, or the messages to show by the fields. */
export function readFilters(q: ReportQuery, today: string): { filters: ReportFilters; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const to = q.to?.trim() || today;
  if (!isCalendarDate(to)) errors.to = "Enter a date such as 2026-12-31.";
  const from = q.from?.trim() || addDays(errors.to ? today : to, -(DEFAULT_RANGE_DAYS - 1));
  if (!isCalendarDate(from)) errors.from = "Enter a date such as 2026-01-01.";
  if (!errors.to && !errors.from) {
    if (from > to) errors.from = "The start must be on or before the end.";
    else if (dayCount(from, to) > MAX_RANGE_DAYS) errors.from = "Choose a range of at most five years.";
  }
  let pipelineId: number | null = null;
  const pipeline = q.pipeline?.trim() ?? "";
  if (pipeline !== "") {
    if (/^[1-9]\d{0,15}$/.test(pipeline)) pipelineId = Number(pipeline);
    else errors.pipeline = "Choose a pipeline from the list.";
  }
  const ownerText = q.owner?.trim() ?? "";
  let owner: string | null = null;
  if (ownerText !== "") {
    if (ownerText === "none" || /^[a-z0-9]{1,64}$/.test(ownerText)) owner = ownerText;
    else errors.owner = "Choose an owner from the list.";
  }
  return { filters: { from, to, pipelineId, owner }, errors };
}

/** The query string that asks for `f` again (CSV links, the form's own state). */
export function filterQuery(f: ReportFilters): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.pipelineId !== null) q.set("pipeline", String(f.pipelineId));
  if (f.owner !== null) q.set("owner", f.owner);
  return q.toString();
}
