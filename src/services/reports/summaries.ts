/**
 * The reports' figures from the aggregate rows: per lost reason, per owner (win rate, average won deal), per
 * stage (average days), per contact source. Amounts stay in minor units with their currency: a workspace that
 * sells in two currencies gets a row per currency, never a sum of different money.
 */
import type { OutcomeRow, OwnerRow, SourceRow, StageRow } from "./reports";

export const REPORT_NAMES = ["outcomes", "owners", "stages", "sources"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface OutcomeLine {
  /** "Won", or the lost reason ("No reason given" when none was). */
  label: string;
  status: "won" | "lost";
  deals: number;
  /** Per currency: its deals and their amount (a CSV row each, so a spreadsheet's sums are right). */
  amounts: { currency: string; deals: number; amountMinor: number }[];
}

/** Won first, then each lost reason by how many deals it lost. */
export function outcomeLines(rows: OutcomeRow[]): OutcomeLine[] {
  const lines = new Map<string, OutcomeLine>();
  for (const r of rows) {
    const key = r.status === "won" ? "won" : `lost:${r.reason}`;
    const label = r.status === "won" ? "Won" : r.reason || "No reason given";
    const line = lines.get(key) ?? { label, status: r.status, deals: 0, amounts: [] };
    line.deals += r.deals;
    line.amounts.push({ currency: r.currency, deals: r.deals, amountMinor: r.amountMinor });
    lines.set(key, line);
  }
  return [...lines.values()].sort(
    (a, b) => (a.status === "won" ? -1 : 0) - (b.status === "won" ? -1 : 0) || b.deals - a.deals,
  );
}

export interface OwnerLine {
  ownerId: string;
  /** The member's name or email; "No owner" for deals without one, "Former member" when they have left. */
  owner: string;
  won: number;
  lost: number;
  /** Won ÷ (won + lost), 0-1. */
  winRate: number;
  /** Per currency: the won amount and the average won deal (rounded to whole minor units). */
  wonAmounts: { currency: string; amountMinor: number; averageMinor: number }[];
}

export function ownerLines(rows: OwnerRow[]): OwnerLine[] {
  const lines = new Map<string, OwnerLine>();
  for (const r of rows) {
    const owner = r.ownerId === "" ? "No owner" : r.owner || "Former member";
    const line = lines.get(r.ownerId) ?? {
      ownerId: r.ownerId,
      owner,
      won: 0,
      lost: 0,
      winRate: 0,
      wonAmounts: [],
    };
    if (r.status === "won") {
      line.won += r.deals;
      line.wonAmounts.push({
        currency: r.currency,
        amountMinor: r.amountMinor,
        averageMinor: Math.round(r.amountMinor / r.deals),
      });
    } else line.lost += r.deals;
    lines.set(r.ownerId, line);
  }
  return [...lines.values()]
    .map((l) => ({ ...l, winRate: l.won + l.lost === 0 ? 0 : l.won / (l.won + l.lost) }))
    .sort((a, b) => b.won - a.won || b.winRate - a.winRate || a.owner.localeCompare(b.owner));
}

export interface StageLine {
  stageId: number;
  /** "Pipeline: Stage" when the workspace has several pipelines. */
  label: string;
  spans: number;
  /** Average days a deal spent in the stage, to one decimal. */
  averageDays: number;
}

export function stageLines(rows: StageRow[]): StageLine[] {
  const several = new Set(rows.map((r) => r.pipeline)).size > 1;
  return rows.map((r) => ({
    stageId: r.stageId,
    label: several && r.pipeline ? `${r.pipeline}: ${r.stage}` : r.stage,
    spans: r.spans,
    averageDays: Math.round((r.totalMs / r.spans / 86_400_000) * 10) / 10,
  }));
}

export const SOURCE_LABELS: Record<string, string> = {
  manual: "Added by hand",
  import: "Imported from a file",
  api: "API",
};

/** Every source, with zero for those that added none, in a fixed order. */
export function sourceLines(rows: SourceRow[]): { source: string; label: string; contacts: number }[] {
  return Object.entries(SOURCE_LABELS).map(([source, label]) => ({
    source,
    label,
    contacts: rows.find((r) => r.source === source)?.contacts ?? 0,
  }));
}
