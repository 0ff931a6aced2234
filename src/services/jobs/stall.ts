/**
 * A working job that has not moved for a while, as its page explains it: without this the page showed the
 * same percentage for the two minutes a lost step waits for the watchdog (watchdog.ts), with no word of why.
 */
import { MAX_TRIES, SILENT_MS } from "./watchdog";

/** A job this long without progress gets the explanation; a busy step reports more often than this. */
export const STALL_SHOWN_MS = 30_000;

export interface JobStall {
  /** Since the job's last progress (its heartbeat). */
  silentSeconds: number;
  /** The watchdog's re-sends since that progress (0 before the first). */
  resends: number;
  maxTries: number;
  /** After how long without progress the watchdog sends the step again. */
  resendAfterMinutes: number;
  /** A step that must finish (a move's cleaning or roll-back): sent again for as long as it takes, never given up. */
  untilDone?: boolean;
}

/** The statuses the watchdog looks after: import_jobs', data_exports' and bulk_jobs' working ones. */
const WORKING = new Set(["analysing", "committing", "undoing", "queued", "working"]);

/** The status and heartbeat columns every job table (and shard_moves) has. */
export interface Heartbeat {
  status: string;
  updatedAt: number;
  watchdogSeenAt: number | null;
  watchdogTries: number;
}

/** Why a working job's page shows no progress, or null while it moves (and once it has ended). */
export function jobStall(job: Heartbeat, now: number): JobStall | null {
  return WORKING.has(job.status) ? heartbeatStall(job, now) : null;
}

/** The same for any working job, whatever its statuses: null while its heartbeat is recent. */
export function heartbeatStall(job: Heartbeat, now: number): JobStall | null {
  const silent = now - job.updatedAt;
  if (silent < STALL_SHOWN_MS) return null;
  return {
    silentSeconds: Math.floor(silent / 1000),
    // The watchdog counts its tries while the heartbeat stays where it saw it; progress starts them again.
    resends: job.watchdogSeenAt === job.updatedAt ? job.watchdogTries : 0,
    maxTries: MAX_TRIES,
    resendAfterMinutes: SILENT_MS / 60_000,
  };
}
