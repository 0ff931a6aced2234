/**
 * The retention periods in force: RETENTION (src/lib/legal.ts, what the privacy page states by
 * default) unless configured otherwise. The privacy and terms pages render these same values, and the
 * closure and the retention job use them, so what is published is what the code does.
 */
import type { Bindings } from "../env";
import type { RetentionPeriods } from "../../views/pages/public/LegalPages";
import { RETENTION } from "./legal";

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

// The shape is the privacy page's props (views/pages/public/LegalPages.tsx), so the page renders
// exactly these values.
export type { RetentionPeriods };

/** A whole number of at least `min`, or the default when the variable is unset or malformed. */
function period(value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : fallback;
}

/** The periods as configured (env vars), each defaulting to the published RETENTION value. */
export function retentionPeriods(env: Partial<Bindings>): RetentionPeriods {
  return {
    // 0 is allowed for the grace period only: an operator may want closure to mean erasure at once.
    closureGraceDays: period(env.CLOSURE_GRACE_DAYS, RETENTION.closureGraceDays, 0),
    billingLedgerYears: period(env.RETENTION_BILLING_LEDGER_YEARS, RETENTION.billingLedgerYears, 1),
    backupDays: RETENTION.backupDays,
    requestLogDays: RETENTION.requestLogDays,
    supportMessageDays: period(env.RETENTION_SUPPORT_MESSAGE_DAYS, RETENTION.supportMessageDays, 1),
    auditLogDays: period(env.RETENTION_AUDIT_LOG_DAYS, RETENTION.auditLogDays, 1),
    mailBodyDays: period(env.RETENTION_MAIL_BODY_DAYS, RETENTION.mailBodyDays, 1),
    importFileDays: period(env.RETENTION_IMPORT_FILE_DAYS, RETENTION.importFileDays, 1),
    importUndoDays: period(env.RETENTION_IMPORT_UNDO_DAYS, RETENTION.importUndoDays, 1),
    digestRunDays: RETENTION.digestRunDays,
    exportArchiveHours: RETENTION.exportArchiveHours,
    apiAnswerHours: RETENTION.apiAnswerHours,
    consentRecordDays: period(env.RETENTION_CONSENT_RECORD_DAYS, RETENTION.consentRecordDays, 1),
    trashDays: RETENTION.trashDays,
  };
}

/** Rows one retention statement deletes or changes at most (RETENTION_CHUNK_ROWS, default 500). */
export function retentionChunkRows(env: Partial<Bindings>): number {
  return Math.min(5000, period(env.RETENTION_CHUNK_ROWS, 500, 1));
}

/** The ledger's keep-until time for an erasure finished at `erasedAt`: whole calendar years later. */
export function ledgerKeepUntil(erasedAt: number, years: number): number {
  const d = new Date(erasedAt);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}
