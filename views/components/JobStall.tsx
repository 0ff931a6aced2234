/** Under a working job's progress bar when it has not moved for a while: what happens next, so nobody waits blind. */

/** What src/services/jobs/stall.ts jobStall() returns. */
export interface JobStallView {
  silentSeconds: number;
  resends: number;
  maxTries: number;
  resendAfterMinutes: number;
  untilDone?: boolean;
}

function since(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function JobStall(p: { stall: JobStallView | null }) {
  const s = p.stall;
  if (!s) return null;
  const next =
    s.resends === 0
      ? `If its last step was lost, it is started again by itself ${s.resendAfterMinutes} minutes after its last progress: nothing is lost or done twice. You need not do anything.`
      : s.untilDone
        ? `It was started again by itself (${s.resends} ${s.resends === 1 ? "time" : "times"}). This step must finish, so it is started again until it does.`
        : `It was started again by itself (${s.resends} of ${s.maxTries} tries). If it still does not move after ${s.maxTries} tries, it stops and this page says why.`;
  return (
    <p class="hint job-stall">
      No progress for {since(s.silentSeconds)}. {next}
    </p>
  );
}
