import type { Bindings } from "../env";

/**
 * Whether the development tools under /dev answer (the mail viewer, the cron tick): DEV_MAIL=1, which
 * `npm run dev` and the browser tests set, and an ENVIRONMENT that is set and is not "production"
 * (both scripts set "development"; unset counts as production, as it does for Sentry).
 */
export function devToolsEnabled(env: Pick<Bindings, "DEV_MAIL" | "ENVIRONMENT">): boolean {
  return env.DEV_MAIL === "1" && !!env.ENVIRONMENT && env.ENVIRONMENT !== "production";
}
