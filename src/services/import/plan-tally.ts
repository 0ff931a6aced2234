/**
 * What planning a chunk of any kind keeps as it walks the rows: the rows to create and to update, the
 * tags they name, the preview's lists, and the rows that change nothing or match a record twice.
 */
import type { SQL } from "drizzle-orm";
import type { ChunkPlan, RowExtras } from "./chunk";
import { emptyReview } from "./review";

/** What only a contacts chunk counts; companies and deals have no conflicts nor possible duplicates. */
type ContactCounts = Pick<ChunkPlan, "suppressed" | "conflicts" | "possibleDuplicates">;

export class ChunkTally<Create, Update> {
  readonly creates: Create[] = [];
  readonly updates: Update[] = [];
  readonly tagNames = new Map<string, string>();
  readonly review = emptyReview();
  unchanged = 0;
  duplicates = 0;
  private readonly matched = new Set<number>();

  /** False, and counted as a duplicate, when an earlier row of the chunk already matched this record. */
  firstMatch(id: number): boolean {
    if (this.matched.has(id)) {
      this.duplicates += 1;
      return false;
    }
    this.matched.add(id);
    return true;
  }

  /** Lists a row's owner that names no member (ownerIdOf): the record is written without one. */
  ownerUnlinked(row: number, name: string, owner: string | null, ownerId: string | null): void {
    if (owner && ownerId === null) this.review.unlinked?.push({ row, name, what: "owner", ref: owner });
  }

  /** The chunk's plan: its counts, the preview's lists and the statements that write it. */
  plan(statements: SQL[], contactCounts: ContactCounts = { conflicts: 0, possibleDuplicates: 0 }): ChunkPlan {
    return {
      creates: this.creates.length,
      updates: this.updates.length,
      unchanged: this.unchanged,
      duplicates: this.duplicates,
      ...contactCounts,
      review: this.review,
      statements,
    };
  }
}

/** The tags, custom values and note a contact or company row adds to the record it creates. */
export function createdExtras(r: {
  tags: string[];
  custom: Record<string, string>;
  note: string | null;
}): Omit<RowExtras, "rowNo"> {
  return { tagKeys: r.tags.map((t) => t.toLowerCase()), custom: r.custom, note: r.note };
}
