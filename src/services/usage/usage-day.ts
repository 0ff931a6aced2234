/** What a usage source gives the rollup for one day, shared by the D1 and Analytics Engine sources. */

/** One aggregate row of a day: a workspace's user's points of one kind, name, device and plan. */
export interface UsageDayRow {
  tenantId: string;
  userId: string;
  kind: string;
  name: string;
  device: string;
  plan: string;
  count: number;
  seconds: number;
}

export interface UsageSource {
  /** The aggregate rows of one finished UTC day (YYYY-MM-DD); throws when they cannot be read. */
  dayRows(day: string): Promise<UsageDayRow[]>;
}

/** A day with more rows than this is refused (the rollup fails visibly) rather than written in part. */
export const MAX_ROWS_PER_DAY = 20_000;

/** A day as the rollup makes it: YYYY-MM-DD of a real date. Anything else never reaches a query. */
export function assertIsoDay(day: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new Error(`usage rollup: not a day: ${JSON.stringify(day).slice(0, 40)}`);
  }
}
