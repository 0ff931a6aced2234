/**
 * The Cron Trigger on Node: at the start of every minute, the Worker's own scheduled() handler with a
 * ScheduledController of that minute. A run still going when the next minute comes is not doubled:
 * that minute is skipped, and the cron's parts pick up whatever it left at the next one.
 */
import { errorText } from "../../lib/error-text";
export type ScheduledHandler = (controller: ScheduledController) => Promise<void>;

export interface CronTimer {
  /** No more runs; resolves when the one going, if any, has ended. */
  stop(): Promise<void>;
}

export function startCronTimer(run: ScheduledHandler, periodMs = 60_000): CronTimer {
  let busy: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async (scheduledTime: number) => {
    if (busy) {
      console.error(JSON.stringify({ type: "cron_skipped", scheduledTime, reason: "the previous run is still going" }));
      return;
    }
    busy = run({ scheduledTime, cron: "* * * * *", noRetry() {} })
      .catch((err) => {
        console.error(JSON.stringify({ type: "cron_failed", scheduledTime, error: errorText(err) }));
      })
      .finally(() => {
        busy = null;
      });
    await busy;
  };
  const arm = () => {
    if (stopped) return;
    const next = (Math.floor(Date.now() / periodMs) + 1) * periodMs;
    timer = setTimeout(() => {
      void tick(next);
      arm();
    }, next - Date.now());
  };
  arm();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await busy;
    },
  };
}
