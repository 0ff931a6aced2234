/**
 * Development switches (DEV_MAIL: the mail viewer; BENCH: the benchmark's unauthenticated floor route;
 * REQUEST_LOG=off: no line per request) work only outside production. ENVIRONMENT unset counts as production, so a deployment that forgets
 * to say what it is gets the safe answer; wrangler.toml sets it to "production" and `npm run dev`,
 * the browser tests and the bench pass `--var ENVIRONMENT:development`.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "../env";

type Flags = Pick<Bindings, "ENVIRONMENT" | "DEV_MAIL" | "BENCH" | "REQUEST_LOG">;

/** Whether this Worker runs as production. */
export function isProduction(env: Flags): boolean {
  return !env.ENVIRONMENT || env.ENVIRONMENT === "production";
}

/** /dev/mail, POST /dev/cron (the tick `npm run dev` fires) and the other development routes. */
export function devToolsEnabled(env: Flags): boolean {
  return env.DEV_MAIL === "1" && !isProduction(env);
}

/** /bench/floor, the benchmark's bare route. */
export function benchEnabled(env: Flags): boolean {
  return env.BENCH === "1" && !isProduction(env);
}

/**
 * Whether each request writes its log line. The test suites turn it off: vitest relays every line a Worker logs
 * to its own process, which cost the suite an eighth of its CPU (docs/benchmarks.md).
 */
export function requestLogEnabled(env: Flags): boolean {
  return env.REQUEST_LOG !== "off" || isProduction(env);
}

const SWITCHES = { DEV_MAIL: "1", BENCH: "1", REQUEST_LOG: "off" } as const;

let reported = false;

/** Refuses development switches in production at the start of each request, and says so once per isolate. */
export const refuseDevSwitchesInProduction: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!reported && isProduction(c.env)) {
    const refused = Object.entries(SWITCHES).flatMap(([k, on]) =>
      c.env[k as keyof typeof SWITCHES] === on ? [k] : [],
    );
    if (refused.length > 0) {
      reported = true;
      console.error(
        JSON.stringify({
          type: "dev_switch_refused",
          vars: refused,
          message: "development switches are ignored in production",
        }),
      );
    }
  }
  await next();
};
